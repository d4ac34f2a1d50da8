package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/sandbox"
)

// permOption is one choice of a permission select.
type permOption struct {
	Value, Label string
	Selected     bool
}

// permSelect is a select of the permissions editor: which grant it edits
// (Kind is "view", "create" or "download"; Table is 0 for a database's own
// row) and its choices.
type permSelect struct {
	Kind     string
	Table    int64
	Options  []permOption
	Disabled bool
}

// viewLabels names the view-data levels as the editor and its summary show
// them; createLabels, downloadLabels and collectionLabels do the same for
// the other selects.
func viewLabels() map[string]string {
	return map[string]string{
		access.ViewUnrestricted: "Can view", access.ViewGranular: "Granular", access.ViewSandboxed: "Sandboxed",
		access.ViewNoSelfService: "No self-service", access.ViewBlocked: "Blocked",
	}
}

func createLabels() map[string]string {
	return map[string]string{access.QueryNative: "Query builder and native", access.QueryBuilder: "Query builder only", access.QueryNone: "No"}
}

func downloadLabels() map[string]string {
	return map[string]string{access.DownloadNone: "No", access.DownloadLimited: "10 thousand rows", access.DownloadFull: "1 million rows"}
}

func collectionLabels() map[string]string {
	return map[string]string{access.CollectionWrite: "Curate", access.CollectionRead: "View", access.CollectionNone: "No access"}
}

// options builds a select's choices in order, marking value selected.
func options(labels map[string]string, order []string, value string) []permOption {
	out := make([]permOption, 0, len(order))
	for _, v := range order {
		out = append(out, permOption{Value: v, Label: labels[v], Selected: v == value})
	}
	return out
}

// dbViewOrder and tableViewOrder are the view-data choices of a database row
// and of a table row; All Users cannot be sandboxed.
func dbViewOrder() []string {
	return []string{access.ViewUnrestricted, access.ViewGranular, access.ViewNoSelfService, access.ViewBlocked}
}

func tableViewOrder(group int64) []string {
	if group == sightline.AllUsersGroupID {
		return []string{access.ViewUnrestricted, access.ViewNoSelfService, access.ViewBlocked}
	}
	return []string{access.ViewUnrestricted, access.ViewSandboxed, access.ViewNoSelfService, access.ViewBlocked}
}

// permCell is one group's grant on one database as the editor keeps it.
type permCell struct {
	View     string            `json:"view"`
	Tables   map[string]string `json:"tables,omitempty"`
	Create   string            `json:"create"`
	Download string            `json:"download"`
}

// permTable is a table of a database with the columns a sandbox may filter.
type permTable struct {
	ID     int64       `json:"id"`
	Name   string      `json:"name"`
	Schema string      `json:"schema"`
	Fields []permField `json:"fields"`
}

type permField struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

type permDatabase struct {
	ID     int64       `json:"id"`
	Name   string      `json:"name"`
	Tables []permTable `json:"tables"`
}

// permCard is a saved question the sandbox modal offers as a custom view:
// for a SQL question, the variables an attribute can be bound to.
type permCard struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Database  int64    `json:"database_id"`
	Native    bool     `json:"native,omitempty"`
	Variables []string `json:"variables,omitempty"`
}

// newPermCard describes a saved question for the sandbox modal.
func newPermCard(c *sightline.Card) permCard {
	pc := permCard{ID: c.ID, Name: c.Name, Database: c.DatabaseID}
	if c.Query != nil && c.Query.Type == sightline.QueryTypeNative && c.Query.Native != nil {
		pc.Native = true
		for _, t := range c.Query.Native.TemplateTags {
			if t.Type != sightline.TagDimension {
				pc.Variables = append(pc.Variables, t.Name)
			}
		}
	}
	return pc
}

// permCollection is a collection of the collections tree, flattened.
type permCollection struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Parent int64  `json:"parent"`
	Depth  int    `json:"depth"`
}

