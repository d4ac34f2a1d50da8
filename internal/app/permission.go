package app

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/cachebus"
	"sightline/internal/datasource"
	"sightline/internal/query"
	"sightline/internal/sandbox"
)

// PermissionStore keeps the permission graphs, sandbox policies and group
// memberships.
type PermissionStore interface {
	PermissionGraph(ctx context.Context) (*access.Graph, error)
	SaveDataPermissions(ctx context.Context, revision int64, changes map[int64]map[int64]access.DBPerms) (int64, error)
	SaveCollectionPermissions(ctx context.Context, revision int64, changes map[int64]map[int64]string) (int64, error)

	Sandboxes(ctx context.Context) ([]sandbox.Policy, error)
	Sandbox(ctx context.Context, id int64) (*sandbox.Policy, error)
	SaveSandbox(ctx context.Context, revision int64, p *sandbox.Policy, dbID int64, perms access.DBPerms) (int64, error)
	DeleteSandbox(ctx context.Context, revision, id, dbID int64, perms access.DBPerms) (int64, error)

	Group(ctx context.Context, id int64) (*sightline.Group, error)
	RenameGroup(ctx context.Context, id int64, name string) error
	DeleteGroup(ctx context.Context, id int64) error
	AddMember(ctx context.Context, groupID, userID int64, manager bool) error
	RemoveMember(ctx context.Context, groupID, userID int64) error
	ClearGroup(ctx context.Context, groupID int64) ([]int64, error)
	SetMemberships(ctx context.Context, userID int64, set []access.Membership, remove []int64) error
	SaveDataPermissionsAndSandboxes(ctx context.Context, revision int64, changes map[int64]map[int64]access.DBPerms, sandboxes []*sandbox.Policy) (int64, error)
	Memberships(ctx context.Context) ([]access.Membership, error)
	ManagedGroups(ctx context.Context, userID int64) ([]int64, error)
}

// permTTL bounds how long an instance trusts its copy of the permissions.
// A save on this instance takes effect at once; a save on another instance
// sharing the app database takes effect here within permTTL, or at once
// when the instances share a cache bus (see liveTTL).
const permTTL = 5 * time.Second

// permCache holds the permission state every request consults: the graph,
// the sandbox policies and the collection tree, loaded together.
type permCache struct {
	mu   sync.Mutex
	snap *permSnapshot
	// gen counts invalidations; a load started under an older generation
	// is not kept, and no request joins it after the change.
	gen  uint64
	load flights[uint64, *permSnapshot]
	// columns caches the columns each SQL view returns, by database and
	// SQL (they do not depend on the values bound to its variables).
	colMu   sync.Mutex
	columns map[string][]string
}

// permSnapshot is the permission state at one moment.
type permSnapshot struct {
	graph    *access.Graph
	policies []sandbox.Policy
	// parents maps each collection to its parent (0 for the root) and
	// owners each personal collection to its owner.
	parents map[int64]int64
	owners  map[int64]int64
	loaded  time.Time
}

// forgetPermissions drops the cached permission state, here and on the
// other instances.
func (a *App) forgetPermissions() {
	a.changed(cachebus.Event{Kind: cachebus.Permissions})
}

// permissionState returns the cached permission state, loading it when it
// is missing or older than permTTL. Concurrent requests share one load,
// which holds no lock while it reads the app database. Without a
// permission store every group keeps the defaults of a fresh install.
func (a *App) permissionState(ctx context.Context) (*permSnapshot, error) {
	a.perms.mu.Lock()
	s, gen := a.perms.snap, a.perms.gen
	a.perms.mu.Unlock()
	if s != nil && a.now().Sub(s.loaded) < a.fresh.ttl(permTTL) {
		return s, nil
	}
	return a.perms.load.do(ctx, a.life, gen, func(ctx context.Context) (*permSnapshot, error) {
		s, err := a.loadPermissionState(ctx)
		if err != nil {
			return nil, err
		}
		a.perms.mu.Lock()
		if a.perms.gen == gen {
			a.perms.snap = s
		}
		a.perms.mu.Unlock()
		return s, nil
	})
}

// loadPermissionState reads the permission state from the app database.
func (a *App) loadPermissionState(ctx context.Context) (*permSnapshot, error) {
	s := &permSnapshot{graph: &access.Graph{}, parents: map[int64]int64{}, owners: map[int64]int64{}, loaded: a.now()}
	if a.permStore != nil {
		g, err := a.permStore.PermissionGraph(ctx)
		if err != nil {
			return nil, err
		}
		policies, err := a.permStore.Sandboxes(ctx)
		if err != nil {
			return nil, err
		}
		s.graph, s.policies = g, policies
	}
	if a.content != nil {
		all, err := a.content.Collections(ctx)
		if err != nil {
			return nil, err
		}
		for _, c := range all {
			s.parents[c.ID] = c.ParentID
			if c.PersonalOwnerID != 0 {
				s.owners[c.ID] = c.PersonalOwnerID
			}
		}
	}
	return s, nil
}

// userPerms returns a user's merged permissions and the state they come
// from.
func (a *App) userPerms(ctx context.Context, u *sightline.User) (access.UserPerms, *permSnapshot, error) {
	s, err := a.permissionState(ctx)
	if err != nil {
		return access.UserPerms{}, nil, err
	}
	groups := make([]int64, 0, len(u.Groups)+1)
	for _, g := range u.Groups {
		groups = append(groups, g.ID)
	}
	if u.IsAdmin {
		groups = append(groups, sightline.AdminGroupID)
	}
	up := access.Effective(groups, s.graph)
	if a.SSOEnabled(ctx) {
		// A host app's token decides who is in which group; one that is
		// wrong must not open sandboxed tables through All Users.
		up = up.FailClosed()
	}
	return up, s, nil
}

// asSavedQuestion marks ctx as running a saved question from a collection
// the user may read: "no self-service" access then lets it run, still
// through the sandbox of every sandboxed table it touches. Only code that
// has checked the question's collection may set it.
func asSavedQuestion(ctx context.Context) context.Context {
	return withFlag(ctx, flagSavedQuestion)
}

func isSavedQuestion(ctx context.Context) bool { return hasFlag(ctx, flagSavedQuestion) }

