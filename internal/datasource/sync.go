package datasource

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"sightline"
)

// Limits of the cheap probes sync runs on candidate category fields.
const (
	// ProbeRows is how many rows of a table the distinct-count probe reads.
	ProbeRows = 5000
	// CategoryMaxDistinct is the most distinct values a text field may have
	// to be a category.
	CategoryMaxDistinct = 30
	// FieldValuesLimit is how many distinct values are cached per field.
	FieldValuesLimit = 1000
	// DescriptionMinAvgLength is the average length from which text reads
	// as prose (a description) rather than a label.
	DescriptionMinAvgLength = 60
	// SyncTimeout bounds a whole sync when the caller's context has no
	// shorter deadline; each probe also gets the database's query timeout.
	SyncTimeout = 10 * time.Minute
)

// Metadata is what Sync found in a database.
type Metadata struct {
	Tables []Table `json:"tables"`
}

// Table is a table or view with its fields, as found by Sync.
type Table struct {
	// Schema is the PostgreSQL schema; "" on SQLite and MySQL, where the
	// connection's database is the only namespace.
	Schema      string  `json:"schema"`
	Name        string  `json:"name"`
	IsView      bool    `json:"is_view"`
	Description string  `json:"description"`
	RowCount    int64   `json:"rows"` // approximate on PostgreSQL and MySQL
	Fields      []Field `json:"fields"`
}

// Field is a column, as found by Sync.
type Field struct {
	Name         string `json:"name"`
	DatabaseType string `json:"database_type"`
	BaseType     string `json:"base_type"`
	Position     int    `json:"position"` // 0-based, in table order
	Nullable     bool   `json:"nullable"`
	// PK is the 1-based position of the field in the table's primary key,
	// 0 when it is not part of it.
	PK int `json:"pk,omitempty"`
	// FK is the column a single-column foreign key points at, or nil.
	FK          *ForeignKey `json:"fk,omitempty"`
	Description string      `json:"description"`

	// DistinctCount is the number of distinct values among the first
	// ProbeRows rows (or of the cached Values when larger); -1 when the
	// field was not probed.
	DistinctCount int64 `json:"distinct_count"`
	// AvgLength is the average length of text values in the probe, 0 when
	// not probed.
	AvgLength    float64 `json:"avg_length,omitempty"`
	SemanticType string  `json:"semantic_type"`
	// Values are the distinct non-null values of a category field, sorted,
	// at most FieldValuesLimit.
	Values []any `json:"values,omitempty"`
}

// ForeignKey names the column a foreign key refers to.
type ForeignKey struct {
	Schema string `json:"schema"`
	Table  string `json:"table"`
	Column string `json:"column"`
}

// Sightline converts t into the vocabulary type, with display names. IDs and
// foreign-key target ids are the app database's to fill.
func (t *Table) Sightline(databaseID int64) sightline.Table {
	out := sightline.Table{
		DatabaseID:  databaseID,
		Schema:      t.Schema,
		Name:        t.Name,
		DisplayName: sightline.HumanizeName(t.Name),
		Description: t.Description,
		Visibility:  sightline.VisibilityNormal,
		IsView:      t.IsView,
		RowCount:    t.RowCount,
	}
	for _, f := range t.Fields {
		out.Fields = append(out.Fields, sightline.Field{
			Name:          f.Name,
			DisplayName:   sightline.HumanizeName(f.Name),
			Description:   f.Description,
			DatabaseType:  f.DatabaseType,
			BaseType:      f.BaseType,
			SemanticType:  f.SemanticType,
			Position:      f.Position,
			Nullable:      f.Nullable,
			Visibility:    sightline.VisibilityNormal,
			DistinctCount: max(f.DistinctCount, 0),
		})
	}
	return out
}

// Sync reads the schemas, tables, views, fields, keys, comments and
// approximate row counts of the database, probes candidate fields for
// distinct counts, infers semantic types, and fetches the distinct values of
// category fields. It reads catalogs in a few queries rather than one per
// column. Errors are *sightline.Error (EUNAVAILABLE when the database cannot
// be reached).
func (s *Source) Sync(ctx context.Context) (*Metadata, error) {
	return s.SyncWith(ctx, SyncOptions{})
}

