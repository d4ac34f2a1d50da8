// Package access evaluates Sightline's permissions: what data each group may
// view and query, how much it may download, and which collections it may
// read or curate. It is pure: a Graph is the whole permission state, and
// Effective merges the grants of a person's groups into UserPerms.
//
// The rules:
//
//   - A person gets the most permissive grant across their groups, and All
//     Users is always one of them. Administrators may do everything, always.
//   - All Users starts with unrestricted data access and native SQL on every
//     database (including databases added later) and curate access to the
//     root collection, until an administrator stores a narrower grant. Any
//     other group starts with nothing: blocked data and no collection access.
//   - View-data levels rank unrestricted > sandboxed > no self-service >
//     blocked. So a group that can view a table unrestricted wins over
//     another group's sandbox of it (as in the reference vendor): to keep a
//     customer inside a sandbox, restrict All Users first.
//   - Ad-hoc queries (the query builder, table browsing, filter values,
//     X-rays) count only the groups that may create queries on the database;
//     saved questions count every group, and "no self-service" lets them run
//     unfiltered. A table sandboxed on the winning level is filtered on both
//     paths.
//   - Native SQL needs a group with unrestricted access to the whole
//     database and native query creation. Such a group also makes every
//     table of the database unrestricted, so a sandboxed person never gets
//     native SQL on that database.
//   - Fail closed (on while JWT sign-in is on, see UserPerms.FailClosed): a
//     table that any group sandboxes is never read unfiltered through All
//     Users. All Users' unrestricted or "no self-service" grant does not
//     count on such a table (its own sandbox still does), so a person must
//     be in a group that grants the table explicitly, sandboxed or not; a
//     person in no such group (say, signed in with a token that names no
//     mapped group) is refused rather than shown every tenant's rows. For
//     the same reason All Users' grant never gives native SQL, or runs saved
//     SQL, on a database with a sandboxed table.
//   - A collection without a grant of its own for a group inherits the grant
//     of its nearest ancestor (the root collection last), which is how "apply
//     to sub-collections" and new collections behave.
package access

import (
	"slices"

	"sightline"
)

// View-data levels of a database or a table.
const (
	ViewUnrestricted  = "unrestricted"
	ViewGranular      = "granular" // a database level only: decided per table
	ViewSandboxed     = "sandboxed"
	ViewNoSelfService = "legacy-no-self-service"
	ViewBlocked       = "blocked"
)

// Create-queries levels.
const (
	QueryNative  = "query-builder-and-native"
	QueryBuilder = "query-builder"
	QueryNone    = "no"
)

// Download levels and their row limits.
const (
	DownloadFull    = "full"
	DownloadLimited = "limited"
	DownloadNone    = "none"

	FullDownloadRows    = 1_000_000
	LimitedDownloadRows = 10_000
)

// Collection access levels.
const (
	CollectionWrite = "write"
	CollectionRead  = "read"
	CollectionNone  = "none"
)

// RootCollection is the ID of the root collection in collection grants.
const RootCollection int64 = 0

// DBPerms is one group's grant on one database.
type DBPerms struct {
	// View is the database's view-data level; ViewGranular defers to Tables.
	View string
	// Tables holds per-table levels (unrestricted, sandboxed, no self-service
	// or blocked) when View is ViewGranular; a table missing from it is
	// blocked.
	Tables map[int64]string
	// CreateQueries is QueryNative, QueryBuilder or QueryNone.
	CreateQueries string
	// Download is DownloadFull, DownloadLimited or DownloadNone.
	Download string
}

// Graph is every group's data and collection grants, with a revision number
// per part that increases on every save.
type Graph struct {
	DataRevision       int64
	CollectionRevision int64
	// Data maps group -> database -> grant.
	Data map[int64]map[int64]DBPerms
	// Collections maps group -> collection (RootCollection for the root) ->
	// level.
	Collections map[int64]map[int64]string
}

// DefaultDBPerms returns the grant group has on a database without a stored
// one: everything for All Users, nothing for any other group.
func DefaultDBPerms(group int64) DBPerms {
	if group == sightline.AllUsersGroupID {
		return DBPerms{View: ViewUnrestricted, CreateQueries: QueryNative, Download: DownloadFull}
	}
	return DBPerms{View: ViewBlocked, CreateQueries: QueryNone, Download: DownloadNone}
}

// DB returns group's grant on database db, stored or default, with empty
// fields filled with the narrowest value.
func (g *Graph) DB(group, db int64) DBPerms {
	p, ok := g.Data[group][db]
	if !ok {
		return DefaultDBPerms(group)
	}
	if p.View == "" {
		p.View = ViewBlocked
	}
	if p.CreateQueries == "" {
		p.CreateQueries = QueryNone
	}
	if p.Download == "" {
		p.Download = DownloadNone
	}
	return p
}

// Table returns the view level of one table under p.
func (p DBPerms) Table(table int64) string {
	if p.View != ViewGranular {
		return p.View
	}
	if l, ok := p.Tables[table]; ok && l != ViewGranular {
		return l
	}
	return ViewBlocked
}