// permConfig is what permissions.js receives in a JSON block.
type permConfig struct {
	Tab             string                       `json:"tab"`
	Revision        int64                        `json:"revision"`
	Groups          []sightline.Group            `json:"groups"`
	Databases       []permDatabase               `json:"databases,omitempty"`
	Perms           map[int64]map[int64]permCell `json:"perms,omitempty"`
	Sandboxes       []sandbox.Policy             `json:"sandboxes,omitempty"`
	Attributes      []string                     `json:"attributes,omitempty"`
	Cards           []permCard                   `json:"cards,omitempty"`
	Collections     []permCollection             `json:"collections,omitempty"`
	CollectionPerms map[string]map[string]string `json:"collection_perms,omitempty"`
	Labels          map[string]map[string]string `json:"labels"`
	Pending         json.RawMessage              `json:"pending,omitempty"`
	AdminGroup      int64                        `json:"admin_group"`
	AllUsersGroup   int64                        `json:"all_users_group"`
}

// permRow is one row of the data grid: a group's grant on a database.
type permRow struct {
	Group    sightline.Group
	Database permDatabase
	Cell     permCell
	Selects  []permSelect
	Tables   []permTableRow
	ReadOnly bool
}

// permTableRow is a table's row under a granular database.
type permTableRow struct {
	Table     permTable
	Select    permSelect
	Sandboxed bool
}

// permCollRow is one group's access to the selected collection.
type permCollRow struct {
	Group    sightline.Group
	Select   permSelect
	ReadOnly bool
}

// permPage is the data of Admin > Permissions.
type permPage struct {
	Tab  string // "data" or "collections"
	View string // "group" or "database"
	// Selected is the group, database or collection the grid shows.
	Selected   int64
	Groups     []sightline.Group
	Databases  []permDatabase
	Group      *sightline.Group
	Database   *permDatabase
	Rows       []permRow
	Tree       []permCollection
	Collection *permCollection
	CollRows   []permCollRow
	Return     string
	Config     permConfig
	// Warnings are what the page warns about while JWT sign-in is on.
	Warnings []string
	// PublicSharing is on when public links work: the page says that they
	// bypass data permissions and sandboxes.
	PublicSharing bool
}

// cellOf reads one grant of the wire graph, whose granular "view-data" is
// {"schema": {"table": "level"}}.
func cellOf(w access.WireDBPerms) permCell {
	c := permCell{View: access.ViewBlocked, Create: access.QueryNone, Download: access.DownloadNone}
	switch v := w.ViewData.(type) {
	case string:
		c.View = v
	case map[string]map[string]string:
		c.View, c.Tables = access.ViewGranular, map[string]string{}
		for _, tables := range v {
			for t, l := range tables {
				c.Tables[t] = l
			}
		}
	case map[string]any:
		c.View, c.Tables = access.ViewGranular, map[string]string{}
		for _, tables := range v {
			if m, ok := tables.(map[string]any); ok {
				for t, l := range m {
					if s, ok := l.(string); ok {
						c.Tables[t] = s
					}
				}
			}
		}
	}
	if s, ok := w.CreateQueries.(string); ok && s != "" {
		c.Create = s
	}
	if w.Download != nil {
		if s, ok := w.Download.Schemas.(string); ok && s != "" {
			c.Download = s
		}
	}
	return c
}

// tableLevel is a table's level under a grant: its own when granular, the
// database's otherwise.
func (c permCell) tableLevel(id int64) string {
	if c.View != access.ViewGranular {
		return c.View
	}
	if l, ok := c.Tables[itoa64(id)]; ok {
		return l
	}
	return access.ViewBlocked
}