// SyncOptions tune SyncWith.
type SyncOptions struct {
	// Report, when not nil, is called as each step begins: once for the
	// catalog, once per table and once per field whose values are read. It
	// runs on the syncing goroutine, so it should be quick.
	Report func(Progress)
	// Skip, when not nil, leaves out the tables for which it returns true:
	// they are neither probed nor returned. schema is "" on SQLite and MySQL.
	Skip func(schema, table string) bool
}

// Steps of a sync, in the order they run.
const (
	StepCatalog = "catalog" // reading the catalog of tables and fields
	StepTable   = "table"   // probing one table's fields
	StepValues  = "values"  // reading one field's distinct values
)

// Progress is how far a sync has got.
type Progress struct {
	Step string
	// Done is the 1-based number of the table or field being read, out of
	// Total, for StepTable and StepValues.
	Done, Total int
	// Table is the table being probed, for StepTable.
	Table string
}

// String says what the sync is doing, for people watching it.
func (p Progress) String() string {
	switch p.Step {
	case StepTable:
		return fmt.Sprintf("table %d of %d: %s", p.Done, p.Total, p.Table)
	case StepValues:
		return fmt.Sprintf("reading field values %d of %d", p.Done, p.Total)
	}
	return "reading tables"
}

// SyncWith is Sync with progress reports and tables left out.
func (s *Source) SyncWith(ctx context.Context, o SyncOptions) (*Metadata, error) {
	report := o.Report
	if report == nil {
		report = func(Progress) {}
	}
	started := time.Now()
	var own time.Duration
	if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > SyncTimeout {
		own = SyncTimeout
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, own)
		defer cancel()
	}
	report(Progress{Step: StepCatalog})
	var tables []Table
	var err error
	switch s.engine {
	case sightline.EnginePostgres:
		tables, err = s.postgresCatalog(ctx)
	case sightline.EngineMySQL:
		tables, err = s.mysqlCatalog(ctx)
	default:
		tables, err = s.sqliteCatalog(ctx)
	}
	if err != nil {
		return nil, s.queryError(ctx, err, started, own)
	}
	if o.Skip != nil {
		tables = slices.DeleteFunc(tables, func(t Table) bool { return o.Skip(t.Schema, t.Name) })
	}
	// Values are read once every table is probed, so that the number of
	// fields to read is known while they are read.
	type field struct {
		t *Table
		f *Field
	}
	var values []field
	for i := range tables {
		t := &tables[i]
		report(Progress{Step: StepTable, Done: i + 1, Total: len(tables), Table: t.Name})
		if err := s.profile(ctx, t); err != nil {
			return nil, s.queryError(ctx, err, started, own)
		}
		for j := range t.Fields {
			if wantsValues(t.Fields[j]) {
				values = append(values, field{t, &t.Fields[j]})
			}
		}
	}
	for k, v := range values {
		report(Progress{Step: StepValues, Done: k + 1, Total: len(values)})
		if err := s.readValues(ctx, v.t, v.f); err != nil {
			return nil, s.queryError(ctx, err, started, own)
		}
	}
	return &Metadata{Tables: tables}, nil
}

// profile probes a table's candidate fields and infers semantic types.
func (s *Source) profile(ctx context.Context, t *Table) error {
	pkCols := 0
	var probe []int
	for i := range t.Fields {
		f := &t.Fields[i]
		f.DistinctCount = -1
		if f.PK > 0 {
			pkCols++
		}
		if f.BaseType == sightline.BaseText && f.PK == 0 && f.FK == nil {
			probe = append(probe, i)
		}
	}
	if len(probe) > 0 {
		// A column the engine cannot count or measure (an exotic type) must
		// not fail the whole sync: its table just goes unprobed.
		if err := s.probe(ctx, t, probe); err != nil {
			if _, lost := s.connectionProblem(err); lost || ctx.Err() != nil {
				return err
			}
		}
	}
	for i := range t.Fields {
		f := &t.Fields[i]
		f.SemanticType = InferSemanticType(*f, pkCols)
	}
	return nil
}

