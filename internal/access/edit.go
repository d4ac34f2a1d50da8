package access

import (
	"maps"
	"slices"

	"sightline"
)

// Validate checks the levels of a grant.
func (p DBPerms) Validate() error {
	switch p.View {
	case ViewUnrestricted, ViewGranular, ViewNoSelfService, ViewBlocked:
	case ViewSandboxed:
		return sightline.Errorf(sightline.EINVALID, "Only tables can be sandboxed: set the database to granular and sandbox its tables.")
	default:
		return sightline.Errorf(sightline.EINVALID, "Unknown view-data level %q.", p.View)
	}
	for t, l := range p.Tables {
		switch l {
		case ViewUnrestricted, ViewSandboxed, ViewNoSelfService, ViewBlocked:
		default:
			return sightline.Errorf(sightline.EINVALID, "Unknown view-data level %q for table %d.", l, t)
		}
	}
	switch p.CreateQueries {
	case QueryNative, QueryBuilder, QueryNone:
	default:
		return sightline.Errorf(sightline.EINVALID, "Unknown create-queries level %q.", p.CreateQueries)
	}
	switch p.Download {
	case DownloadFull, DownloadLimited, DownloadNone:
	default:
		return sightline.Errorf(sightline.EINVALID, "Unknown download level %q.", p.Download)
	}
	if p.CreateQueries == QueryNative && p.View != ViewUnrestricted {
		return sightline.Errorf(sightline.EINVALID, "Native SQL needs unrestricted access to the whole database.")
	}
	return nil
}

// Normalize drops per-table levels when the database is not granular, and
// levels of tables the database (whose tables are listed) does not have.
func (p DBPerms) Normalize(tables []int64) DBPerms {
	if p.View != ViewGranular {
		p.Tables = nil
		return p
	}
	p.Tables = maps.Clone(p.Tables)
	for t := range p.Tables {
		if !slices.Contains(tables, t) {
			delete(p.Tables, t)
		}
	}
	return p
}

// WithTable returns p with one table set to level, turning a database-wide
// grant into a granular one in which every other table of the database
// (tables) keeps the database's level. Sandboxing a table takes native SQL
// away.
func (p DBPerms) WithTable(table int64, level string, tables []int64) DBPerms {
	out := p.Granular(tables)
	out.Tables[table] = level
	if out.CreateQueries == QueryNative {
		out.CreateQueries = QueryBuilder
	}
	if out.CreateQueries == "" {
		out.CreateQueries = QueryNone
	}
	if out.Download == "" {
		out.Download = DownloadNone
	}
	return out
}

// Granular returns p as a granular grant (with its own copy of the table
// levels) in which every table of the database (tables) without a level of
// its own keeps the database's level.
func (p DBPerms) Granular(tables []int64) DBPerms {
	out := p
	out.Tables = make(map[int64]string, len(tables))
	if p.View == ViewGranular {
		maps.Copy(out.Tables, p.Tables)
		return out
	}
	for _, t := range tables {
		out.Tables[t] = p.View
	}
	out.View = ViewGranular
	return out
}

// Equal reports whether two grants are the same.
func (p DBPerms) Equal(q DBPerms) bool {
	if p.View != q.View || p.CreateQueries != q.CreateQueries || p.Download != q.Download {
		return false
	}
	if p.View != ViewGranular {
		return true
	}
	return maps.Equal(p.Tables, q.Tables)
}

// ValidCollectionLevel checks a collection access level.
func ValidCollectionLevel(l string) error {
	switch l {
	case CollectionWrite, CollectionRead, CollectionNone:
		return nil
	}
	return sightline.Errorf(sightline.EINVALID, "Unknown collection access %q: use write, read or none.", l)
}