// door is the data door's permission decision for one query: the metadata
// the compiler must use (it refuses tables the user may not read) and the
// views of the user's sandboxed tables.
type door struct {
	md    query.Metadata
	views map[int64]query.View
	// maxRows is the most rows a download may stream, 0 for no downloads.
	maxRows int
}

// guard decides what the user may do with q, which must have passed
// Validate: native SQL needs the right to write it (or, for a saved
// question, unsandboxed access to the whole database), ad-hoc queries need
// the right to build them, and every table the compiler reaches (source,
// joins, implicit joins, saved questions used as sources) is checked as it
// is looked up. A sandboxed table whose filter cannot be computed refuses
// the query only if the query touches it.
func (a *App) guard(ctx context.Context, u *sightline.User, q *sightline.Query, md query.Metadata) (*door, error) {
	if publicGrantOf(ctx) != nil {
		return a.publicDoor(ctx, q, md, publicRefusals)
	}
	if hasFlag(ctx, flagEmbedUnfiltered) {
		return a.publicDoor(ctx, q, md, embedRefusals)
	}
	up, s, err := a.userPerms(ctx, u)
	if err != nil {
		return nil, err
	}
	db := q.Database
	d := &door{md: md, maxRows: up.DownloadLimit(db)}
	if up.Admin() {
		return d, nil
	}
	saved := isSavedQuestion(ctx)
	if q.Type == sightline.QueryTypeNative {
		switch {
		case !saved && !up.CanNative(db):
			if len(up.Sandboxed(db, true)) > 0 {
				return nil, sightline.Errorf(sightline.EFORBIDDEN, "Native SQL cannot be run on sandboxed data.")
			}
			return nil, sightline.Errorf(sightline.EFORBIDDEN, "You may not write SQL queries on this database.")
		case saved && !up.CanRunNativeSaved(db):
			return nil, sightline.Errorf(sightline.EFORBIDDEN, "This SQL question reads data that is sandboxed or blocked for you, so it cannot run.")
		}
		return d, nil
	}
	if !saved && !up.CanBuildQueries(db) {
		return nil, sightline.Errorf(sightline.EFORBIDDEN, "You may view saved questions on this database but not create new queries.")
	}
	sandboxed := up.Sandboxed(db, !saved)
	var errs map[int64]error
	if len(sandboxed) > 0 {
		d.views, errs = sandbox.TableViews(u.EffectiveAttributes(), sandboxed, s.policies, a.sandboxMetadata(ctx, db, md))
	}
	d.md = guardedMetadata{Metadata: md, card: a.sourceCardCheck(ctx, u, up, db, saved), check: func(t *sightline.Table) error {
		level := up.AdHoc(db, t.ID)
		if saved {
			level = up.Saved(db, t.ID)
		}
		switch level {
		case access.ViewBlocked:
			if up.Withheld(db, t.ID) {
				return sightline.Errorf(sightline.EFORBIDDEN,
					"The table %s is sandboxed, and you are in no group that may read it, so none of its rows are shown. Ask an administrator to add you to a group that may.",
					t.DisplayName)
			}
			return sightline.Errorf(sightline.EFORBIDDEN, "You don't have permission to see the table %s.", t.DisplayName)
		case access.ViewSandboxed:
			if err := errs[t.ID]; err != nil {
				return err
			}
			if _, ok := d.views[t.ID]; !ok {
				return sightline.Errorf(sightline.EFORBIDDEN, "%s is sandboxed for you without a view, so no rows are shown.", t.DisplayName)
			}
		}
		return nil
	}}
	return d, nil
}

// sandboxMetadata is what sandbox policies of database db are evaluated
// against: its tables and saved questions (md must not apply the user's
// permissions: a view's question is the administrator's choice), and the
// columns of SQL views, described on the database.
//
// A saved question is used as a sandbox's view only while it sits in a
// collection that only administrators may change (see viewCardCuration):
// otherwise whoever may curate that collection could edit the view to widen
// their own rows or empty another tenant's, so the sandbox shows no rows.
func (a *App) sandboxMetadata(ctx context.Context, db int64, md query.Metadata) sandbox.Metadata {
	return viewMetadata{Metadata: md, columns: func(t *sightline.Table, v query.View) ([]string, error) {
		return a.viewColumns(ctx, db, t, v, md)
	}, card: func(c *sightline.Card) error {
		s, err := a.permissionState(ctx)
		if err != nil {
			return err
		}
		if personal, curator := viewCardCuration(s, s.graph, c.CollectionID); personal || curator != 0 {
			return sightline.Errorf(sightline.EFORBIDDEN,
				"The saved question behind a sandbox is in a collection people other than administrators can change, so the sandbox shows no rows. An administrator must move %q to a collection only administrators can change.",
				c.Name)
		}
		return nil
	}}
}

// viewMetadata adds the description of SQL views to query metadata, and
// checks each saved question a sandbox uses as its view.
type viewMetadata struct {
	query.Metadata
	columns func(t *sightline.Table, v query.View) ([]string, error)
	card    func(c *sightline.Card) error
}

// Card returns the query of a saved question, if it may be a sandbox's view.
func (m viewMetadata) Card(id int64) (*sightline.Query, error) {
	return checkedCard(m.Metadata, id, m.card)
}

// checkedCard looks up saved question id through md and, when md reads
// saved questions from the app database, passes it to check (if any)
// before returning its query.
func checkedCard(md query.Metadata, id int64, check func(c *sightline.Card) error) (*sightline.Query, error) {
	cm, ok := md.(cardMetadata)
	if !ok {
		return md.Card(id)
	}
	c, err := cm.SavedCard(id)
	if err != nil {
		return nil, err
	}
	if check != nil {
		if err := check(c); err != nil {
			return nil, err
		}
	}
	return c.Query, nil
}

// viewCardCuration says who besides administrators may change what is in
// collection id under graph g, making it no place for a sandbox's view
// question: personal is true in a personal collection (its owner may), and
// curator is a group other than Administrators that may curate it directly
// or through an ancestor (All Users first, also by default on the root
// collection), 0 when there is none.
func viewCardCuration(s *permSnapshot, g *access.Graph, id int64) (personal bool, curator int64) {
	ancestors := access.Ancestors(id, s.parents)
	for _, c := range append([]int64{id}, ancestors...) {
		if _, ok := s.owners[c]; ok {
			return true, 0
		}
	}
	groups := []int64{sightline.AllUsersGroupID}
	for gid := range g.Collections {
		if gid != sightline.AllUsersGroupID {
			groups = append(groups, gid)
		}
	}
	slices.Sort(groups[1:])
	for _, gid := range groups {
		if gid != sightline.AdminGroupID && g.Collection(gid, id, ancestors) == access.CollectionWrite {
			return false, gid
		}
	}
	return false, 0
}

