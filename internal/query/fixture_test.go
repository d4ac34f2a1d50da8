package query

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"sightline"
	"sightline/internal/sqlitefunc"
	"sightline/internal/testdb"
)

// The fixture is a small billing schema (plans, accounts, invoices) plus a
// table whose name and columns need quoting everywhere. The same rows are
// loaded into SQLite, PostgreSQL and MariaDB.

func field(id, table int64, name, base string, opts ...func(*sightline.Field)) sightline.Field {
	f := sightline.Field{ID: id, TableID: table, Name: name, DisplayName: sightline.HumanizeName(name), BaseType: base, Visibility: sightline.VisibilityNormal}
	for _, o := range opts {
		o(&f)
	}
	return f
}

func pk(f *sightline.Field) { f.SemanticType = sightline.SemanticPK }

func fkTo(target int64) func(*sightline.Field) {
	return func(f *sightline.Field) { f.SemanticType, f.FKTargetFieldID = sightline.SemanticFK, target }
}

func hidden(f *sightline.Field) { f.Visibility = sightline.VisibilityHidden }

// fixtureTables is the metadata of the fixture schema.
func fixtureTables() []sightline.Table {
	return []sightline.Table{
		{ID: 1, DatabaseID: 1, Name: "plans", DisplayName: "Plans", Fields: []sightline.Field{
			field(1, 1, "id", sightline.BaseInteger, pk),
			field(2, 1, "name", sightline.BaseText),
			field(3, 1, "price", sightline.BaseFloat),
		}},
		{ID: 2, DatabaseID: 1, Name: "accounts", DisplayName: "Accounts", Fields: []sightline.Field{
			field(10, 2, "id", sightline.BaseInteger, pk),
			field(11, 2, "name", sightline.BaseText),
			field(12, 2, "plan_id", sightline.BaseInteger, fkTo(1)),
			field(13, 2, "country", sightline.BaseText),
			field(14, 2, "created_at", sightline.BaseDateTime),
			field(15, 2, "seats", sightline.BaseInteger),
		}},
		{ID: 3, DatabaseID: 1, Name: "invoices", DisplayName: "Invoices", Fields: []sightline.Field{
			field(20, 3, "id", sightline.BaseInteger, pk),
			field(21, 3, "account_id", sightline.BaseInteger, fkTo(10)),
			field(22, 3, "payment", sightline.BaseFloat),
			field(23, 3, "date_received", sightline.BaseDate),
			field(24, 3, "status", sightline.BaseText),
			field(25, 3, "paid_at", sightline.BaseDateTime),
			// sent_at exists only in the metadata: it shows the SQL for a
			// time-zone-aware column in golden files.
			field(26, 3, "sent_at", sightline.BaseDateTimeTZ, hidden),
		}},
		{ID: 4, DatabaseID: 1, Name: "Order", DisplayName: "Order", Fields: []sightline.Field{
			field(30, 4, "select", sightline.BaseInteger, pk),
			field(31, 4, `my "quoted" col`, sightline.BaseText),
			field(32, 4, "back`tick", sightline.BaseText),
			field(33, 4, "two words", sightline.BaseDate),
		}},
	}
}

// fixtureCards are saved questions used as sources.
func fixtureCards(t testing.TB) map[int64]*sightline.Query {
	t.Helper()
	cards := map[int64]*sightline.Query{}
	for id, js := range map[int64]string{
		100: `{"database": 1, "type": "query", "query": {"source-table": 3, "aggregation": [["sum", ["field", 22, null]], ["count"]], "breakout": [["field", 21, null]]}}`,
		101: `{"database": 1, "type": "native", "native": {"query": "SELECT id, payment FROM invoices WHERE payment > 100"}}`,
	} {
		q, err := sightline.ParseQuery([]byte(js))
		if err != nil {
			t.Fatalf("card %d: %v", id, err)
		}
		cards[id] = q
	}
	return cards
}

func fixtureMetadata(t testing.TB) *StaticMetadata {
	t.Helper()
	return NewStaticMetadata(fixtureTables(), fixtureCards(t))
}

// Rows of the fixture, as Go values (nil is NULL).
type fixtureRows struct {
	plans, accounts, invoices, order [][]any
}

var accountNames = []string{"Acme", "Bolt", "Cobalt", "Delta", "Echo", "Falcon", "Gamma", "Helix", "Ion", "Juno", "Kilo", "Lumen"}

func fixtureData() fixtureRows {
	var r fixtureRows
	r.plans = [][]any{{int64(1), "Basic", 10.0}, {int64(2), "Business", 50.0}, {int64(3), "Premium", 100.0}}
	countries := []any{"Germany", "France", "", nil, "Spain", "Italy"}
	for i := 1; i <= 12; i++ {
		var plan any = int64(i%3 + 1)
		if i == 12 {
			plan = nil
		}
		var seats any = int64(i * 3)
		if i == 5 {
			seats = nil
		}
		created := time.Date(2023, time.Month(i), i*2, i, i*4, 0, 0, time.UTC).Format("2006-01-02 15:04:05")
		r.accounts = append(r.accounts, []any{int64(i), accountNames[i-1], plan, countries[i%len(countries)], created, seats})
	}
	statuses := []any{"Paid", "Open", "Overdue", "", "Paid"}
	base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for j := 1; j <= 80; j++ {
		var payment any = float64((j*37)%200) + 0.25*float64(j%4)
		if j%17 == 0 {
			payment = nil
		}
		received := base.AddDate(0, 0, j*9)
		status := statuses[j%len(statuses)]
		if j%13 == 0 {
			status = nil
		}
		var paid any = received.AddDate(0, 0, j%7).Add(time.Duration(j%24)*time.Hour + time.Duration(j*7%60)*time.Minute).Format("2006-01-02 15:04:05")
		if j%3 == 0 {
			paid = nil
		}
		r.invoices = append(r.invoices, []any{int64(j), int64(j%12 + 1), payment, received.Format("2006-01-02"), status, paid})
	}
	r.order = [][]any{
		{int64(1), "it's", "a`b", "2024-01-02"},
		{int64(2), `say "hi"`, "c", "2024-02-03"},
		{int64(3), "' OR 1=1 --", nil, nil},
	}
	return r
}