// readValues fetches the distinct values of f, a field of t that
// wantsValues. A field whose values cannot be read keeps none.
func (s *Source) readValues(ctx context.Context, t *Table, f *Field) error {
	vals, err := s.fieldValues(ctx, t.Schema, t.Name, f.Name, f.BaseType, FieldValuesLimit)
	if err != nil {
		if code := sightline.ErrorCode(err); code == sightline.EUNAVAILABLE || ctx.Err() != nil {
			return err
		}
		return nil
	}
	f.Values = vals
	f.DistinctCount = max(f.DistinctCount, int64(len(vals)))
	// The probe saw only the first rows; the whole table may show the
	// field is not low-cardinality after all.
	if f.SemanticType == sightline.SemanticCategory && f.BaseType == sightline.BaseText && len(vals) > CategoryMaxDistinct {
		f.SemanticType = ""
		f.Values = nil
	}
	return nil
}

// wantsValues reports whether sync caches f's distinct values: booleans and
// low-cardinality text that is not a key.
func wantsValues(f Field) bool {
	if f.PK > 0 || f.FK != nil {
		return false
	}
	if f.BaseType == sightline.BaseBoolean {
		return true
	}
	return f.BaseType == sightline.BaseText && f.DistinctCount >= 0 && f.DistinctCount <= CategoryMaxDistinct &&
		f.AvgLength < DescriptionMinAvgLength
}

// probe counts distinct values and average lengths of the given text fields
// over the first ProbeRows rows, in one query for the whole table.
func (s *Source) probe(ctx context.Context, t *Table, idx []int) error {
	var sel, inner []string
	for _, i := range idx {
		q := QuoteIdent(s.engine, t.Fields[i].Name)
		inner = append(inner, q)
		length := "LENGTH(" + q + ")"
		switch s.engine {
		case sightline.EnginePostgres:
			// ::text covers enums and domains, which have no length().
			length = "LENGTH(" + q + "::text)"
		case sightline.EngineMySQL:
			length = "CHAR_LENGTH(" + q + ")"
		}
		sel = append(sel, "COUNT(DISTINCT "+q+")", "AVG("+length+")")
	}
	query := "SELECT " + strings.Join(sel, ", ") + " FROM (SELECT " + strings.Join(inner, ", ") +
		" FROM " + QuoteTable(s.engine, t.Schema, t.Name) + " LIMIT " + strconv.Itoa(ProbeRows) + ") AS probe"
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	counts := make([]sql.NullInt64, len(idx))
	avgs := make([]sql.NullFloat64, len(idx))
	dest := make([]any, 0, 2*len(idx))
	for i := range idx {
		dest = append(dest, &counts[i], &avgs[i])
	}
	if err := s.db.QueryRowContext(ctx, query).Scan(dest...); err != nil {
		return err
	}
	for k, i := range idx {
		t.Fields[i].DistinctCount = counts[k].Int64
		t.Fields[i].AvgLength = avgs[k].Float64
	}
	return nil
}

// FieldValues returns the distinct non-null values of a field, sorted, at
// most limit of them, normalised like Exec's values. schema is "" on SQLite
// and MySQL.
func (s *Source) FieldValues(ctx context.Context, schema, table, field string, limit int) ([]any, error) {
	base := ""
	if s.engine == sightline.EngineMySQL {
		base = s.mysqlBaseType(ctx, schema, table, field)
	}
	return s.fieldValues(ctx, schema, table, field, base, limit)
}

// fieldValues is FieldValues for a field whose base type is known ("" to
// infer it from the result).
func (s *Source) fieldValues(ctx context.Context, schema, table, field, base string, limit int) ([]any, error) {
	if limit <= 0 {
		limit = FieldValuesLimit
	}
	col := QuoteIdent(s.engine, field)
	query := "SELECT DISTINCT " + col + " FROM " + QuoteTable(s.engine, schema, table) +
		" WHERE " + col + " IS NOT NULL ORDER BY 1 LIMIT " + strconv.Itoa(limit)
	res, err := s.Exec(ctx, query, nil, Options{MaxRows: limit, BaseTypes: []string{base}})
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(res.Rows))
	for i, r := range res.Rows {
		vals[i] = r[0]
	}
	return vals, nil
}

