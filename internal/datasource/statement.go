package datasource

import (
	"fmt"
	"strings"

	"sightline"
)

// What a SQL question may run is decided per engine, by the engine wherever
// it can:
//
//   - SQLite: every statement is compiled under an authorizer that allows
//     only reading the source's tables (see sqlite.go), on a read-only,
//     query_only connection that can attach no database; sqlite3_complete
//     finds the end of the first statement, and nothing may follow it.
//   - PostgreSQL: queries always use the extended protocol, whose Parse
//     message holds one statement (the server refuses more); every
//     connection has default_transaction_read_only on, and native SQL runs
//     in a READ ONLY transaction, which the server enforces. That
//     transaction still lets a privileged role COPY to a server file or
//     program, LOAD a library or change its role, so the statement must
//     also start with the keyword of a read (pgReadStatement).
//   - MySQL/MariaDB: the client never enables multi-statements and never
//     reads local files; every session is SET SESSION TRANSACTION READ ONLY,
//     and native SQL runs in a START TRANSACTION READ ONLY (which DDL alone
//     would commit implicitly and leave). The session's mode could be set
//     back by a SET statement, and SELECT ... INTO OUTFILE writes files, so
//     the text is also classified by mysqlReadStatement, which allows only
//     read statements.

// Messages of refused statements.
const (
	msgWrite   = "Only one read statement (SELECT) can run in a SQL question; this one would change the database."
	msgSeveral = "Only one statement can run in a SQL question, and this text has several. Keep one: a semicolon ends a statement."
	msgNul     = "The SQL text contains a NUL character, which no statement can."
)

// checkStatement refuses sqlText unless it is a single statement that
// engine runs without changing anything, as far as the text decides it: the
// engine's own guards (see above) apply when it runs.
func checkStatement(engine, sqlText string) error {
	if strings.IndexByte(sqlText, 0) >= 0 {
		return sightline.Errorf(sightline.EINVALID, "%s", msgNul)
	}
	switch engine {
	case sightline.EngineSQLite:
		return sqliteOneStatement(sqlText)
	case sightline.EnginePostgres:
		if msg := pgReadStatement(sqlText); msg != "" {
			return sightline.Errorf(sightline.EINVALID, "%s", msg)
		}
	case sightline.EngineMySQL:
		if msg := mysqlReadStatement(sqlText); msg != "" {
			return sightline.Errorf(sightline.EINVALID, "%s", msg)
		}
	}
	return nil
}

// pgReadStatement returns "" when sqlText starts, after blanks, comments
// and opening parentheses, with the keyword of a read statement (SELECT,
// WITH, VALUES, TABLE, SHOW, EXPLAIN), and otherwise why it is refused.
// PostgreSQL itself refuses a second statement and, in a READ ONLY
// transaction, any write a read statement attempts.
func pgReadStatement(sqlText string) string {
	s := sqlText
	for {
		s = strings.TrimLeft(s, " \t\n\r\f\v(")
		switch {
		case strings.HasPrefix(s, "--"):
			nl := strings.IndexAny(s, "\n\r")
			if nl < 0 {
				return "There is no statement to run."
			}
			s = s[nl+1:]
		case strings.HasPrefix(s, "/*"):
			// PostgreSQL's block comments nest.
			end, depth := 2, 1
			for depth > 0 {
				if end >= len(s) {
					return "A comment (/* ...) is not closed."
				}
				switch {
				case strings.HasPrefix(s[end:], "/*"):
					depth++
					end += 2
				case strings.HasPrefix(s[end:], "*/"):
					depth--
					end += 2
				default:
					end++
				}
			}
			s = s[end:]
		default:
			n := 0
			for n < len(s) && (s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z') {
				n++
			}
			if n == 0 {
				if s == "" || s[0] == ';' {
					return "There is no statement to run."
				}
				return "Only one read statement (SELECT, WITH, VALUES, TABLE, SHOW or EXPLAIN) can run in a SQL question; this one does not start with one."
			}
			// A longer word (SELECT1, SELECTé) is no keyword.
			for n < len(s) && isWordByte(s[n]) {
				n++
			}
			switch w := asciiUpper(s[:n]); w {
			case "SELECT", "WITH", "VALUES", "TABLE", "SHOW", "EXPLAIN":
				return ""
			default:
				if mysqlWriteWord(w) || w == "COPY" {
					return msgWrite
				}
				return fmt.Sprintf("Only one read statement (SELECT, WITH, VALUES, TABLE, SHOW or EXPLAIN) can run in a SQL question; this one starts with %s.", w)
			}
		}
	}
}

