package sampledata

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"sightline"
)

// Formats of dates and timestamps where an engine stores them as text.
const (
	dateLayout      = "2006-01-02"
	timestampLayout = "2006-01-02 15:04:05"
)

func checkDialect(dialect string) error {
	switch dialect {
	case sightline.EngineSQLite, sightline.EnginePostgres, sightline.EngineMySQL:
		return nil
	}
	return sightline.Errorf(sightline.EINVALID, "The sample data cannot be loaded into %q: choose sqlite, postgres or mysql.", dialect)
}

// quote quotes an identifier for dialect.
func quote(dialect, name string) string {
	if dialect == sightline.EngineMySQL {
		return "`" + strings.ReplaceAll(name, "`", "``") + "`"
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// literal quotes a description as an SQL string literal. Descriptions are
// this package's own constants without backslashes, so doubling quotes is
// enough for every dialect.
func literal(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// createStatements returns the statements that create t (when missing) on
// dialect, with its keys, foreign keys, indexes and descriptions.
func createStatements(dialect string, t TableDef) []string {
	q := func(s string) string { return quote(dialect, s) }
	var defs []string
	for _, c := range t.Columns {
		d := q(c.Name) + " " + c.Type(dialect)
		if c.PrimaryKey {
			d += " PRIMARY KEY"
		} else if !c.Nullable {
			d += " NOT NULL"
		}
		if dialect == sightline.EngineMySQL {
			d += " COMMENT " + literal(c.Description)
		}
		defs = append(defs, d)
	}
	for _, c := range t.Columns {
		if c.References != "" {
			defs = append(defs, fmt.Sprintf("FOREIGN KEY (%s) REFERENCES %s (%s)", q(c.Name), q(c.References), q("ID")))
		}
	}
	create := "CREATE TABLE IF NOT EXISTS " + q(t.Name) + " (\n  " + strings.Join(defs, ",\n  ") + "\n)"
	if dialect == sightline.EngineMySQL {
		// MySQL indexes foreign keys by itself.
		return []string{create + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT=" + literal(t.Description)}
	}
	stmts := []string{create}
	for _, c := range t.Columns {
		if c.References != "" {
			stmts = append(stmts, fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON %s (%s)",
				q("IDX_"+t.Name+"_"+c.Name), q(t.Name), q(c.Name)))
		}
	}
	if dialect == sightline.EnginePostgres {
		stmts = append(stmts, "COMMENT ON TABLE "+q(t.Name)+" IS "+literal(t.Description))
		for _, c := range t.Columns {
			stmts = append(stmts, "COMMENT ON COLUMN "+q(t.Name)+"."+q(c.Name)+" IS "+literal(c.Description))
		}
	}
	return stmts
}

// insertStatement returns a multi-row INSERT of rows rows into t that skips
// rows whose ID is already there, so a load can be repeated or resumed.
func insertStatement(dialect string, t TableDef, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(quote(dialect, t.Name))
	b.WriteString(" (")
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(dialect, c.Name))
	}
	b.WriteString(") VALUES ")
	n := 0
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for i := range t.Columns {
			if i > 0 {
				b.WriteString(", ")
			}
			n++
			if dialect == sightline.EnginePostgres {
				b.WriteString("$" + strconv.Itoa(n))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	switch dialect {
	case sightline.EnginePostgres:
		b.WriteString(` ON CONFLICT ("ID") DO NOTHING`)
	case sightline.EngineMySQL:
		b.WriteString(" ON DUPLICATE KEY UPDATE `ID` = `ID`")
	}
	return b.String()
}

// value converts a generated value of kind k to the argument dialect stores.
// Money travels as exact decimal text to PostgreSQL and MySQL; SQLite gets
// numbers, 0/1 for booleans and text for dates.
func value(dialect string, k Kind, v any) any {
	if v == nil {
		return nil
	}
	switch k {
	case Money:
		if dialect != sightline.EngineSQLite {
			return strconv.FormatFloat(v.(float64), 'f', 2, 64)
		}
	case Bool:
		if dialect == sightline.EngineSQLite {
			if v.(bool) {
				return int64(1)
			}
			return int64(0)
		}
	case Date:
		if dialect != sightline.EnginePostgres {
			return v.(time.Time).Format(dateLayout)
		}
	case Timestamp:
		if dialect != sightline.EnginePostgres {
			return v.(time.Time).Format(timestampLayout)
		}
	}
	return v
}