// Collection returns group's level on a collection, inherited from the
// nearest ancestor with a grant (ancestors run from the parent up; the root
// collection is implied last).
func (g *Graph) Collection(group, id int64, ancestors []int64) string {
	m := g.Collections[group]
	if l, ok := m[id]; ok {
		return l
	}
	for _, a := range ancestors {
		if l, ok := m[a]; ok {
			return l
		}
	}
	if l, ok := m[RootCollection]; ok {
		return l
	}
	if group == sightline.AllUsersGroupID {
		return CollectionWrite
	}
	return CollectionNone
}

// SandboxedByAny reports whether some group sandboxes table of database db.
func (g *Graph) SandboxedByAny(db, table int64) bool {
	for _, dbs := range g.Data {
		if p, ok := dbs[db]; ok && p.View == ViewGranular && p.Tables[table] == ViewSandboxed {
			return true
		}
	}
	return false
}

// hasSandbox reports whether some group sandboxes a table of database db.
func (g *Graph) hasSandbox(db int64) bool {
	for _, dbs := range g.Data {
		if p, ok := dbs[db]; ok && p.View == ViewGranular {
			for _, l := range p.Tables {
				if l == ViewSandboxed {
					return true
				}
			}
		}
	}
	return false
}

// viewRank orders view levels from blocked (0) to unrestricted (3).
func viewRank(l string) int {
	switch l {
	case ViewUnrestricted:
		return 3
	case ViewSandboxed:
		return 2
	case ViewNoSelfService:
		return 1
	}
	return 0
}

func queryRank(l string) int {
	switch l {
	case QueryNative:
		return 2
	case QueryBuilder:
		return 1
	}
	return 0
}

func downloadRows(l string) int {
	switch l {
	case DownloadFull:
		return FullDownloadRows
	case DownloadLimited:
		return LimitedDownloadRows
	}
	return 0
}

func collectionRank(l string) int {
	switch l {
	case CollectionWrite:
		return 2
	case CollectionRead:
		return 1
	}
	return 0
}

// UserPerms is one person's merged permissions.
type UserPerms struct {
	admin  bool
	groups []int64
	graph  *Graph
	// failClosed applies the fail-closed rule (see FailClosed).
	failClosed bool
}

// Effective merges the grants of groups (All Users is added when missing)
// into one person's permissions. Membership of the Administrators group
// grants everything.
func Effective(groups []int64, graph *Graph) UserPerms {
	gs := slices.Clone(groups)
	if !slices.Contains(gs, sightline.AllUsersGroupID) {
		gs = append(gs, sightline.AllUsersGroupID)
	}
	slices.Sort(gs)
	if graph == nil {
		graph = &Graph{}
	}
	return UserPerms{admin: slices.Contains(gs, sightline.AdminGroupID), groups: slices.Compact(gs), graph: graph}
}

// FailClosed returns u with the fail-closed rule on: on a table that any
// group sandboxes, All Users' unrestricted or "no self-service" grant counts
// as blocked, so only a group that grants the table explicitly (or All
// Users' own sandbox) lets the person read it; and All Users' grant gives
// neither native SQL nor saved SQL on a database with a sandboxed table.
// Sightline turns it on while JWT sign-in is on, where a token that names no
// mapped group leaves a person in All Users alone.
func (u UserPerms) FailClosed() UserPerms {
	u.failClosed = true
	return u
}

// Withheld reports whether the fail-closed rule guards a table for the
// person: it is sandboxed for some group, so All Users' grant alone does not
// open it. A table the person may not read and that is withheld gets the
// message that says so.
func (u UserPerms) Withheld(db, table int64) bool {
	return u.failClosed && !u.admin && u.graph.SandboxedByAny(db, table)
}

// tableLevel is group g's view level of a table, after the fail-closed rule.
func (u UserPerms) tableLevel(g int64, p DBPerms, db, table int64) string {
	l := p.Table(table)
	if u.failClosed && g == sightline.AllUsersGroupID && (l == ViewUnrestricted || l == ViewNoSelfService) &&
		u.graph.SandboxedByAny(db, table) {
		return ViewBlocked
	}
	return l
}

// allUsersWithheld reports whether All Users' database-wide grant on db is
// set aside by the fail-closed rule, for native SQL.
func (u UserPerms) allUsersWithheld(g, db int64) bool {
	return u.failClosed && g == sightline.AllUsersGroupID && u.graph.hasSandbox(db)
}

// Admin reports whether the person is an administrator.
func (u UserPerms) Admin() bool { return u.admin }

// Groups returns the person's groups, All Users included, sorted.
func (u UserPerms) Groups() []int64 { return u.groups }

// AdHoc returns the level at which the person may query a table with the
// query builder: ViewUnrestricted, ViewSandboxed or ViewBlocked. Only groups
// that may create queries on the database count.
func (u UserPerms) AdHoc(db, table int64) string {
	if u.admin {
		return ViewUnrestricted
	}
	best := ViewBlocked
	for _, g := range u.groups {
		p := u.graph.DB(g, db)
		if queryRank(p.CreateQueries) == 0 {
			continue
		}
		if l := u.tableLevel(g, p, db, table); l != ViewNoSelfService && viewRank(l) > viewRank(best) {
			best = l
		}
	}
	return best
}

