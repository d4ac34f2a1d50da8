package xray

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"sightline"
	"sightline/internal/datasource"
	"sightline/internal/query"
	"sightline/internal/sampledata"
)

// anchor is the day the test copies of the Sample Database are generated
// "as of"; queries run as if it were noon that day.
func anchor() time.Time { return time.Date(2026, time.March, 15, 0, 0, 0, 0, time.UTC) }

// sampleDB is a synced copy of the Sample Database: its source and its
// metadata with IDs, as the app database would hold it.
type sampleDB struct {
	src    *datasource.Source
	tables []sightline.Table
	md     *query.StaticMetadata
}

// table returns the synced table named name.
func (s *sampleDB) table(t testing.TB, name string) *sightline.Table {
	t.Helper()
	for i := range s.tables {
		if s.tables[i].Name == name {
			return &s.tables[i]
		}
	}
	t.Fatalf("table %s not found among %d synced tables", name, len(s.tables))
	return nil
}

// sqliteSample writes the Sample Database to a SQLite file in a temporary
// directory and syncs it.
func sqliteSample(t testing.TB) *sampleDB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sample.db")
	if err := sampledata.WriteSQLite(context.Background(), path, sampledata.Options{Anchor: anchor()}); err != nil {
		t.Fatalf("WriteSQLite = %v", err)
	}
	return syncSample(t, sightline.Database{ID: 1, Name: "Sample Database", Engine: sightline.EngineSQLite,
		Details: sightline.DatabaseDetails{Path: path}})
}

// syncSample opens db, syncs it and numbers its tables and fields the way
// an app database would: sequentially, in the order sync returns them,
// with foreign keys resolved to the IDs of their target fields.
func syncSample(t testing.TB, db sightline.Database) *sampleDB {
	t.Helper()
	ctx := context.Background()
	src, err := datasource.Open(ctx, db)
	if err != nil {
		t.Fatalf("Open(%s) = %v", db.Engine, err)
	}
	t.Cleanup(func() {
		if err := src.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
	})
	md, err := src.Sync(ctx)
	if err != nil {
		t.Fatalf("Sync(%s) = %v", db.Engine, err)
	}
	tables := appTables(md, db.ID)
	return &sampleDB{src: src, tables: tables, md: query.NewStaticMetadata(tables, nil)}
}

// appTables converts synced tables, giving tables and fields sequential IDs
// and resolving foreign keys.
func appTables(md *datasource.Metadata, dbID int64) []sightline.Table {
	out := make([]sightline.Table, len(md.Tables))
	ids := map[sightline.ColumnRef]int64{}
	var fieldID int64
	for i := range md.Tables {
		st := &md.Tables[i]
		out[i] = st.Sightline(dbID)
		out[i].ID = int64(i + 1)
		for j := range out[i].Fields {
			fieldID++
			f := &out[i].Fields[j]
			f.ID, f.TableID = fieldID, out[i].ID
			f.Values = st.Fields[j].Values
			ids[sightline.ColumnRef{Schema: st.Schema, Table: st.Name, Column: f.Name}] = f.ID
		}
	}
	for i := range md.Tables {
		for j, sf := range md.Tables[i].Fields {
			if sf.FK != nil {
				out[i].Fields[j].FKTargetFieldID = ids[sightline.ColumnRef{Schema: sf.FK.Schema, Table: sf.FK.Table, Column: sf.FK.Column}]
			}
		}
	}
	return out
}

// cardResult is the outcome of running one question of an X-ray.
type cardResult struct {
	name    string
	display string
	rows    int
	// first is the first row of the result, nil when it has none.
	first   []any
	columns []query.Column
	err     error
}

// runCards compiles and runs every question of d on the sample, as the data
// door would, and returns one result per question in dashboard order.
func runCards(t testing.TB, s *sampleDB, d *sightline.Dashboard) []cardResult {
	t.Helper()
	ctx := context.Background()
	var out []cardResult
	for _, dc := range d.Cards {
		if dc.Card == nil {
			continue
		}
		r := cardResult{name: dc.Card.Name, display: dc.Card.Display}
		c, err := query.Compile(dc.Card.Query, s.md, query.Dialect(s.src.Engine()),
			query.Options{Now: anchor().Add(12 * time.Hour), MaxRows: datasource.DefaultMaxRows})
		if err != nil {
			r.err = err
			out = append(out, r)
			continue
		}
		r.columns = c.Columns
		bases := make([]string, len(c.Columns))
		for i, col := range c.Columns {
			bases[i] = col.BaseType
		}
		res, err := s.src.Exec(ctx, c.SQL, c.Args, datasource.Options{BaseTypes: bases})
		if err != nil {
			r.err = err
		} else {
			r.rows = len(res.Rows)
			if r.rows > 0 {
				r.first = res.Rows[0]
			}
		}
		out = append(out, r)
	}
	return out
}