// tokenKind is the kind of a MySQL token.
type tokenKind int

const (
	// tokWord is an unquoted word: a keyword, an identifier or a number.
	tokWord tokenKind = iota
	// tokQuoted is a string or a quoted identifier.
	tokQuoted
	// tokPunct is any other single character.
	tokPunct
)

// token is one MySQL token. A word's text is upper-cased (ASCII letters
// only); a quoted token's text is empty.
type token struct {
	kind tokenKind
	text string
	// odd marks a word MySQL may split into several tokens: one starting
	// with a digit (1e5INTO is the number 1e5 and INTO) or holding
	// non-ASCII bytes.
	odd bool
}

// is reports whether t is the word w (upper case) or the punctuation w.
func (t token) is(w string) bool { return t.kind != tokQuoted && t.text == w }

// quoteMode says whether a backslash escapes the next character inside
// '...' and inside "..." strings. It depends on the server's sql_mode
// (NO_BACKSLASH_ESCAPES, ANSI_QUOTES), which Sightline does not control, so
// text is read in every mode and must pass in all of them.
type quoteMode struct{ single, double bool }

// quoteModes are the readings of sql_mode: the default, ANSI_QUOTES ("..."
// names an identifier, where backslashes are plain), and
// NO_BACKSLASH_ESCAPES.
func quoteModes() [3]quoteMode {
	return [3]quoteMode{{true, true}, {true, false}, {false, false}}
}

// mysqlReadStatement returns "" when sqlText is one MySQL/MariaDB read
// statement, in every quote mode, and otherwise why it is refused.
func mysqlReadStatement(sqlText string) string {
	modes := quoteModes()
	if !strings.Contains(sqlText, "\\") {
		// Without a backslash every mode reads the same.
		modes[1], modes[2] = modes[0], modes[0]
	}
	for i, m := range modes {
		if i > 0 && m == modes[0] {
			continue
		}
		toks, msg := mysqlTokens(sqlText, m)
		if msg == "" {
			msg = mysqlClassify(toks)
		}
		switch {
		case msg == "":
		case i == 0:
			return msg
		default:
			// The default reading passed and another did not.
			return "This SQL reads differently depending on the server's sql_mode, because of a backslash in a quoted string: write a quote inside a string as two quotes ('' or \"\"), and a backslash as two."
		}
	}
	return ""
}

// mysqlTokens splits src into tokens the way the MySQL server reads them,
// dropping whitespace and comments. It refuses executable comments
// (/*! ... */, MariaDB's /*M! ... */), whose content MySQL runs as code, and
// unterminated strings and comments.
func mysqlTokens(src string, m quoteMode) ([]token, string) {
	toks := make([]token, 0, len(src)/4)
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '#' || (c == '-' && strings.HasPrefix(src[i:], "--") && (i+2 == len(src) || src[i+2] <= ' ' || src[i+2] == 0x7f)):
			// "--" starts a comment only when a space or control character
			// follows: 1--1 is 1 - -1. MySQL ends a line comment at "\n";
			// ending it at "\r" too can only show more text as code.
			nl := strings.IndexAny(src[i:], "\n\r")
			if nl < 0 {
				i = len(src)
			} else {
				i += nl + 1
			}
		case c == '/' && strings.HasPrefix(src[i:], "/*"):
			rest := src[i+2:]
			if strings.HasPrefix(rest, "!") || strings.HasPrefix(rest, "M!") || strings.HasPrefix(rest, "m!") {
				return nil, "Executable comments (/*! ... */) cannot be used in a SQL question: the server runs what they hold."
			}
			end := strings.Index(rest, "*/")
			if end < 0 {
				return nil, "A comment (/* ...) is not closed."
			}
			i += 2 + end + 2
		case c == '\'' || c == '"' || c == '`':
			escapes := (c == '\'' && m.single) || (c == '"' && m.double)
			end, ok := quoteEnd(src, i, escapes)
			if !ok {
				return nil, fmt.Sprintf("A quoted string or name (%c...) is not closed.", c)
			}
			toks = append(toks, token{kind: tokQuoted})
			i = end
		case isWordByte(c):
			j, odd := i, c >= '0' && c <= '9'
			for j < len(src) && isWordByte(src[j]) {
				odd = odd || src[j] >= 0x80
				j++
			}
			toks = append(toks, token{kind: tokWord, text: asciiUpper(src[i:j]), odd: odd})
			i = j
		default:
			toks = append(toks, token{kind: tokPunct, text: src[i : i+1]})
			i++
		}
	}
	return toks, ""
}