// permDatabases loads the databases with their tables and columns.
func (s *Server) permDatabases(ctx context.Context, u *sightline.User) ([]permDatabase, error) {
	dbs, err := s.app.Databases(ctx, u)
	if err != nil {
		return nil, err
	}
	out := make([]permDatabase, 0, len(dbs))
	for _, d := range dbs {
		tables, err := s.app.AdminTables(ctx, u, d.ID)
		if err != nil {
			return nil, err
		}
		pd := permDatabase{ID: d.ID, Name: d.Name}
		for _, t := range tables {
			pt := permTable{ID: t.ID, Name: t.DisplayName, Schema: t.Schema}
			for _, f := range t.Fields {
				pt.Fields = append(pt.Fields, permField{ID: f.ID, Name: f.DisplayName, Type: f.BaseType})
			}
			pd.Tables = append(pd.Tables, pt)
		}
		out = append(out, pd)
	}
	return out, nil
}

// collectionTree walks the shared collections from the root, depth first
// and by name, and gathers the saved questions found on the way.
func (s *Server) collectionTree(ctx context.Context, u *sightline.User) ([]permCollection, []permCard, error) {
	var tree []permCollection
	var cards []permCard
	var walk func(id int64, depth int) error
	walk = func(id int64, depth int) error {
		v, err := s.app.CollectionView(ctx, u, id)
		if err != nil {
			return err
		}
		for _, c := range v.Cards {
			cards = append(cards, newPermCard(c))
		}
		for _, c := range v.Collections {
			if c.PersonalOwnerID != 0 {
				continue
			}
			tree = append(tree, permCollection{ID: c.ID, Name: c.Name, Parent: id, Depth: depth})
			if err := walk(c.ID, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	err := walk(0, 1)
	return tree, cards, err
}

// permQuery reads the editor's view from a query: tab, group or database
// view, and the selected item.
func permQuery(q url.Values) (tab, view string, selected int64) {
	tab, view = "data", "group"
	if q.Get("tab") == "collections" {
		tab = "collections"
	}
	key := "group"
	switch {
	case tab == "collections":
		key = "collection"
	case q.Get("view") == "database":
		view, key = "database", "database"
	}
	selected, _ = strconv.ParseInt(q.Get(key), 10, 64)
	return tab, view, selected
}

// adminPermissionsPage serves GET /admin/permissions: the permissions editor
// with its Data tab (?group= or ?view=database&database=) and its
// Collections tab (?tab=collections&collection=).
func (s *Server) adminPermissionsPage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireAdminUser(r)
	if err != nil {
		return err
	}
	return s.renderPermissions(w, r, u, r.URL.Query(), http.StatusOK, flashFrom(r), "", nil)
}

// renderPermissions renders the editor for the view q names, with a message
// and, after a refused save, the edits to restore.
func (s *Server) renderPermissions(w http.ResponseWriter, r *http.Request, u *sightline.User, q url.Values, status int, flash, msg string, pending json.RawMessage) error {
	ctx := r.Context()
	tab, view, selected := permQuery(q)
	groups, err := s.app.Groups(ctx, u)
	if err != nil {
		return err
	}
	p := &permPage{Tab: tab, View: view, Selected: selected, Groups: groups, Return: "/admin/permissions?" + q.Encode()}
	p.Config = permConfig{Tab: tab, Groups: groups, Pending: pending, AdminGroup: sightline.AdminGroupID, AllUsersGroup: sightline.AllUsersGroupID,
		Labels: map[string]map[string]string{"view": viewLabels(), "create": createLabels(), "download": downloadLabels(), "collection": collectionLabels()}}
	if tab == "collections" {
		err = s.loadCollectionPerms(ctx, u, p)
	} else {
		err = s.loadDataPerms(ctx, u, p)
	}
	if err != nil {
		return err
	}
	if p.Warnings, err = s.app.PermissionWarnings(ctx, u); err != nil {
		return err
	}
	p.PublicSharing = s.app.Settings().Bool(ctx, sightline.SettingPublicSharing)
	title := "Permissions"
	s.render(w, r, status, "admin_permissions", pageData{Title: title, Shell: defaultShell("admin"), Flash: flash, Error: msg, Data: p})
	return nil
}

// loadDataPerms fills the Data tab: the grid of the selected group (or
// database) and everything permissions.js needs to edit it.
func (s *Server) loadDataPerms(ctx context.Context, u *sightline.User, p *permPage) error {
	graph, err := s.app.DataPermissionGraph(ctx, u)
	if err != nil {
		return err
	}
	dbs, err := s.permDatabases(ctx, u)
	if err != nil {
		return err
	}
	policies, err := s.app.Sandboxes(ctx, u)
	if err != nil {
		return err
	}
	attrs, err := s.app.SandboxAttributes(ctx, u)
	if err != nil {
		return err
	}
	_, cards, err := s.collectionTree(ctx, u)
	if err != nil {
		return err
	}
	p.Databases = dbs
	cells := map[int64]map[int64]permCell{}
	for gk, m := range graph.Groups {
		gid, _ := strconv.ParseInt(gk, 10, 64)
		cells[gid] = map[int64]permCell{}
		for dk, wp := range m {
			dbID, _ := strconv.ParseInt(dk, 10, 64)
			cells[gid][dbID] = cellOf(wp)
		}
	}
	p.Config.Revision, p.Config.Databases, p.Config.Perms = graph.Revision, dbs, cells
	p.Config.Sandboxes, p.Config.Attributes, p.Config.Cards = policies, attrs, cards
	sandboxed := map[[2]int64]bool{}
	for _, pol := range policies {
		sandboxed[[2]int64{pol.GroupID, pol.TableID}] = true
	}
	row := func(g sightline.Group, d permDatabase) permRow {
		c := cells[g.ID][d.ID]
		ro := g.ID == sightline.AdminGroupID
		pr := permRow{Group: g, Database: d, Cell: c, ReadOnly: ro, Selects: []permSelect{
			{Kind: "view", Options: options(viewLabels(), dbViewOrder(), c.View), Disabled: ro},
			{Kind: "create", Options: options(createLabels(), []string{access.QueryNative, access.QueryBuilder, access.QueryNone}, c.Create), Disabled: ro},
			{Kind: "download", Options: options(downloadLabels(), []string{access.DownloadFull, access.DownloadLimited, access.DownloadNone}, c.Download), Disabled: ro},
		}}
		for _, t := range d.Tables {
			l := c.tableLevel(t.ID)
			pr.Tables = append(pr.Tables, permTableRow{Table: t, Sandboxed: l == access.ViewSandboxed && sandboxed[[2]int64{g.ID, t.ID}],
				Select: permSelect{Kind: "view", Table: t.ID, Options: options(viewLabels(), tableViewOrder(g.ID), l), Disabled: ro}})
		}
		return pr
	}
	if p.View == "database" {
		i := slices.IndexFunc(dbs, func(d permDatabase) bool { return d.ID == p.Selected })
		if i < 0 && len(dbs) > 0 {
			i = 0
		}
		if i >= 0 {
			p.Database, p.Selected = &dbs[i], dbs[i].ID
			for _, g := range p.Groups {
				p.Rows = append(p.Rows, row(g, dbs[i]))
			}
		}
		return nil
	}
	i := slices.IndexFunc(p.Groups, func(g sightline.Group) bool { return g.ID == p.Selected })
	if i < 0 {
		i = slices.IndexFunc(p.Groups, func(g sightline.Group) bool { return g.ID == sightline.AllUsersGroupID })
	}
	if i >= 0 {
		p.Group, p.Selected = &p.Groups[i], p.Groups[i].ID
		for _, d := range dbs {
			p.Rows = append(p.Rows, row(p.Groups[i], d))
		}
	}
	return nil
}

// loadCollectionPerms fills the Collections tab: every group's access to the
// selected collection (the root by default).
func (s *Server) loadCollectionPerms(ctx context.Context, u *sightline.User, p *permPage) error {
	graph, err := s.app.CollectionPermissionGraph(ctx, u)
	if err != nil {
		return err
	}
	tree, _, err := s.collectionTree(ctx, u)
	if err != nil {
		return err
	}
	p.Tree = append([]permCollection{{ID: 0, Name: sightline.RootCollectionName}}, tree...)
	p.Config.Revision, p.Config.Collections, p.Config.CollectionPerms = graph.Revision, p.Tree, graph.Groups
	i := slices.IndexFunc(p.Tree, func(c permCollection) bool { return c.ID == p.Selected })
	if i < 0 {
		i = 0
	}
	p.Collection, p.Selected = &p.Tree[i], p.Tree[i].ID
	key := "root"
	if p.Selected != 0 {
		key = itoa64(p.Selected)
	}
	for _, g := range p.Groups {
		l := graph.Groups[itoa64(g.ID)][key]
		if l == "" {
			l = access.CollectionNone
		}
		ro := g.ID == sightline.AdminGroupID
		p.CollRows = append(p.CollRows, permCollRow{Group: g, ReadOnly: ro, Select: permSelect{Kind: "collection", Disabled: ro,
			Options: options(collectionLabels(), []string{access.CollectionWrite, access.CollectionRead, access.CollectionNone}, l)}})
	}
	return nil
}

// safeReturn keeps a form's return address inside the editor.
func safeReturn(v string) url.Values {
	if rest, ok := strings.CutPrefix(v, "/admin/permissions?"); ok {
		if q, err := url.ParseQuery(rest); err == nil {
			return q
		}
	}
	return url.Values{}
}

// conflictMessage answers a save made over an older revision: the page
// that shows it has the newer permissions with the edits replayed on top.
const conflictMessage = "Someone else changed the permissions since you loaded them. This page now shows their changes with your edits kept on top: review the summary and save again."

// dataSave is what the editor posts when the Data tab is saved.
type dataSave struct {
	Changes   map[string]map[string]access.WireDBPerms `json:"changes"`
	Sandboxes []sandbox.Policy                         `json:"sandboxes"`
}

// adminPermissionsSaveData serves POST /admin/permissions/data: revision,
// changes (the edited grants in the wire shape: group -> database -> grant)
// and sandboxes (policies to save with them). The grants are saved at the
// revision the editor loaded, so a concurrent save is refused (409) and the
// page comes back with the edits kept; the sandboxes follow, each making
// its table sandboxed for its group.
func (s *Server) adminPermissionsSaveData(w http.ResponseWriter, r *http.Request) error {
	u, err := requireAdminUser(r)
	if err != nil {
		return err
	}
	q := safeReturn(r.PostFormValue("return"))
	q.Set("tab", "data")
	rev, err := strconv.ParseInt(r.PostFormValue("revision"), 10, 64)
	if err != nil {
		return sightline.Errorf(sightline.EINVALID, "The form has no permissions revision; reload the page.")
	}
	var in dataSave
	refused := func(err error, pending dataSave) error {
		code := sightline.ErrorCode(err)
		switch code {
		case sightline.EINVALID, sightline.ECONFLICT, sightline.ENOTFOUND, sightline.EFORBIDDEN:
			// Policies that cannot filter come back forbidden, as they
			// would when a query met them.
		default:
			return err
		}
		msg := sightline.ErrorMessage(err)
		if code == sightline.ECONFLICT {
			msg = conflictMessage
		}
		b, jerr := json.Marshal(pending)
		if jerr != nil {
			return sightline.Internal(jerr)
		}
		return s.renderPermissions(w, r, u, q, statusOf(code), "", msg, b)
	}
	if err := json.Unmarshal([]byte(r.PostFormValue("changes")), &in.Changes); err != nil {
		return sightline.Errorf(sightline.EINVALID, "The permission changes could not be read: %v", err)
	}
	if v := r.PostFormValue("sandboxes"); v != "" {
		if err := json.Unmarshal([]byte(v), &in.Sandboxes); err != nil {
			return refused(sightline.Errorf(sightline.EINVALID, "The sandboxes could not be read: %v", err), in)
		}
	}
	// Sandboxes are checked first, so that one refused leaves the stored
	// permissions untouched.
	if err := s.app.CheckSandboxes(r.Context(), u, in.Sandboxes); err != nil {
		return refused(err, in)
	}
	if len(in.Changes) > 0 {
		if _, err := s.app.SaveDataPermissionGraph(r.Context(), u, access.WireGraph{Revision: rev, Groups: in.Changes}); err != nil {
			return refused(err, in)
		}
	}
	for i, p := range in.Sandboxes {
		p.ID = 0
		if _, err := s.app.SaveSandbox(r.Context(), u, p); err != nil {
			return refused(err, dataSave{Sandboxes: in.Sandboxes[i:]})
		}
	}
	http.Redirect(w, r, flashURL(r, "/admin/permissions", q, "Permissions saved."), http.StatusSeeOther)
	return nil
}

// collectionChange is one edited collection grant.
type collectionChange struct {
	Group      int64  `json:"group"`
	Collection int64  `json:"collection"`
	Level      string `json:"level"`
	// Children also sets the level on every sub-collection.
	Children bool `json:"children"`
}

// collectionWire turns the edits into the wire graph: a change with
// Children is repeated on every sub-collection the edits do not name for
// that group.
func collectionWire(rev int64, changes []collectionChange, tree []permCollection) access.WireCollectionGraph {
	parents := map[int64]int64{}
	for _, c := range tree {
		if c.ID != 0 {
			parents[c.ID] = c.Parent
		}
	}
	key := func(id int64) string {
		if id == 0 {
			return "root"
		}
		return itoa64(id)
	}
	w := access.WireCollectionGraph{Revision: rev, Groups: map[string]map[string]string{}}
	explicit := map[string]bool{}
	for _, c := range changes {
		g := itoa64(c.Group)
		if w.Groups[g] == nil {
			w.Groups[g] = map[string]string{}
		}
		w.Groups[g][key(c.Collection)] = c.Level
		explicit[g+"/"+key(c.Collection)] = true
	}
	for _, c := range changes {
		if !c.Children {
			continue
		}
		g := itoa64(c.Group)
		for id := range parents {
			k := key(id)
			if explicit[g+"/"+k] {
				continue
			}
			if c.Collection == 0 || slices.Contains(access.Ancestors(id, parents), c.Collection) {
				w.Groups[g][k] = c.Level
			}
		}
	}
	return w
}

// adminPermissionsSaveCollections serves POST /admin/permissions/collections:
// revision and changes ([{group, collection, level, children}]), saved at
// that revision.
func (s *Server) adminPermissionsSaveCollections(w http.ResponseWriter, r *http.Request) error {
	u, err := requireAdminUser(r)
	if err != nil {
		return err
	}
	q := safeReturn(r.PostFormValue("return"))
	q.Set("tab", "collections")
	rev, err := strconv.ParseInt(r.PostFormValue("revision"), 10, 64)
	if err != nil {
		return sightline.Errorf(sightline.EINVALID, "The form has no permissions revision; reload the page.")
	}
	var changes []collectionChange
	if err := json.Unmarshal([]byte(r.PostFormValue("changes")), &changes); err != nil {
		return sightline.Errorf(sightline.EINVALID, "The permission changes could not be read: %v", err)
	}
	tree, _, err := s.collectionTree(r.Context(), u)
	if err != nil {
		return err
	}
	if _, err := s.app.SaveCollectionPermissionGraph(r.Context(), u, collectionWire(rev, changes, tree), false); err != nil {
		code := sightline.ErrorCode(err)
		if code != sightline.EINVALID && code != sightline.ECONFLICT {
			return err
		}
		msg := sightline.ErrorMessage(err)
		if code == sightline.ECONFLICT {
			msg = conflictMessage
		}
		b, jerr := json.Marshal(map[string]any{"collections": changes})
		if jerr != nil {
			return sightline.Internal(jerr)
		}
		return s.renderPermissions(w, r, u, q, statusOf(code), "", msg, b)
	}
	http.Redirect(w, r, flashURL(r, "/admin/permissions", q, "Permissions saved."), http.StatusSeeOther)
	return nil
}