// Saved returns the level at which a saved question may read a table:
// ViewUnrestricted or ViewNoSelfService (rows unfiltered), ViewSandboxed
// (rows filtered) or ViewBlocked.
func (u UserPerms) Saved(db, table int64) string {
	if u.admin {
		return ViewUnrestricted
	}
	best := ViewBlocked
	for _, g := range u.groups {
		if l := u.tableLevel(g, u.graph.DB(g, db), db, table); viewRank(l) > viewRank(best) {
			best = l
		}
	}
	return best
}

// CanViewTable returns the level at which the person may see a table when
// browsing and building queries (see AdHoc).
func (u UserPerms) CanViewTable(db, table int64) string { return u.AdHoc(db, table) }

// CanBrowse reports whether the person may see database db in Browse data
// and build queries on at least one of its tables.
func (u UserPerms) CanBrowse(db int64) bool {
	if u.admin {
		return true
	}
	for _, g := range u.groups {
		p := u.graph.DB(g, db)
		if queryRank(p.CreateQueries) == 0 {
			continue
		}
		switch p.View {
		case ViewUnrestricted:
			return true
		case ViewGranular:
			for _, l := range p.Tables {
				if l == ViewUnrestricted || l == ViewSandboxed {
					return true
				}
			}
		}
	}
	return false
}

// CanSeeDatabase reports whether the person may know database db exists:
// they may browse it or read saved questions on it.
func (u UserPerms) CanSeeDatabase(db int64) bool {
	if u.CanBrowse(db) {
		return true
	}
	for _, g := range u.groups {
		p := u.graph.DB(g, db)
		if p.View == ViewNoSelfService || p.View == ViewUnrestricted {
			return true
		}
		for _, l := range p.Tables {
			if viewRank(l) > 0 {
				return true
			}
		}
	}
	return false
}

// CanBuildQueries reports whether the person may create queries with the
// query builder on database db (on the tables AdHoc allows).
func (u UserPerms) CanBuildQueries(db int64) bool { return u.CanBrowse(db) }

// CanNative reports whether the person may write native SQL on database db:
// one group must grant both unrestricted view of the whole database and
// native query creation.
func (u UserPerms) CanNative(db int64) bool {
	if u.admin {
		return true
	}
	for _, g := range u.groups {
		p := u.graph.DB(g, db)
		if p.View == ViewUnrestricted && p.CreateQueries == QueryNative && !u.allUsersWithheld(g, db) {
			return true
		}
	}
	return false
}

// CanRunNativeSaved reports whether a saved native question may run on
// database db: some group must view the whole database (unrestricted or no
// self-service) and no table of it may be sandboxed for the person.
func (u UserPerms) CanRunNativeSaved(db int64) bool {
	if u.admin {
		return true
	}
	if len(u.Sandboxed(db, false)) > 0 {
		return false
	}
	for _, g := range u.groups {
		if v := u.graph.DB(g, db).View; (v == ViewUnrestricted || v == ViewNoSelfService) && !u.allUsersWithheld(g, db) {
			return true
		}
	}
	return false
}

// Sandboxed returns the tables of database db whose rows are filtered for
// the person, each with the groups whose sandboxes apply. adHoc chooses the
// ad-hoc path's levels (AdHoc) over the saved-question path's (Saved).
func (u UserPerms) Sandboxed(db int64, adHoc bool) map[int64][]int64 {
	if u.admin {
		return nil
	}
	var out map[int64][]int64
	for _, g := range u.groups {
		p := u.graph.DB(g, db)
		if p.View != ViewGranular {
			continue
		}
		for t, l := range p.Tables {
			if l != ViewSandboxed {
				continue
			}
			level := u.Saved(db, t)
			if adHoc {
				level = u.AdHoc(db, t)
			}
			if level != ViewSandboxed {
				continue
			}
			if adHoc && queryRank(p.CreateQueries) == 0 {
				continue
			}
			if out == nil {
				out = map[int64][]int64{}
			}
			out[t] = append(out[t], g)
		}
	}
	return out
}

// DownloadLimit returns the most rows the person may download from
// database db; 0 means no downloads.
func (u UserPerms) DownloadLimit(db int64) int {
	if u.admin {
		return FullDownloadRows
	}
	best := 0
	for _, g := range u.groups {
		best = max(best, downloadRows(u.graph.DB(g, db).Download))
	}
	return best
}

// Collection returns the person's level on a collection whose ancestors run
// from its parent up (the root collection is implied last).
func (u UserPerms) Collection(id int64, ancestors []int64) string {
	if u.admin {
		return CollectionWrite
	}
	best := CollectionNone
	for _, g := range u.groups {
		if l := u.graph.Collection(g, id, ancestors); collectionRank(l) > collectionRank(best) {
			best = l
		}
	}
	return best
}

// Membership is a user's membership of a group; a manager may manage the
// group's members.
type Membership struct {
	GroupID int64 `json:"group_id"`
	UserID  int64 `json:"user_id"`
	Manager bool  `json:"is_group_manager"`
}