// viewCardProblem is the administrator's explanation of why collection id
// cannot hold the view question named card under graph g, or "" when it can.
func (a *App) viewCardProblem(ctx context.Context, s *permSnapshot, g *access.Graph, card string, id int64) string {
	personal, curator := viewCardCuration(s, g, id)
	switch {
	case personal:
		return fmt.Sprintf("The saved question %q is in a personal collection; a sandbox's view must be in a collection only administrators can change, so that nobody it restricts can edit it. Move it there first.", card)
	case curator != 0:
		name := "group " + strconv.FormatInt(curator, 10)
		if grp, err := a.permStore.Group(ctx, curator); err == nil {
			name = grp.Name
		}
		return fmt.Sprintf("The saved question %q is in a collection %s can curate; a sandbox's view must be in a collection only administrators can change, so that nobody it restricts can edit it. Move it there first, or take curate access away from %s.", card, name, name)
	}
	return ""
}

// ViewColumns names the columns a SQL view returns.
func (m viewMetadata) ViewColumns(t *sightline.Table, v query.View) ([]string, error) {
	return m.columns(t, v)
}

// maxViewColumns bounds the cache of SQL views' columns.
const maxViewColumns = 1000

// viewColumns runs a SQL view of table t on database db so that it returns
// its columns and no rows, and remembers them.
func (a *App) viewColumns(ctx context.Context, db int64, t *sightline.Table, v query.View, md query.Metadata) ([]string, error) {
	d, err := a.database(ctx, db)
	if err != nil {
		return nil, err
	}
	key := strconv.FormatInt(db, 10) + "\x00" + v.Native.SQL
	a.perms.colMu.Lock()
	cols, ok := a.perms.columns[key]
	a.perms.colMu.Unlock()
	if ok {
		return cols, nil
	}
	c, err := query.DescribeView(t, v, md, query.Dialect(d.Engine))
	if err != nil {
		return nil, err
	}
	src, err := a.pool.Source(ctx, *d)
	if err != nil {
		return nil, err
	}
	res, err := src.Exec(ctx, c.SQL, c.Args, datasource.Options{MaxRows: 1, ReadOnly: true})
	if err != nil {
		return nil, err
	}
	cols = make([]string, len(res.Columns))
	for i, col := range res.Columns {
		cols[i] = col.Name
	}
	a.perms.colMu.Lock()
	if a.perms.columns == nil || len(a.perms.columns) >= maxViewColumns {
		a.perms.columns = map[string][]string{}
	}
	a.perms.columns[key] = cols
	a.perms.colMu.Unlock()
	return cols, nil
}

// sandboxedTable is table t as the user sees it: a sandbox whose view
// hides columns leaves them out. A sandbox that cannot be computed leaves
// the table as it is, since every query on it is refused anyway.
func (a *App) sandboxedTable(ctx context.Context, u *sightline.User, t *sightline.Table) (*sightline.Table, error) {
	if u.IsAdmin {
		return t, nil
	}
	up, s, err := a.userPerms(ctx, u)
	if err != nil {
		return nil, err
	}
	return a.viewOfTable(ctx, u, s, up.Sandboxed(t.DatabaseID, true), t)
}

// viewOfTable is sandboxedTable with the user's permission state and
// sandboxed tables (of t's database) already worked out, for lists.
func (a *App) viewOfTable(ctx context.Context, u *sightline.User, s *permSnapshot, sandboxed map[int64][]int64, t *sightline.Table) (*sightline.Table, error) {
	groups, ok := sandboxed[t.ID]
	if !ok {
		return t, nil
	}
	md, err := a.metadata(ctx, t.DatabaseID)
	if err != nil {
		return nil, err
	}
	views, _ := sandbox.TableViews(u.EffectiveAttributes(), map[int64][]int64{t.ID: groups}, s.policies, a.sandboxMetadata(ctx, t.DatabaseID, cardMetadata{md, ctx, a.content}))
	v, ok := views[t.ID]
	if !ok || v.Visible == nil {
		return t, nil
	}
	out := *t
	out.Fields = nil
	for _, f := range t.Fields {
		if v.Visible[f.ID] {
			out.Fields = append(out.Fields, f)
		}
	}
	return &out, nil
}

// guardedMetadata refuses, at lookup, every table the user may not read
// and every saved question they may not use as a source.
type guardedMetadata struct {
	query.Metadata
	check func(t *sightline.Table) error
	card  func(c *sightline.Card) error
}

// Card returns the query of a saved question used as a source, if the user
// may use it.
func (m guardedMetadata) Card(id int64) (*sightline.Query, error) {
	return checkedCard(m.Metadata, id, m.card)
}

// sourceCardCheck decides whether a saved question may be a query's source:
// it must be in a collection the user may read, and a SQL question needs
// the same rights as running that SQL directly (or, inside a saved
// question, as running a saved SQL question).
func (a *App) sourceCardCheck(ctx context.Context, u *sightline.User, up access.UserPerms, db int64, saved bool) func(c *sightline.Card) error {
	return func(c *sightline.Card) error {
		if !a.canReadCollection(ctx, u, c.CollectionID) {
			return sightline.Errorf(sightline.ENOTFOUND, "Saved question %d does not exist.", c.ID)
		}
		if c.Query == nil || c.Query.Type != sightline.QueryTypeNative {
			return nil
		}
		if saved && !up.CanRunNativeSaved(db) || !saved && !up.CanNative(db) {
			return sightline.Errorf(sightline.EFORBIDDEN, "The saved question %q is written in SQL, which you may not run on this database.", c.Name)
		}
		return nil
	}
}

// Table returns a table the user may read.
func (m guardedMetadata) Table(id int64) (*sightline.Table, error) {
	t, err := m.Metadata.Table(id)
	if err != nil {
		return nil, err
	}
	if err := m.check(t); err != nil {
		return nil, err
	}
	return t, nil
}