// mysqlBaseType returns the base type of one MySQL field from the catalog,
// since result metadata cannot tell TINYINT(1) from TINYINT; "" if unknown.
func (s *Source) mysqlBaseType(ctx context.Context, schema, table, field string) string {
	var colType string
	err := s.db.QueryRowContext(ctx, `SELECT COLUMN_TYPE FROM information_schema.COLUMNS
		WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ? AND COLUMN_NAME = ?`,
		schema, table, field).Scan(&colType)
	if err != nil {
		return ""
	}
	return BaseType(s.engine, colType)
}

// tableIndex finds tables by (schema, name) while catalogs are read.
type tableIndex struct {
	tables []Table
	pos    map[[2]string]int
}

func (x *tableIndex) add(t Table) {
	if x.pos == nil {
		x.pos = map[[2]string]int{}
	}
	x.pos[[2]string{t.Schema, t.Name}] = len(x.tables)
	x.tables = append(x.tables, t)
}

func (x *tableIndex) get(schema, name string) *Table {
	i, ok := x.pos[[2]string{schema, name}]
	if !ok {
		return nil
	}
	return &x.tables[i]
}

func (t *Table) field(name string) *Field {
	for i := range t.Fields {
		if t.Fields[i].Name == name {
			return &t.Fields[i]
		}
	}
	return nil
}

// sortTables orders tables by schema and name, and fields by position.
func sortTables(ts []Table) {
	sort.Slice(ts, func(i, j int) bool {
		if ts[i].Schema != ts[j].Schema {
			return ts[i].Schema < ts[j].Schema
		}
		return ts[i].Name < ts[j].Name
	})
	for i := range ts {
		for p := range ts[i].Fields {
			ts[i].Fields[p].Position = p
		}
	}
}

// fkRef is one column of a foreign key while catalogs are read.
type fkRef struct {
	schema, table, column      string
	toSchema, toTable, toColum string
	name                       string // constraint name or id, to spot composite keys
}

// applyForeignKeys marks the columns of single-column foreign keys. A
// missing target column (SQLite's implicit reference) means the target's
// primary key.
func applyForeignKeys(x *tableIndex, refs []fkRef) {
	size := map[[3]string]int{}
	for _, r := range refs {
		size[[3]string{r.schema, r.table, r.name}]++
	}
	for _, r := range refs {
		if size[[3]string{r.schema, r.table, r.name}] != 1 {
			continue
		}
		t := x.get(r.schema, r.table)
		if t == nil {
			continue
		}
		f := t.field(r.column)
		if f == nil {
			continue
		}
		to := r.toColum
		if to == "" {
			if tt := x.get(r.toSchema, r.toTable); tt != nil {
				for _, tf := range tt.Fields {
					if tf.PK == 1 {
						to = tf.Name
					}
				}
			}
		}
		f.FK = &ForeignKey{Schema: r.toSchema, Table: r.toTable, Column: to}
	}
}

