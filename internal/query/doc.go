// Package query compiles the query model of package sightline to SQL for
// SQLite, PostgreSQL and MySQL/MariaDB. It is pure: Compile takes a query,
// the metadata it refers to, a Dialect and Options, and returns SQL with
// placeholders, the bound arguments and the result columns. It never talks
// to a database.
//
// Guarantees shared by the three dialects:
//
//   - Every value from a query or a parameter is a bind argument; every
//     identifier is quoted by the dialect. Native SQL variables are bound
//     too, never pasted.
//   - Date bucketing gives the same values everywhere: text 'YYYY-MM-DD'
//     for day, week (starting Sunday), month, quarter and year,
//     'YYYY-MM-DD HH:MM:SS' for minute and hour, and integers for
//     day-of-week (1 = Sunday) and month-of-year.
//   - Relative dates ("previous 30 days", "this year") are computed in Go
//     from Options.Now in the report time zone and bound as two timestamps.
//   - NULLs sort first ascending and last descending; != and
//     does-not-contain keep rows where the column is NULL.
//
// Time zones: PostgreSQL timestamptz columns are converted to the report
// time zone before bucketing. Columns without a time zone (DATE, DATETIME,
// TIMESTAMP WITHOUT TIME ZONE, SQLite text) are taken as wall-clock times
// of the report time zone. MySQL TIMESTAMP columns are read in the session
// time zone, which the connection should set to the report time zone.
//
// Row-level sandboxes plug in through Options.Views, which replaces every
// occurrence of a table by a subquery (filtered rows of the table, or an
// administrator's SQL with bound variables) and refuses the columns the
// view hides.
package query
