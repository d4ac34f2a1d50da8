package access

import (
	"slices"
	"strconv"

	"sightline"
)

// WireGraph is the data graph in the reference vendor's JSON shape:
//
//	{"revision": 3, "groups": {"1": {"1": {"view-data": "unrestricted",
//	  "create-queries": "query-builder", "download": {"schemas": "full"}}}}}
//
// where a granular "view-data" is {"<schema>": {"<table_id>": "sandboxed"}}
// (a schema may also map to one level for all its tables).
type WireGraph struct {
	Revision int64                             `json:"revision"`
	Groups   map[string]map[string]WireDBPerms `json:"groups"`
}

// WireDBPerms is one group's grant on one database in the wire shape.
type WireDBPerms struct {
	ViewData      any           `json:"view-data"`
	CreateQueries any           `json:"create-queries,omitempty"`
	Download      *WireDownload `json:"download,omitempty"`
}

// WireDownload is the download part of a grant.
type WireDownload struct {
	Schemas any `json:"schemas"`
}

// WireCollectionGraph is the collection graph in the wire shape:
// {"revision": 2, "groups": {"1": {"root": "write", "7": "read"}}}.
type WireCollectionGraph struct {
	Revision int64                        `json:"revision"`
	Groups   map[string]map[string]string `json:"groups"`
}

// Schemas tells the wire conversion how tables are grouped into schemas.
type Schemas interface {
	// SchemaOf names the schema of a table ("" for engines without schemas).
	SchemaOf(table int64) string
	// TablesOf lists the tables of a schema of a database.
	TablesOf(db int64, schema string) []int64
	// Tables lists every table of a database.
	Tables(db int64) []int64
}

// WireData converts the data graph for groups and databases to the wire
// shape. Every listed group gets an entry for every listed database, the
// defaults included, and Administrators always show the full grant.
func (g *Graph) WireData(groups, dbs []int64, s Schemas) WireGraph {
	out := WireGraph{Revision: g.DataRevision, Groups: map[string]map[string]WireDBPerms{}}
	for _, gid := range groups {
		m := map[string]WireDBPerms{}
		for _, db := range dbs {
			p := g.DB(gid, db)
			if gid == sightline.AdminGroupID {
				p = DBPerms{View: ViewUnrestricted, CreateQueries: QueryNative, Download: DownloadFull}
			}
			w := WireDBPerms{CreateQueries: p.CreateQueries, Download: &WireDownload{Schemas: p.Download}}
			if p.View == ViewGranular {
				schemas := map[string]map[string]string{}
				for t, l := range p.Tables {
					name := s.SchemaOf(t)
					if schemas[name] == nil {
						schemas[name] = map[string]string{}
					}
					schemas[name][strconv.FormatInt(t, 10)] = l
				}
				w.ViewData = schemas
			} else {
				w.ViewData = p.View
			}
			m[strconv.FormatInt(db, 10)] = w
		}
		out.Groups[strconv.FormatInt(gid, 10)] = m
	}
	return out
}

// ParseWireData reads the group -> database -> grant entries of a PUT data
// graph, checking every level. Entries for Administrators are skipped: their
// grant never changes. A granular "create-queries" is folded into the
// view levels: a table that may be viewed but not queried becomes "no
// self-service", the level that means exactly that.
func ParseWireData(w WireGraph, s Schemas) (map[int64]map[int64]DBPerms, error) {
	out := map[int64]map[int64]DBPerms{}
	for gk, dbs := range w.Groups {
		gid, err := strconv.ParseInt(gk, 10, 64)
		if err != nil || gid <= 0 {
			return nil, sightline.Errorf(sightline.EINVALID, "%q is not a group id.", gk)
		}
		if gid == sightline.AdminGroupID {
			continue
		}
		for dk, wp := range dbs {
			db, err := strconv.ParseInt(dk, 10, 64)
			if err != nil || db <= 0 {
				return nil, sightline.Errorf(sightline.EINVALID, "%q is not a database id.", dk)
			}
			p, err := parseWireDB(db, wp, s)
			if err != nil {
				return nil, err
			}
			if out[gid] == nil {
				out[gid] = map[int64]DBPerms{}
			}
			out[gid][db] = p
		}
	}
	return out, nil
}

// parseWireDB reads one grant.
func parseWireDB(db int64, w WireDBPerms, s Schemas) (DBPerms, error) {
	var p DBPerms
	view, err := tableLevels(db, w.ViewData, s, "view-data")
	if err != nil {
		return p, err
	}
	p.View, p.Tables = view.level, view.tables
	if p.View == "" {
		p.View = ViewBlocked
	}
	cq, err := tableLevels(db, w.CreateQueries, s, "create-queries")
	if err != nil {
		return p, err
	}
	switch {
	case cq.level == "" && cq.tables == nil:
		p.CreateQueries = QueryNone
	case cq.tables == nil:
		p.CreateQueries = cq.level
	default:
		// Per-table query creation: the database allows the query builder,
		// and tables without it are viewable through saved questions only.
		p = p.Granular(s.Tables(db))
		p.CreateQueries = QueryNone
		for t, l := range cq.tables {
			switch l {
			case QueryNative, QueryBuilder:
				p.CreateQueries = QueryBuilder
			case QueryNone:
				switch p.Tables[t] {
				case ViewUnrestricted:
					p.Tables[t] = ViewNoSelfService
				case ViewSandboxed:
					return p, sightline.Errorf(sightline.EINVALID, "Table %d is sandboxed, so people must be able to query it: set its create-queries to query-builder.", t)
				}
			default:
				return p, sightline.Errorf(sightline.EINVALID, "Unknown create-queries level %q for table %d.", l, t)
			}
		}
	}
	p.Download = DownloadNone
	if w.Download != nil {
		dl, err := tableLevels(db, w.Download.Schemas, s, "download")
		if err != nil {
			return p, err
		}
		p.Download = dl.level
		if dl.tables != nil {
			// Downloads are decided per database: a per-table setting
			// grants the least any of its tables has.
			p.Download = DownloadFull
			for _, l := range dl.tables {
				if downloadRows(l) < downloadRows(p.Download) {
					p.Download = l
				}
			}
		}
		if p.Download == "" {
			p.Download = DownloadNone
		}
	}
	return p, p.Validate()
}