// collectionLevel is the user's access to a collection: personal
// collections (and what is inside them) belong to their owner alone.
func (a *App) collectionLevel(ctx context.Context, u *sightline.User, id int64) (string, error) {
	if u == nil {
		return access.CollectionNone, nil
	}
	up, s, err := a.userPerms(ctx, u)
	if err != nil {
		return access.CollectionNone, err
	}
	if _, ok := s.parents[id]; id != access.RootCollection && !ok {
		// A collection created since the state was loaded, maybe on
		// another instance.
		a.forgetPermissions()
		if up, s, err = a.userPerms(ctx, u); err != nil {
			return access.CollectionNone, err
		}
		if _, ok := s.parents[id]; !ok {
			return access.CollectionNone, nil
		}
	}
	ancestors := access.Ancestors(id, s.parents)
	for _, c := range append([]int64{id}, ancestors...) {
		if owner, ok := s.owners[c]; ok {
			if owner == u.ID || u.IsAdmin {
				return access.CollectionWrite, nil
			}
			return access.CollectionNone, nil
		}
	}
	return up.Collection(id, ancestors), nil
}

// ---- administration: the graphs ----

// schemaIndex tells the wire conversion which schema each table is in.
type schemaIndex struct {
	schemaOf map[int64]string
	tables   map[int64][]sightline.Table
}

// SchemaOf names a table's schema.
func (x schemaIndex) SchemaOf(t int64) string { return x.schemaOf[t] }

// TablesOf lists the tables of one schema of a database.
func (x schemaIndex) TablesOf(db int64, schema string) []int64 {
	var out []int64
	for _, t := range x.tables[db] {
		if t.Schema == schema {
			out = append(out, t.ID)
		}
	}
	return out
}

// Tables lists every table of a database.
func (x schemaIndex) Tables(db int64) []int64 {
	out := make([]int64, 0, len(x.tables[db]))
	for _, t := range x.tables[db] {
		out = append(out, t.ID)
	}
	return out
}

// dataScope lists every group and database, with the tables of each.
func (a *App) dataScope(ctx context.Context) (groups, dbs []int64, x schemaIndex, err error) {
	gs, err := a.store.Groups(ctx)
	if err != nil {
		return nil, nil, x, err
	}
	for _, g := range gs {
		groups = append(groups, g.ID)
	}
	all, err := a.meta.Databases(ctx)
	if err != nil {
		return nil, nil, x, err
	}
	x = schemaIndex{schemaOf: map[int64]string{}, tables: map[int64][]sightline.Table{}}
	for _, d := range all {
		dbs = append(dbs, d.ID)
		e, err := a.cachedDatabase(ctx, d.ID)
		if err != nil {
			return nil, nil, x, err
		}
		x.tables[d.ID] = e.tables
		for _, t := range e.tables {
			x.schemaOf[t.ID] = t.Schema
		}
	}
	return groups, dbs, x, nil
}

// requirePermStore refuses permission administration without a store.
func (a *App) requirePermStore(actor *sightline.User) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	if a.permStore == nil {
		return sightline.Errorf(sightline.EUNAVAILABLE, "Permissions cannot be edited on this server.")
	}
	return nil
}

// DataPermissionGraph returns every group's data permissions on every
// database in the reference vendor's shape, with the revision an edit must
// name.
func (a *App) DataPermissionGraph(ctx context.Context, actor *sightline.User) (*access.WireGraph, error) {
	if err := a.requirePermStore(actor); err != nil {
		return nil, err
	}
	g, err := a.permStore.PermissionGraph(ctx)
	if err != nil {
		return nil, err
	}
	groups, dbs, x, err := a.dataScope(ctx)
	if err != nil {
		return nil, err
	}
	w := g.WireData(groups, dbs, x)
	return &w, nil
}

// SaveDataPermissionGraph applies an edited data graph: each group and
// database it names gets the grant given, the others keep theirs. Its
// revision must be the current one, else nothing is saved (ECONFLICT).
// Administrators' entries are ignored: they always have everything.
func (a *App) SaveDataPermissionGraph(ctx context.Context, actor *sightline.User, w access.WireGraph) (*access.WireGraph, error) {
	if err := a.requirePermStore(actor); err != nil {
		return nil, err
	}
	groups, _, x, err := a.dataScope(ctx)
	if err != nil {
		return nil, err
	}
	changes, err := access.ParseWireData(w, x)
	if err != nil {
		return nil, err
	}
	for gid, m := range changes {
		if !slices.Contains(groups, gid) {
			return nil, sightline.Errorf(sightline.EINVALID, "Group %d does not exist.", gid)
		}
		for db, p := range m {
			m[db] = p.Normalize(x.Tables(db))
		}
	}
	if cur, err := a.DataPermissionGraph(ctx, actor); err != nil {
		return nil, err
	} else if graphUnchanged(cur, w) {
		return cur, nil
	}
	rev, err := a.permStore.SaveDataPermissions(ctx, w.Revision, changes)
	if err != nil {
		return nil, err
	}
	a.forgetPermissions()
	a.audit(ctx, actor, "permissions-data-update", jsonDetail(map[string]any{"revision": rev, "groups": w.Groups}))
	return a.DataPermissionGraph(ctx, actor)
}

// CollectionPermissionGraph returns every group's access to the root and
// every collection (inherited levels filled in), with its revision.
func (a *App) CollectionPermissionGraph(ctx context.Context, actor *sightline.User) (*access.WireCollectionGraph, error) {
	if err := a.requirePermStore(actor); err != nil {
		return nil, err
	}
	g, err := a.permStore.PermissionGraph(ctx)
	if err != nil {
		return nil, err
	}
	groups, parents, err := a.collectionScope(ctx)
	if err != nil {
		return nil, err
	}
	w := g.WireCollections(groups, parents)
	return &w, nil
}

