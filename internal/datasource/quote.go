package datasource

import (
	"strings"

	"sightline"
)

// QuoteIdent quotes one identifier for engine: "name" with doubled quotes on
// PostgreSQL and SQLite, `name` with doubled backticks on MySQL.
func QuoteIdent(engine, name string) string {
	if engine == sightline.EngineMySQL {
		return "`" + strings.ReplaceAll(name, "`", "``") + "`"
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteTable quotes a table name, qualified by its schema when there is one.
func QuoteTable(engine, schema, table string) string {
	if schema == "" {
		return QuoteIdent(engine, table)
	}
	return QuoteIdent(engine, schema) + "." + QuoteIdent(engine, table)
}