// levels is a wire value read as one level or per-table levels.
type levels struct {
	level  string
	tables map[int64]string
}

// tableLevels reads "level" or {"<schema>": "level" | {"<table>": "level"}}.
func tableLevels(db int64, v any, s Schemas, what string) (levels, error) {
	switch v := v.(type) {
	case nil:
		return levels{}, nil
	case string:
		return levels{level: v}, nil
	case map[string]any:
		out := levels{level: ViewGranular, tables: map[int64]string{}}
		for schema, sv := range v {
			switch sv := sv.(type) {
			case string:
				for _, t := range s.TablesOf(db, schema) {
					out.tables[t] = sv
				}
			case map[string]any:
				for tk, tv := range sv {
					t, err := strconv.ParseInt(tk, 10, 64)
					l, ok := tv.(string)
					if err != nil || !ok {
						return levels{}, sightline.Errorf(sightline.EINVALID, "%s of database %d: %q must map a table id to a level.", what, db, tk)
					}
					if !slices.Contains(s.Tables(db), t) {
						return levels{}, sightline.Errorf(sightline.EINVALID, "%s of database %d: table %d is not in that database.", what, db, t)
					}
					out.tables[t] = l
				}
			default:
				return levels{}, sightline.Errorf(sightline.EINVALID, "%s of database %d: schema %q must map to a level or to tables.", what, db, schema)
			}
		}
		return out, nil
	}
	return levels{}, sightline.Errorf(sightline.EINVALID, "%s of database %d must be a level or an object of schemas.", what, db)
}

// WireCollections converts the collection graph for groups and collections
// to the wire shape, with inherited levels filled in; parents maps each
// collection to its parent (0 for the root).
func (g *Graph) WireCollections(groups []int64, parents map[int64]int64) WireCollectionGraph {
	out := WireCollectionGraph{Revision: g.CollectionRevision, Groups: map[string]map[string]string{}}
	for _, gid := range groups {
		m := map[string]string{}
		for id := range parents {
			l := g.Collection(gid, id, Ancestors(id, parents))
			if gid == sightline.AdminGroupID {
				l = CollectionWrite
			}
			m[strconv.FormatInt(id, 10)] = l
		}
		root := g.Collection(gid, RootCollection, nil)
		if gid == sightline.AdminGroupID {
			root = CollectionWrite
		}
		m["root"] = root
		out.Groups[strconv.FormatInt(gid, 10)] = m
	}
	return out
}

// ParseWireCollections reads the group -> collection -> level entries of a
// PUT collection graph ("root" names the root collection). Administrators'
// entries are skipped.
func ParseWireCollections(w WireCollectionGraph) (map[int64]map[int64]string, error) {
	out := map[int64]map[int64]string{}
	for gk, m := range w.Groups {
		gid, err := strconv.ParseInt(gk, 10, 64)
		if err != nil || gid <= 0 {
			return nil, sightline.Errorf(sightline.EINVALID, "%q is not a group id.", gk)
		}
		if gid == sightline.AdminGroupID {
			continue
		}
		out[gid] = map[int64]string{}
		for ck, l := range m {
			id := RootCollection
			if ck != "root" {
				if id, err = strconv.ParseInt(ck, 10, 64); err != nil || id <= 0 {
					return nil, sightline.Errorf(sightline.EINVALID, "%q is not a collection id.", ck)
				}
			}
			if err := ValidCollectionLevel(l); err != nil {
				return nil, err
			}
			out[gid][id] = l
		}
	}
	return out, nil
}

// Ancestors lists a collection's ancestors from its parent up, stopping at
// the root or at a cycle.
func Ancestors(id int64, parents map[int64]int64) []int64 {
	var out []int64
	seen := map[int64]bool{id: true}
	for p := parents[id]; p != 0 && !seen[p]; p = parents[p] {
		seen[p] = true
		out = append(out, p)
	}
	return out
}

// ApplyToChildren copies each collection's level in levels onto every
// descendant (parents maps collection -> parent), for "apply to
// sub-collections"; a level set explicitly for a descendant wins.
func ApplyToChildren(levels map[int64]string, parents map[int64]int64) map[int64]string {
	out := make(map[int64]string, len(levels))
	for id, l := range levels {
		out[id] = l
	}
	for id := range parents {
		if _, ok := levels[id]; ok {
			continue
		}
		for _, a := range append(Ancestors(id, parents), RootCollection) {
			if l, ok := levels[a]; ok {
				out[id] = l
				break
			}
		}
	}
	return out
}