// collectionScope lists every group and every shared collection's parent
// (personal collections are their owners' alone and not in the graph).
func (a *App) collectionScope(ctx context.Context) ([]int64, map[int64]int64, error) {
	gs, err := a.store.Groups(ctx)
	if err != nil {
		return nil, nil, err
	}
	groups := make([]int64, 0, len(gs))
	for _, g := range gs {
		groups = append(groups, g.ID)
	}
	all, err := a.content.Collections(ctx)
	if err != nil {
		return nil, nil, err
	}
	personal := map[int64]bool{}
	parents := map[int64]int64{}
	for _, c := range all {
		parents[c.ID] = c.ParentID
		if c.PersonalOwnerID != 0 {
			personal[c.ID] = true
		}
	}
	for id := range parents {
		for _, c := range append([]int64{id}, access.Ancestors(id, parents)...) {
			if personal[c] {
				delete(parents, id)
				break
			}
		}
	}
	return groups, parents, nil
}

// SaveCollectionPermissionGraph applies an edited collection graph at its
// revision. With applyToChildren, each level given for a collection is also
// stored on every sub-collection the edit does not name.
func (a *App) SaveCollectionPermissionGraph(ctx context.Context, actor *sightline.User, w access.WireCollectionGraph, applyToChildren bool) (*access.WireCollectionGraph, error) {
	if err := a.requirePermStore(actor); err != nil {
		return nil, err
	}
	changes, err := access.ParseWireCollections(w)
	if err != nil {
		return nil, err
	}
	groups, parents, err := a.collectionScope(ctx)
	if err != nil {
		return nil, err
	}
	for gid, m := range changes {
		if !slices.Contains(groups, gid) {
			return nil, sightline.Errorf(sightline.EINVALID, "Group %d does not exist.", gid)
		}
		for cid := range m {
			if _, ok := parents[cid]; !ok && cid != access.RootCollection {
				return nil, sightline.Errorf(sightline.EINVALID, "Collection %d does not exist or is a personal collection.", cid)
			}
		}
		if applyToChildren {
			changes[gid] = access.ApplyToChildren(m, parents)
		}
	}
	if err := a.checkViewCardsUnder(ctx, changes); err != nil {
		return nil, err
	}
	if !applyToChildren {
		if cur, err := a.CollectionPermissionGraph(ctx, actor); err != nil {
			return nil, err
		} else if graphUnchanged(cur, w) {
			return cur, nil
		}
	}
	rev, err := a.permStore.SaveCollectionPermissions(ctx, w.Revision, changes)
	if err != nil {
		return nil, err
	}
	a.forgetPermissions()
	a.audit(ctx, actor, "permissions-collection-update", jsonDetail(map[string]any{"revision": rev, "groups": w.Groups, "apply_to_children": applyToChildren}))
	return a.CollectionPermissionGraph(ctx, actor)
}

