// Package datasource connects Sightline to the user's own databases (SQLite
// files, PostgreSQL, MySQL/MariaDB): it opens and pools connections, checks
// connection details, runs SQL with a deadline, a row cap and real
// cancellation on the server, normalises values to the same Go types on every
// engine, and reads table metadata (metadata sync).
//
// Values returned by Exec and Stream are normalised by the base type of their
// column:
//
//	integers                   int64
//	floats, decimals, numerics float64 (PostgreSQL numeric and MySQL DECIMAL arrive as text)
//	booleans                   bool (also SQLite columns declared BOOLEAN; MySQL TINYINT(1) when the caller passes the base type, see Options.BaseTypes)
//	dates                      time.Time at midnight UTC (SQLite TEXT dates of DATE columns too)
//	datetimes, timestamps      time.Time in UTC
//	times of day               string "15:04:05" (with a fraction when there is one)
//	text, JSON, UUID           string
//	binary                     []byte
//	NULL                       nil
//
// Every text Exec and Stream run must be one read statement: the connections
// are read-only (a read-only SQLite file with no ATTACH and an authorizer,
// PostgreSQL transactions read-only by default, MySQL sessions READ ONLY),
// each engine runs one statement per request, and a statement that would
// write, on any engine, is refused with an EINVALID error saying so. See
// checkStatement for what each engine enforces. Nothing a person's SQL
// (Options.ReadOnly) leaves on a connection outlives the query: the
// transaction is rolled back, and the session's advisory locks released or
// its connection closed (see resetSession).
//
// Only this package imports database drivers for user databases; the app
// layer reaches it through the single data door (app.RunQuery).
package datasource