// columnTypes are the fixture's column types per dialect.
func columnTypes(d Dialect) map[string]string {
	switch d {
	case Postgres:
		return map[string]string{"int": "INTEGER", "text": "TEXT", "float": "DOUBLE PRECISION", "date": "DATE", "datetime": "TIMESTAMP"}
	case MySQL:
		return map[string]string{"int": "INT", "text": "VARCHAR(100)", "float": "DOUBLE", "date": "DATE", "datetime": "DATETIME"}
	}
	return map[string]string{"int": "INTEGER", "text": "TEXT", "float": "REAL", "date": "DATE", "datetime": "DATETIME"}
}

// loadFixture creates the fixture tables in db and fills them.
func loadFixture(t testing.TB, db *sql.DB, d Dialect) {
	t.Helper()
	ctx := context.Background()
	ty := columnTypes(d)
	data := fixtureData()
	tables := []struct {
		name string
		cols [][2]string
		rows [][]any
	}{
		{"plans", [][2]string{{"id", "int"}, {"name", "text"}, {"price", "float"}}, data.plans},
		{"accounts", [][2]string{{"id", "int"}, {"name", "text"}, {"plan_id", "int"}, {"country", "text"}, {"created_at", "datetime"}, {"seats", "int"}}, data.accounts},
		{"invoices", [][2]string{{"id", "int"}, {"account_id", "int"}, {"payment", "float"}, {"date_received", "date"}, {"status", "text"}, {"paid_at", "datetime"}}, data.invoices},
		{"Order", [][2]string{{"select", "int"}, {`my "quoted" col`, "text"}, {"back`tick", "text"}, {"two words", "date"}}, data.order},
	}
	for _, tb := range tables {
		var defs, names, marks []string
		for i, c := range tb.cols {
			def := d.Quote(c[0]) + " " + ty[c[1]]
			if i == 0 {
				def += " PRIMARY KEY"
			}
			defs = append(defs, def)
			names = append(names, d.Quote(c[0]))
			marks = append(marks, d.Placeholder(i+1))
		}
		if _, err := db.ExecContext(ctx, "CREATE TABLE "+d.Quote(tb.name)+" ("+strings.Join(defs, ", ")+")"); err != nil {
			t.Fatalf("create %s on %s: %v", tb.name, d, err)
		}
		ins := "INSERT INTO " + d.Quote(tb.name) + " (" + strings.Join(names, ", ") + ") VALUES (" + strings.Join(marks, ", ") + ")"
		for _, row := range tb.rows {
			if _, err := db.ExecContext(ctx, ins, row...); err != nil {
				t.Fatalf("insert into %s on %s: %v", tb.name, d, err)
			}
		}
	}
}

// engine is a fixture database on one engine.
type engine struct {
	d  Dialect
	db *sql.DB
}

// forEachEngine runs f as a subtest on the fixture in SQLite, then in
// PostgreSQL and MariaDB (each skipped locally when its server is missing,
// failed under CI). SQLite runs first, so it can serve as the reference.
func forEachEngine(t *testing.T, f func(t *testing.T, e engine)) {
	t.Helper()
	open := func(t *testing.T, d Dialect, driver, dsn string) engine {
		db, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatalf("open %s: %v", d, err)
		}
		t.Cleanup(func() { db.Close() })
		loadFixture(t, db, d)
		return engine{d, db}
	}
	t.Run("sqlite", func(t *testing.T) {
		// The functions Sightline adds to SQLite, as the data source does.
		if err := sqlitefunc.Register(); err != nil {
			t.Fatal(err)
		}
		f(t, open(t, SQLite, "sqlite", filepath.Join(t.TempDir(), "fixture.db")))
	})
	t.Run("postgres", func(t *testing.T) {
		pg := testdb.Postgres(t)
		f(t, open(t, Postgres, "pgx", pg.URL))
	})
	t.Run("mysql", func(t *testing.T) {
		my := testdb.MySQL(t)
		f(t, open(t, MySQL, "mysql", my.DSN))
	})
}

// run executes compiled SQL and returns normalised rows.
func run(ctx context.Context, db *sql.DB, c *Compiled) ([][]string, error) {
	rows, err := db.QueryContext(ctx, c.SQL, c.Args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = normalize(v)
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// normalize renders a driver value so that engines compare equal: only
// number formatting, float precision and the Go type a driver picks for a
// date differ between them.
func normalize(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return normalize(string(x))
	case bool:
		if x {
			return "1"
		}
		return "0"
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case float64:
		return formatFloat(x)
	case float32:
		return formatFloat(float64(x))
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	case string:
		if f, err := strconv.ParseFloat(x, 64); err == nil {
			return formatFloat(f)
		}
		for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05Z", time.RFC3339} {
			if tm, err := time.Parse(layout, x); err == nil {
				return normalize(tm)
			}
		}
		return x
	}
	return fmt.Sprint(v)
}

func formatFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', 10, 64)
}