// checkViewCardsUnder refuses collection grants that would let a group
// other than Administrators change a saved question some sandbox uses as
// its view (see sandboxMetadata).
func (a *App) checkViewCardsUnder(ctx context.Context, changes map[int64]map[int64]string) error {
	if a.content == nil {
		return nil
	}
	policies, err := a.permStore.Sandboxes(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(policies, func(p sandbox.Policy) bool { return p.CardID != 0 }) {
		return nil
	}
	a.forgetPermissions()
	s, err := a.permissionState(ctx)
	if err != nil {
		return err
	}
	next := &access.Graph{Collections: map[int64]map[int64]string{}}
	for gid, m := range s.graph.Collections {
		next.Collections[gid] = maps.Clone(m)
	}
	for gid, m := range changes {
		if next.Collections[gid] == nil {
			next.Collections[gid] = map[int64]string{}
		}
		maps.Copy(next.Collections[gid], m)
	}
	for _, p := range policies {
		if p.CardID == 0 {
			continue
		}
		c, err := a.content.Card(ctx, p.CardID)
		if sightline.ErrorCode(err) == sightline.ENOTFOUND {
			continue // such a sandbox shows no rows anyway
		}
		if err != nil {
			return err
		}
		// Only a change that opens the collection is refused: one that was
		// open already (the sandbox then shows no rows) must not block
		// unrelated changes, such as the one that closes it.
		_, before := viewCardCuration(s, s.graph, c.CollectionID)
		if personal, curator := viewCardCuration(s, next, c.CollectionID); !personal && curator != 0 && before == 0 {
			name := "group " + strconv.FormatInt(curator, 10)
			if grp, err := a.permStore.Group(ctx, curator); err == nil {
				name = grp.Name
			}
			return sightline.Errorf(sightline.ECONFLICT,
				"These changes would let %s curate the collection of the saved question %q, which a sandbox uses as its view, so people it restricts could edit their own sandbox. Move the question to a collection only administrators can change, or keep %s at view access.",
				name, c.Name, name)
		}
	}
	return nil
}

// ---- administration: sandboxes ----

// Sandboxes lists every sandbox policy.
func (a *App) Sandboxes(ctx context.Context, actor *sightline.User) ([]sandbox.Policy, error) {
	if err := a.requirePermStore(actor); err != nil {
		return nil, err
	}
	return a.permStore.Sandboxes(ctx)
}

// Sandbox returns one sandbox policy.
func (a *App) Sandbox(ctx context.Context, actor *sightline.User, id int64) (*sandbox.Policy, error) {
	if err := a.requirePermStore(actor); err != nil {
		return nil, err
	}
	return a.permStore.Sandbox(ctx, id)
}

// SaveSandbox creates or replaces the sandbox of p's group and table (a
// group has at most one per table). It checks the policy against the
// table's metadata, and in the same save makes the table "sandboxed" for the
// group in the data graph, which takes native SQL on that database away
// from the group and gives it the query builder if it had no query
// creation (a new group's default), so its people can explore their rows.
func (a *App) SaveSandbox(ctx context.Context, actor *sightline.User, p sandbox.Policy) (*sandbox.Policy, error) {
	if err := a.requirePermStore(actor); err != nil {
		return nil, err
	}
	existing, err := a.permStore.Sandboxes(ctx)
	if err != nil {
		return nil, err
	}
	t, err := a.checkSandbox(ctx, actor, p, existing)
	if err != nil {
		return nil, err
	}
	e, err := a.cachedDatabase(ctx, t.DatabaseID)
	if err != nil {
		return nil, err
	}
	tables := schemaIndex{tables: map[int64][]sightline.Table{t.DatabaseID: e.tables}}.Tables(t.DatabaseID)
	var same bool // the policy and the group's permissions are already these
	err = a.retryRevision(ctx, func(g *access.Graph) (int64, error) {
		perms := g.DB(p.GroupID, t.DatabaseID).WithTable(p.TableID, access.ViewSandboxed, tables)
		if perms.CreateQueries == access.QueryNone {
			// A sandbox exists to let the group explore its own rows.
			perms.CreateQueries = access.QueryBuilder
		}
		for _, old := range existing {
			if old.GroupID == p.GroupID && old.TableID == p.TableID && (p.ID == 0 || p.ID == old.ID) &&
				unchanged(old, p, "id") && unchanged(g.DB(p.GroupID, t.DatabaseID), perms) {
				same, p.ID = true, old.ID
				return g.DataRevision, nil
			}
		}
		return a.permStore.SaveSandbox(ctx, g.DataRevision, &p, t.DatabaseID, perms)
	})
	if err != nil {
		return nil, err
	}
	if same {
		return &p, nil
	}
	a.audit(ctx, actor, "sandbox-save", jsonDetail(p))
	return &p, nil
}

// checkSandbox checks a sandbox policy before it is saved next to the
// existing ones (the policy replaces any of the same group and table): its
// group and table exist, it is not on All Users, its column, attribute and
// question make sense, and nobody would end up in two different sandboxes
// of the table. It returns the sandboxed table.
func (a *App) checkSandbox(ctx context.Context, actor *sightline.User, p sandbox.Policy, existing []sandbox.Policy) (*sightline.Table, error) {
	if p.GroupID == sightline.AllUsersGroupID {
		return nil, sightline.Errorf(sightline.EINVALID, "All Users cannot be sandboxed: sandbox a group of the people to restrict, and restrict All Users.")
	}
	if _, err := a.permStore.Group(ctx, p.GroupID); err != nil {
		return nil, err
	}
	t, err := a.meta.Table(ctx, p.TableID)
	if err != nil {
		return nil, err
	}
	md, err := a.metadata(ctx, t.DatabaseID)
	if err != nil {
		return nil, err
	}
	if p.CardID != 0 {
		if err := a.checkViewCard(ctx, cardMetadata{md, ctx, a.content}, p.CardID); err != nil {
			return nil, err
		}
	}
	if err := p.Validate(a.sandboxMetadata(ctx, t.DatabaseID, cardMetadata{md, ctx, a.content})); err != nil {
		return nil, err
	}
	next := slices.DeleteFunc(slices.Clone(existing), func(q sandbox.Policy) bool { return q.GroupID == p.GroupID && q.TableID == p.TableID })
	if err := a.checkSandboxConflicts(ctx, actor, append(next, p), func(c sandbox.Conflict) bool {
		return c.TableID == p.TableID && slices.Contains(c.Groups[:], p.GroupID)
	}); err != nil {
		return nil, err
	}
	return t, nil
}

// checkViewCard refuses, with a message for the administrator, a saved
// question as a sandbox's view unless only administrators may change its
// collection.
func (a *App) checkViewCard(ctx context.Context, md cardMetadata, id int64) error {
	c, err := md.SavedCard(id)
	if err != nil {
		// A missing or archived question: Validate says so.
		return nil
	}
	a.dropPermissions() // a collection may have been created a moment ago
	s, err := a.permissionState(ctx)
	if err != nil {
		return err
	}
	if problem := a.viewCardProblem(ctx, s, s.graph, c.Name, c.CollectionID); problem != "" {
		return sightline.Errorf(sightline.EINVALID, "%s", problem)
	}
	return nil
}

// CheckSandboxes checks policies about to be saved together, as SaveSandbox
// would, without saving anything: the permission editor calls it before it
// saves the grid, so that a sandbox refused for a reason the administrator
// can fix leaves the stored permissions as they were.
func (a *App) CheckSandboxes(ctx context.Context, actor *sightline.User, ps []sandbox.Policy) error {
	if err := a.requirePermStore(actor); err != nil {
		return err
	}
	existing, err := a.permStore.Sandboxes(ctx)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if _, err := a.checkSandbox(ctx, actor, p, existing); err != nil {
			return err
		}
		existing = append(slices.DeleteFunc(existing, func(q sandbox.Policy) bool { return q.GroupID == p.GroupID && q.TableID == p.TableID }), p)
	}
	return nil
}

// DeleteSandbox deletes a sandbox; its table becomes blocked for the group
// (never silently unrestricted), until an administrator grants it again.
func (a *App) DeleteSandbox(ctx context.Context, actor *sightline.User, id int64) error {
	if err := a.requirePermStore(actor); err != nil {
		return err
	}
	p, err := a.permStore.Sandbox(ctx, id)
	if err != nil {
		return err
	}
	t, err := a.meta.Table(ctx, p.TableID)
	if err != nil {
		return err
	}
	e, err := a.cachedDatabase(ctx, t.DatabaseID)
	if err != nil {
		return err
	}
	tables := schemaIndex{tables: map[int64][]sightline.Table{t.DatabaseID: e.tables}}.Tables(t.DatabaseID)
	err = a.retryRevision(ctx, func(g *access.Graph) (int64, error) {
		perms := g.DB(p.GroupID, t.DatabaseID).WithTable(p.TableID, access.ViewBlocked, tables)
		return a.permStore.DeleteSandbox(ctx, g.DataRevision, id, t.DatabaseID, perms)
	})
	if err != nil {
		return err
	}
	a.audit(ctx, actor, "sandbox-delete", jsonDetail(p))
	return nil
}