// quoteEnd returns the index just past the quoted text opening at src[i],
// where a doubled quote stands for one and, when escapes is set, a
// backslash escapes the next byte.
func quoteEnd(src string, i int, escapes bool) (int, bool) {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch {
		case escapes && src[j] == '\\':
			j++
		case src[j] == q:
			if j+1 < len(src) && src[j+1] == q {
				j++
				continue
			}
			return j + 1, true
		}
	}
	return 0, false
}

// isWordByte reports whether c belongs to an unquoted MySQL word; bytes of
// non-ASCII characters do.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80
}

// asciiUpper upper-cases the ASCII letters of s, as MySQL compares
// keywords; other characters stay as they are.
func asciiUpper(s string) string {
	lower := false
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			lower = true
			break
		}
	}
	if !lower {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// mysqlClassify returns "" when toks are one read statement, or why not.
func mysqlClassify(toks []token) string {
	// One statement: a semicolon may only end the text.
	for i, t := range toks {
		if t.is(";") {
			for _, u := range toks[i+1:] {
				if !u.is(";") {
					return msgSeveral
				}
			}
			toks = toks[:i]
			break
		}
	}
	if len(toks) == 0 {
		return "There is no statement to run."
	}
	if msg := mysqlRead(toks, true); msg != "" {
		return msg
	}
	for i, t := range toks {
		if t.kind != tokWord {
			continue
		}
		switch {
		case t.text == "LOAD_FILE":
			return "LOAD_FILE cannot run in a SQL question: it reads files of the database server."
		case t.text == "INTO":
			return "SELECT ... INTO cannot run in a SQL question: it writes a file or a variable."
		case t.text == "LOCK" || t.text == "FOR" && i+1 < len(toks) && (toks[i+1].is("UPDATE") || toks[i+1].is("SHARE")):
			return "SELECT ... FOR UPDATE, FOR SHARE and LOCK IN SHARE MODE cannot run in a SQL question: they lock rows."
		case t.odd && (strings.Contains(t.text, "INTO") || strings.Contains(t.text, "LOCK") || strings.Contains(t.text, "FOR") || strings.Contains(t.text, "LOAD_FILE")):
			return fmt.Sprintf("The word %q may hide a keyword from the check of SQL questions: put a space before the keyword, or quote the name with backticks.", t.text)
		}
	}
	return ""
}

// mysqlRead returns "" when toks start a read statement, or why not. top
// allows the statements that may not follow WITH or an opening parenthesis
// (SHOW, EXPLAIN, DESCRIBE).
func mysqlRead(toks []token, top bool) string {
	first := toks[0]
	switch {
	case first.is("("):
		i := 0
		for i < len(toks) && toks[i].is("(") {
			i++
		}
		if i == len(toks) {
			return msgWrite
		}
		return mysqlRead(toks[i:], false)
	case first.is("SELECT"), first.is("VALUES"), first.is("TABLE"):
		return ""
	case first.is("WITH"):
		return mysqlWith(toks)
	case top && first.is("SHOW"):
		return ""
	case top && (first.is("EXPLAIN") || first.is("DESCRIBE") || first.is("DESC")):
		return mysqlExplain(toks)
	case first.kind == tokWord && !first.odd && !mysqlWriteWord(first.text):
		return fmt.Sprintf("Only one read statement (SELECT, WITH, SHOW, DESCRIBE or EXPLAIN) can run in a SQL question; this one starts with %s.", first.text)
	}
	return msgWrite
}

// mysqlWriteWord reports whether a statement starting with w changes the
// database or the session, for the message that refuses it. Any other word
// is refused too, with a message naming it.
func mysqlWriteWord(w string) bool {
	switch w {
	case "INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "TRUNCATE", "RENAME", "LOAD",
		"SET", "CALL", "HANDLER", "LOCK", "UNLOCK", "DO", "GRANT", "REVOKE", "START", "BEGIN", "COMMIT",
		"ROLLBACK", "SAVEPOINT", "RELEASE", "PREPARE", "EXECUTE", "DEALLOCATE", "ANALYZE", "OPTIMIZE", "REPAIR",
		"CHECK", "FLUSH", "KILL", "RESET", "PURGE", "INSTALL", "UNINSTALL", "XA", "USE", "IMPORT", "CLONE",
		"SHUTDOWN", "RESTART", "BINLOG", "CACHE", "SIGNAL", "RESIGNAL":
		return true
	}
	return false
}

// mysqlWith checks WITH [RECURSIVE] name [(columns)] AS (...) [, ...]
// followed by a read statement: MySQL 8 also allows WITH ... UPDATE and
// WITH ... DELETE.
func mysqlWith(toks []token) string {
	i := 1
	if i < len(toks) && toks[i].is("RECURSIVE") {
		i++
	}
	for {
		if i >= len(toks) || !(toks[i].kind == tokQuoted || toks[i].kind == tokWord) {
			return msgWrite
		}
		i++
		if i < len(toks) && toks[i].is("(") {
			if i = skipParens(toks, i); i < 0 {
				return msgWrite
			}
		}
		if i >= len(toks) || !toks[i].is("AS") {
			return msgWrite
		}
		i++
		if i >= len(toks) || !toks[i].is("(") {
			return msgWrite
		}
		if i = skipParens(toks, i); i < 0 {
			return msgWrite
		}
		if i < len(toks) && toks[i].is(",") {
			i++
			continue
		}
		break
	}
	if i >= len(toks) {
		return msgWrite
	}
	return mysqlRead(toks[i:], false)
}

// skipParens returns the index just past the parenthesis that closes the
// one at toks[i], or -1 when it is never closed.
func skipParens(toks []token, i int) int {
	depth := 0
	for ; i < len(toks); i++ {
		switch {
		case toks[i].is("("):
			depth++
		case toks[i].is(")"):
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// mysqlExplain checks EXPLAIN or DESCRIBE of a read statement, or of a
// table (DESCRIBE t [column]). EXPLAIN ANALYZE runs its statement, so the
// statement must be a read; EXPLAIN FOR CONNECTION is refused.
func mysqlExplain(toks []token) string {
	i := 1
	for i < len(toks) && (toks[i].is("EXTENDED") || toks[i].is("PARTITIONS") || toks[i].is("ANALYZE")) {
		i++
	}
	if i < len(toks) && toks[i].is("FORMAT") {
		i++
		if i < len(toks) && toks[i].is("=") {
			i++
		}
		if i < len(toks) && toks[i].kind != tokPunct {
			i++
		}
	}
	if i == len(toks) {
		return msgWrite
	}
	if t := toks[i]; t.is("(") || t.is("SELECT") || t.is("WITH") || t.is("VALUES") || t.is("TABLE") {
		return mysqlRead(toks[i:], false)
	}
	// DESCRIBE table, db.table, table column or table 'pattern'.
	rest := toks[i:]
	if !tableName(rest[0]) {
		return msgWrite
	}
	rest = rest[1:]
	if len(rest) >= 2 && rest[0].is(".") && tableName(rest[1]) {
		rest = rest[2:]
	}
	if len(rest) == 1 && (rest[0].kind == tokQuoted || tableName(rest[0])) {
		rest = rest[1:]
	}
	if len(rest) != 0 {
		return msgWrite
	}
	return ""
}

// tableName reports whether t can be a plain table or column name after
// DESCRIBE: a quoted name, or a word that starts with a letter and is not a
// keyword of a statement.
func tableName(t token) bool {
	if t.kind == tokQuoted {
		return true
	}
	if t.kind != tokWord || t.odd || t.text == "" || t.text[0] >= '0' && t.text[0] <= '9' {
		return false
	}
	switch t.text {
	case "SELECT", "WITH", "VALUES", "TABLE", "INSERT", "UPDATE", "DELETE", "REPLACE", "FOR", "ANALYZE",
		"EXTENDED", "PARTITIONS", "FORMAT", "CREATE", "DROP", "ALTER", "LOAD", "CALL", "SET", "DO", "HANDLER":
		return false
	}
	return true
}