// sqliteCatalog reads sqlite_master and the table-valued pragmas.
func (s *Source) sqliteCatalog(ctx context.Context) ([]Table, error) {
	var x tableIndex
	rows, err := s.db.QueryContext(ctx, `SELECT m.name, m.type, p.name, p.type, p."notnull", p.pk
		FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p
		WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY m.name, p.cid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var table, kind, name, typ string
		var notNull bool
		var pk int
		if err := rows.Scan(&table, &kind, &name, &typ, &notNull, &pk); err != nil {
			return nil, err
		}
		t := x.get("", table)
		if t == nil {
			x.add(Table{Name: table, IsView: kind == "view"})
			t = x.get("", table)
		}
		t.Fields = append(t.Fields, Field{
			Name: name, DatabaseType: typ, BaseType: BaseType(s.engine, typ),
			Nullable: !notNull && pk == 0, PK: pk,
		})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}

	frows, err := s.db.QueryContext(ctx, `SELECT m.name, f.id, f."table", f."from", COALESCE(f."to", '')
		FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name) AS f
		WHERE m.type = 'table'`)
	if err != nil {
		return nil, err
	}
	defer frows.Close()
	var refs []fkRef
	for frows.Next() {
		var r fkRef
		if err := frows.Scan(&r.table, &r.name, &r.toTable, &r.column, &r.toColum); err != nil {
			return nil, err
		}
		refs = append(refs, r)
	}
	if err := frows.Err(); err != nil {
		return nil, err
	}
	applyForeignKeys(&x, refs)

	// SQLite keeps no row estimates unless ANALYZE ran; counting is cheap
	// for the file sizes people open this way.
	for i := range x.tables {
		t := &x.tables[i]
		if t.IsView {
			continue
		}
		if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+QuoteIdent(s.engine, t.Name)).Scan(&t.RowCount); err != nil {
			// Virtual tables whose module is not compiled in cannot be read;
			// they stay listed with no count.
			if ctx.Err() != nil {
				return nil, err
			}
		}
	}
	sortTables(x.tables)
	return x.tables, nil
}

// pgRelations restricts catalog queries to the user's tables, views,
// materialized views and foreign tables that the connected role may read.
const pgRelations = `c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
	AND n.nspname NOT IN ('pg_catalog', 'information_schema')
	AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
	AND has_table_privilege(c.oid, 'SELECT')`

// postgresCatalog reads pg_catalog in three queries.
func (s *Source) postgresCatalog(ctx context.Context) ([]Table, error) {
	var x tableIndex
	rows, err := s.db.QueryContext(ctx, `SELECT n.nspname, c.relname, c.relkind IN ('v', 'm'),
			COALESCE(obj_description(c.oid, 'pg_class'), ''),
			CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint ELSE COALESCE(st.n_live_tup, 0) END
		FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
		LEFT JOIN pg_stat_user_tables AS st ON st.relid = c.oid
		WHERE `+pgRelations+`
		ORDER BY 1, 2`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t Table
		if err := rows.Scan(&t.Schema, &t.Name, &t.IsView, &t.Description, &t.RowCount); err != nil {
			return nil, err
		}
		x.add(t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}

	crows, err := s.db.QueryContext(ctx, `SELECT n.nspname, c.relname, a.attname,
			format_type(a.atttypid, a.atttypmod),
			CASE WHEN t.typtype = 'e' THEN 'text'
			     WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod)
			     ELSE format_type(a.atttypid, a.atttypmod) END,
			NOT a.attnotnull, COALESCE(col_description(c.oid, a.attnum), '')
		FROM pg_attribute AS a
		JOIN pg_class AS c ON c.oid = a.attrelid
		JOIN pg_namespace AS n ON n.oid = c.relnamespace
		JOIN pg_type AS t ON t.oid = a.atttypid
		WHERE a.attnum > 0 AND NOT a.attisdropped AND `+pgRelations+`
		ORDER BY 1, 2, a.attnum`)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	for crows.Next() {
		var schema, table string
		var f Field
		var typeForBase string
		if err := crows.Scan(&schema, &table, &f.Name, &f.DatabaseType, &typeForBase, &f.Nullable, &f.Description); err != nil {
			return nil, err
		}
		f.BaseType = BaseType(s.engine, typeForBase)
		if t := x.get(schema, table); t != nil {
			t.Fields = append(t.Fields, f)
		}
	}
	if err := crows.Err(); err != nil {
		return nil, err
	}
	if err := crows.Close(); err != nil {
		return nil, err
	}

	krows, err := s.db.QueryContext(ctx, `SELECT n.nspname, c.relname, con.conname, con.contype, k.ord, a.attname,
			COALESCE(fn.nspname, ''), COALESCE(fc.relname, ''), COALESCE(fa.attname, '')
		FROM pg_constraint AS con
		JOIN pg_class AS c ON c.oid = con.conrelid
		JOIN pg_namespace AS n ON n.oid = c.relnamespace
		CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, fattnum, ord)
		JOIN pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
		LEFT JOIN pg_class AS fc ON fc.oid = con.confrelid
		LEFT JOIN pg_namespace AS fn ON fn.oid = fc.relnamespace
		LEFT JOIN pg_attribute AS fa ON fa.attrelid = con.confrelid AND fa.attnum = k.fattnum
		WHERE con.contype IN ('p', 'f') AND `+pgRelations)
	if err != nil {
		return nil, err
	}
	defer krows.Close()
	var refs []fkRef
	for krows.Next() {
		var r fkRef
		var kind string
		var ord int
		if err := krows.Scan(&r.schema, &r.table, &r.name, &kind, &ord, &r.column, &r.toSchema, &r.toTable, &r.toColum); err != nil {
			return nil, err
		}
		if kind == "f" {
			refs = append(refs, r)
			continue
		}
		if t := x.get(r.schema, r.table); t != nil {
			if f := t.field(r.column); f != nil {
				f.PK = ord
			}
		}
	}
	if err := krows.Err(); err != nil {
		return nil, err
	}
	applyForeignKeys(&x, refs)
	sortTables(x.tables)
	return x.tables, nil
}

// mysqlCatalog reads information_schema for the connected database.
func (s *Source) mysqlCatalog(ctx context.Context) ([]Table, error) {
	var x tableIndex
	rows, err := s.db.QueryContext(ctx, `SELECT TABLE_NAME, TABLE_TYPE, COALESCE(TABLE_ROWS, 0), COALESCE(TABLE_COMMENT, '')
		FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t Table
		var kind string
		if err := rows.Scan(&t.Name, &kind, &t.RowCount, &t.Description); err != nil {
			return nil, err
		}
		t.IsView = strings.Contains(kind, "VIEW")
		if t.IsView {
			// MySQL puts the word VIEW in every view's comment.
			t.Description, t.RowCount = "", 0
		}
		x.add(t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}

	// MariaDB stores JSON as LONGTEXT with a json_valid check.
	jsonCols := map[[2]string]bool{}
	if jrows, err := s.db.QueryContext(ctx, `SELECT TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
		WHERE CONSTRAINT_SCHEMA = DATABASE() AND CHECK_CLAUSE LIKE 'json\_valid(%'`); err == nil {
		for jrows.Next() {
			var table, clause string
			if jrows.Scan(&table, &clause) == nil {
				jsonCols[[2]string{table, clause}] = true
			}
		}
		if err := jrows.Close(); err != nil {
			return nil, err
		}
	} else if ctx.Err() != nil {
		return nil, err
	}

	crows, err := s.db.QueryContext(ctx, `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE = 'YES', COALESCE(COLUMN_COMMENT, '')
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION`)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	for crows.Next() {
		var table string
		var f Field
		if err := crows.Scan(&table, &f.Name, &f.DatabaseType, &f.Nullable, &f.Description); err != nil {
			return nil, err
		}
		f.BaseType = BaseType(s.engine, f.DatabaseType)
		if f.BaseType == sightline.BaseText && jsonCols[[2]string{table, "json_valid(" + QuoteIdent(s.engine, f.Name) + ")"}] {
			f.BaseType = sightline.BaseJSON
		}
		if t := x.get("", table); t != nil {
			t.Fields = append(t.Fields, f)
		}
	}
	if err := crows.Err(); err != nil {
		return nil, err
	}
	if err := crows.Close(); err != nil {
		return nil, err
	}

	krows, err := s.db.QueryContext(ctx, `SELECT TABLE_NAME, COLUMN_NAME, CONSTRAINT_NAME, ORDINAL_POSITION,
			COALESCE(REFERENCED_TABLE_SCHEMA, ''), COALESCE(REFERENCED_TABLE_NAME, ''), COALESCE(REFERENCED_COLUMN_NAME, ''),
			COALESCE(REFERENCED_TABLE_SCHEMA = DATABASE(), 1)
		FROM information_schema.KEY_COLUMN_USAGE
		WHERE TABLE_SCHEMA = DATABASE() AND (CONSTRAINT_NAME = 'PRIMARY' OR REFERENCED_TABLE_NAME IS NOT NULL)`)
	if err != nil {
		return nil, err
	}
	defer krows.Close()
	var refs []fkRef
	for krows.Next() {
		var r fkRef
		var ord int
		var sameDB bool
		if err := krows.Scan(&r.table, &r.column, &r.name, &ord, &r.toSchema, &r.toTable, &r.toColum, &sameDB); err != nil {
			return nil, err
		}
		if r.name == "PRIMARY" {
			if t := x.get("", r.table); t != nil {
				if f := t.field(r.column); f != nil {
					f.PK = ord
				}
			}
			continue
		}
		if sameDB {
			r.toSchema = ""
		}
		refs = append(refs, r)
	}
	if err := krows.Err(); err != nil {
		return nil, err
	}
	applyForeignKeys(&x, refs)
	sortTables(x.tables)
	return x.tables, nil
}