// checkSandboxConflicts refuses a configuration (policies, plus the
// memberships adds; a user id of 0 or less stands for a person not created
// yet) in which two groups of one person would
// sandbox the same table differently, looking only at the conflicts the
// change is about (concerns). Queries refuse such a table anyway; this says
// so when the configuration is saved. Group sync at sign-in does not pass
// here, so the query-time refusal stays the last line. The refusal names
// the person and their groups for an administrator only; to a group
// manager it names the groups they manage and no one else's.
func (a *App) checkSandboxConflicts(ctx context.Context, actor *sightline.User, policies []sandbox.Policy, concerns func(sandbox.Conflict) bool, adds ...access.Membership) error {
	ms, err := a.permStore.Memberships(ctx)
	if err != nil {
		return err
	}
	groupsOf := map[int64][]int64{}
	for _, m := range ms {
		groupsOf[m.UserID] = append(groupsOf[m.UserID], m.GroupID)
	}
	for _, add := range adds {
		if !slices.Contains(groupsOf[add.UserID], add.GroupID) {
			groupsOf[add.UserID] = append(groupsOf[add.UserID], add.GroupID)
		}
	}
	for _, c := range sandbox.Conflicts(policies, groupsOf) {
		if !concerns(c) {
			continue
		}
		names := [2]string{}
		for i, g := range c.Groups {
			names[i] = "another group"
			if ok, err := a.canManageGroup(ctx, actor, g); err != nil {
				return err
			} else if !ok {
				continue
			}
			names[i] = strconv.FormatInt(g, 10)
			if grp, err := a.permStore.Group(ctx, g); err == nil {
				names[i] = grp.Name
			}
		}
		table := strconv.FormatInt(c.TableID, 10)
		if t, err := a.meta.Table(ctx, c.TableID); err == nil {
			table = t.DisplayName
		}
		who := "this person"
		if c.UserID > 0 && actor.IsAdmin {
			who = "user " + strconv.FormatInt(c.UserID, 10)
			if u, err := a.store.UserByID(ctx, c.UserID); err == nil {
				who = u.Email
			}
		}
		return sightline.Errorf(sightline.ECONFLICT, "Conflicting sandboxes: %s would be in %s and %s, which filter %s in different ways. A person can have only one sandbox per table: make the two sandboxes the same, or keep the person in one of the groups.",
			who, names[0], names[1], table)
	}
	return nil
}

// retryRevision runs a save computed from the current graph, again if
// another save moved the revision meanwhile, and forgets the cached state.
func (a *App) retryRevision(ctx context.Context, save func(g *access.Graph) (int64, error)) error {
	var err error
	for range 3 {
		var g *access.Graph
		if g, err = a.permStore.PermissionGraph(ctx); err != nil {
			return err
		}
		if _, err = save(g); sightline.ErrorCode(err) != sightline.ECONFLICT {
			break
		}
	}
	a.forgetPermissions()
	return err
}

// ---- administration: groups ----

// canManageGroup reports whether actor may manage group id's members: an
// administrator, or a manager of that group (never of a built-in one).
func (a *App) canManageGroup(ctx context.Context, actor *sightline.User, id int64) (bool, error) {
	if actor == nil {
		return false, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	if actor.IsAdmin {
		return true, nil
	}
	if a.permStore == nil || id == sightline.AllUsersGroupID || id == sightline.AdminGroupID {
		return false, nil
	}
	managed, err := a.permStore.ManagedGroups(ctx, actor.ID)
	if err != nil {
		return false, err
	}
	return slices.Contains(managed, id), nil
}

// CreateGroup adds a group; new groups start with no data and no collection
// access.
func (a *App) CreateGroup(ctx context.Context, actor *sightline.User, name string) (*sightline.Group, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	g := &sightline.Group{Name: strings.TrimSpace(name)}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	g.Name = strings.TrimSpace(g.Name)
	if err := a.store.CreateGroup(ctx, g); err != nil {
		return nil, err
	}
	a.audit(ctx, actor, "group-create", jsonDetail(map[string]any{"group_id": g.ID, "name": g.Name}))
	return g, nil
}

// RenameGroup renames a group; the built-in groups keep their names.
func (a *App) RenameGroup(ctx context.Context, actor *sightline.User, id int64, name string) (*sightline.Group, error) {
	if err := a.requirePermStore(actor); err != nil {
		return nil, err
	}
	g := &sightline.Group{ID: id, Name: strings.TrimSpace(name)}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	if cur, err := a.permStore.Group(ctx, id); err != nil {
		return nil, err
	} else if cur.Name == g.Name {
		return cur, nil
	}
	if g.BuiltIn() {
		return nil, sightline.Errorf(sightline.EINVALID, "The built-in groups cannot be renamed.")
	}
	defer a.forgetSessions()
	if err := a.permStore.RenameGroup(ctx, id, g.Name); err != nil {
		return nil, err
	}
	a.audit(ctx, actor, "group-rename", jsonDetail(map[string]any{"group_id": id, "name": g.Name}))
	return a.permStore.Group(ctx, id)
}

// DeleteGroup deletes a group with its memberships, permissions and
// sandboxes; the built-in groups cannot be deleted.
func (a *App) DeleteGroup(ctx context.Context, actor *sightline.User, id int64) error {
	if err := a.requirePermStore(actor); err != nil {
		return err
	}
	if (&sightline.Group{ID: id}).BuiltIn() {
		return sightline.Errorf(sightline.EINVALID, "The built-in groups cannot be deleted.")
	}
	defer a.forgetSessions()
	if err := a.permStore.DeleteGroup(ctx, id); err != nil {
		return err
	}
	a.forgetPermissions()
	a.audit(ctx, actor, "group-delete", jsonDetail(map[string]any{"group_id": id}))
	return nil
}

// Memberships lists group memberships: all of them for an administrator,
// those of the groups they manage for a group manager.
func (a *App) Memberships(ctx context.Context, actor *sightline.User) ([]access.Membership, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	if a.permStore == nil {
		return nil, sightline.Errorf(sightline.EUNAVAILABLE, "Groups cannot be managed on this server.")
	}
	all, err := a.permStore.Memberships(ctx)
	if err != nil || actor.IsAdmin {
		return all, err
	}
	managed, err := a.permStore.ManagedGroups(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	if len(managed) == 0 {
		return nil, sightline.Errorf(sightline.EFORBIDDEN, "Only administrators and group managers can see groups.")
	}
	out := all[:0]
	for _, m := range all {
		if slices.Contains(managed, m.GroupID) {
			out = append(out, m)
		}
	}
	return out, nil
}

// AddMembership adds a user to a group (or changes whether they manage
// it). Administrators may do it for any group; a group manager for their
// own groups, without making anyone a manager or stopping anyone being one.
func (a *App) AddMembership(ctx context.Context, actor *sightline.User, m access.Membership) error {
	ok, err := a.canManageGroup(ctx, actor, m.GroupID)
	if err != nil {
		return err
	}
	if !ok {
		return sightline.Errorf(sightline.EFORBIDDEN, "Only administrators and the group's managers can change its members.")
	}
	if m.Manager && (m.GroupID == sightline.AllUsersGroupID || m.GroupID == sightline.AdminGroupID) {
		return sightline.Errorf(sightline.EINVALID, "The built-in groups have no managers.")
	}
	if m.GroupID == sightline.AllUsersGroupID {
		return sightline.Errorf(sightline.EINVALID, "Everyone is already a member of All Users.")
	}
	// A membership sent again as it is changes nothing: nothing is
	// written, no session is reloaded and nothing is audited.
	current, err := a.permStore.Memberships(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(current, func(c access.Membership) bool { return c.GroupID == m.GroupID && c.UserID == m.UserID })
	if err := checkManagerFlag(actor, i >= 0 && current[i].Manager, m.Manager); err != nil {
		return err
	}
	if i >= 0 && current[i].Manager == m.Manager {
		return nil
	}
	policies, err := a.permStore.Sandboxes(ctx)
	if err != nil {
		return err
	}
	if err := a.checkSandboxConflicts(ctx, actor, policies, func(c sandbox.Conflict) bool {
		return c.UserID == m.UserID && slices.Contains(c.Groups[:], m.GroupID)
	}, m); err != nil {
		return err
	}
	defer a.forgetUserSessions(m.UserID)
	if err := a.permStore.AddMember(ctx, m.GroupID, m.UserID, m.Manager); err != nil {
		return err
	}
	a.audit(ctx, actor, "group-member-add", jsonDetail(m))
	return nil
}

// checkManagerFlag refuses a membership write that would make someone a
// group manager, or stop them being one, unless actor is an administrator;
// wasManager is whether the person manages the group now (false for a new
// member). Every route that writes a membership asks it.
func checkManagerFlag(actor *sightline.User, wasManager, manager bool) error {
	if actor.IsAdmin || (!wasManager && !manager) {
		return nil
	}
	if manager {
		return sightline.Errorf(sightline.EFORBIDDEN, "Only administrators can make someone a group manager.")
	}
	return sightline.Errorf(sightline.EFORBIDDEN, "Only administrators can stop someone being a group manager.")
}

// RemoveMembership removes a user from a group, with the same rights as
// AddMembership. Nobody leaves All Users and the last administrator stays.
func (a *App) RemoveMembership(ctx context.Context, actor *sightline.User, groupID, userID int64) error {
	ok, err := a.canManageGroup(ctx, actor, groupID)
	if err != nil {
		return err
	}
	if !ok {
		return sightline.Errorf(sightline.EFORBIDDEN, "Only administrators and the group's managers can change its members.")
	}
	defer a.forgetUserSessions(userID)
	if err := a.permStore.RemoveMember(ctx, groupID, userID); err != nil {
		return err
	}
	a.audit(ctx, actor, "group-member-remove", jsonDetail(map[string]any{"group_id": groupID, "user_id": userID}))
	return nil
}

// SandboxAttributes lists the user attribute names known from sign-ins and
// hand-set values, for the sandbox editor's attribute picker.
func (a *App) SandboxAttributes(ctx context.Context, actor *sightline.User) ([]string, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	users, err := a.store.ListUsers(ctx, "", "all")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, u := range users {
		for k := range u.EffectiveAttributes() {
			seen[k] = true
		}
	}
	return slices.Sorted(maps.Keys(seen)), nil
}

// maxWarningNames bounds the collections one warning names.
const maxWarningNames = 8

// PermissionWarnings returns what the permissions page warns about while
// JWT sign-in is on, when customers sign in through a host app and so
// share the All Users group: collections All Users may curate (any customer
// could rename, move or archive what others keep there), and collections
// All Users may open that another group curates (what one group's members
// save there, everyone sees). Nothing is returned while JWT sign-in is off.
func (a *App) PermissionWarnings(ctx context.Context, actor *sightline.User) ([]string, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	if !a.SSOEnabled(ctx) || a.content == nil {
		return nil, nil
	}
	a.forgetPermissions()
	s, err := a.permissionState(ctx)
	if err != nil {
		return nil, err
	}
	all, err := a.content.Collections(ctx)
	if err != nil {
		return nil, err
	}
	colls := append([]*sightline.Collection{{ID: access.RootCollection, Name: sightline.RootCollectionName}}, all...)
	groupName := func(id int64) string {
		if g, err := a.permStore.Group(ctx, id); err == nil {
			return g.Name
		}
		return "group " + strconv.FormatInt(id, 10)
	}
	var curated, shared []string
	for _, c := range colls {
		if c.PersonalOwnerID != 0 || c.Archived {
			continue
		}
		if _, personal := s.owners[c.ParentID]; personal {
			continue
		}
		ancestors := access.Ancestors(c.ID, s.parents)
		everyone := s.graph.Collection(sightline.AllUsersGroupID, c.ID, ancestors)
		if everyone == access.CollectionWrite {
			curated = append(curated, strconv.Quote(c.Name))
			continue
		}
		if everyone != access.CollectionRead {
			continue
		}
		for _, gid := range slices.Sorted(maps.Keys(s.graph.Collections)) {
			if gid != sightline.AllUsersGroupID && gid != sightline.AdminGroupID && s.graph.Collection(gid, c.ID, ancestors) == access.CollectionWrite {
				shared = append(shared, fmt.Sprintf("%q (curated by %s)", c.Name, groupName(gid)))
				break
			}
		}
	}
	var out []string
	if len(curated) > 0 {
		out = append(out, fmt.Sprintf("JWT sign-in is on, and All Users can curate %s: anyone who signs in through the host app can edit, move or archive what is there, including what other customers use. Give All Users View or No access there, and curate access only to groups that should have it.",
			nameList(curated)))
	}
	if len(shared) > 0 {
		out = append(out, fmt.Sprintf("JWT sign-in is on, and All Users can view %s: what one group's members save there, every customer who signs in can open.",
			nameList(shared)))
	}
	return out, nil
}

// nameList joins names for a sentence, naming at most maxWarningNames.
func nameList(names []string) string {
	if len(names) > maxWarningNames {
		return strings.Join(names[:maxWarningNames], ", ") + fmt.Sprintf(" and %d more", len(names)-maxWarningNames)
	}
	if len(names) > 1 {
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	return names[0]
}
