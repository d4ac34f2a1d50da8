package query

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/sampledata"
	"sightline/internal/sqlitefunc"
	"sightline/internal/testdb"
)

// The differential test runs a corpus of structured questions over the
// Sample Database loaded in SQLite, PostgreSQL and MariaDB and requires the
// same results everywhere (normalising number formatting and float
// precision), and checks every question against an SQL answer written by
// hand for SQLite.

// sampleAnchor fixes the generated data and "now" for relative dates.
var sampleAnchor = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)

// sampleMetadata describes the Sample Database: table i has ID i+1 and its
// column j has field ID 100*(i+1)+j+1.
func sampleMetadata() ([]sightline.Table, map[string]int64) {
	ids := map[string]int64{}
	defs := sampledata.Tables()
	for i, td := range defs {
		ids[td.Name] = int64(i + 1)
		for j, c := range td.Columns {
			ids[td.Name+"."+c.Name] = int64(100*(i+1) + j + 1)
		}
	}
	var tables []sightline.Table
	for i, td := range defs {
		t := sightline.Table{ID: int64(i + 1), DatabaseID: 1, Name: td.Name, DisplayName: sightline.HumanizeName(td.Name)}
		for j, c := range td.Columns {
			f := sightline.Field{ID: int64(100*(i+1) + j + 1), TableID: t.ID, Name: c.Name, DisplayName: sightline.HumanizeName(c.Name), Position: j, Visibility: sightline.VisibilityNormal}
			switch c.Kind {
			case sampledata.Integer:
				f.BaseType = sightline.BaseInteger
			case sampledata.Money:
				f.BaseType = sightline.BaseDecimal
			case sampledata.Float:
				f.BaseType = sightline.BaseFloat
			case sampledata.Bool:
				f.BaseType = sightline.BaseBoolean
			case sampledata.Date:
				f.BaseType = sightline.BaseDate
			case sampledata.Timestamp:
				f.BaseType = sightline.BaseDateTime
			default:
				f.BaseType = sightline.BaseText
			}
			if c.PrimaryKey {
				f.SemanticType = sightline.SemanticPK
			}
			if c.References != "" {
				f.SemanticType, f.FKTargetFieldID = sightline.SemanticFK, ids[c.References+".ID"]
			}
			t.Fields = append(t.Fields, f)
		}
		tables = append(tables, t)
	}
	return tables, ids
}

// question is one structured question of the corpus. Its JSON names tables
// as $TABLE and fields as $TABLE.COLUMN; the test swaps in the IDs.
type question struct {
	name string
	json string
	// ordered: compare rows in order (the question has a limit); otherwise
	// rows are compared as sorted lists, since text collations differ.
	ordered bool
	// hand is an SQL answer for SQLite written without the compiler.
	hand string
}

var placeholder = regexp.MustCompile(`\$[A-Z_]+(\.[A-Z_]+)?`)

func (qu question) resolve(t testing.TB, ids map[string]int64) string {
	t.Helper()
	var missing []string
	out := placeholder.ReplaceAllStringFunc(qu.json, func(m string) string {
		id, ok := ids[m[1:]]
		if !ok {
			missing = append(missing, m)
		}
		return strconv.FormatInt(id, 10)
	})
	if len(missing) > 0 {
		t.Fatalf("question %s refers to unknown %v", qu.name, missing)
	}
	return `{"database": 1, "type": "query", "query": ` + out + `}`
}

// handBucket is a SQLite expression for a temporal unit written without the
// compiler's dialect, over 'YYYY-MM-DD[ HH:MM:SS]' text.
func handBucket(col, unit string) string {
	switch unit {
	case "minute":
		return "substr(" + col + ", 1, 16) || ':00'"
	case "hour":
		return "substr(" + col + ", 1, 13) || ':00:00'"
	case "day":
		return "substr(" + col + ", 1, 10)"
	case "week":
		return "date(julianday(substr(" + col + ", 1, 10)) - CAST(strftime('%w', " + col + ") AS INTEGER))"
	case "month":
		return "substr(" + col + ", 1, 7) || '-01'"
	case "quarter":
		return "substr(" + col + ", 1, 5) || printf('%02d', (CAST(substr(" + col + ", 6, 2) AS INTEGER) - 1) / 3 * 3 + 1) || '-01'"
	case "year":
		return "substr(" + col + ", 1, 4) || '-01-01'"
	case "day-of-week":
		return "CAST(strftime('%w', " + col + ") AS INTEGER) + 1"
	}
	return "CAST(substr(" + col + ", 6, 2) AS INTEGER)"
}

func fref(col string) string { return `["field", $` + col + `, null]` }

func fvia(fk, col string) string { return `["field", $` + col + `, {"source-field": $` + fk + `}]` }

func funit(col, unit string) string {
	return `["field", $` + col + `, {"temporal-unit": "` + unit + `"}]`
}

// corpus builds the questions: temporal breakouts per unit, categories,
// filters, implicit and explicit joins, binning, cumulative metrics,
// custom columns and top-N lists.
func corpus() []question {
	var qs []question
	add := func(name, js string) { qs = append(qs, question{name: name, json: js}) }
	// hand holds SQLite answers written without the compiler; the loops
	// below fill in the ones that follow a pattern.
	hand := map[string]string{
		"count of ORDERS":                    `SELECT COUNT(*), COUNT(DISTINCT ID), MAX(ID) FROM ORDERS`,
		"ORDERS by CREATED_AT month":         `SELECT substr(CREATED_AT, 1, 7) || '-01', COUNT(*), SUM(TOTAL) FROM ORDERS GROUP BY 1`,
		"INVOICES by DATE_RECEIVED year":     `SELECT substr(DATE_RECEIVED, 1, 4) || '-01-01', COUNT(*), SUM(PAYMENT) FROM INVOICES GROUP BY 1`,
		"ORDERS by CREATED_AT month-of-year": `SELECT CAST(substr(CREATED_AT, 6, 2) AS INTEGER), COUNT(*), SUM(TOTAL) FROM ORDERS GROUP BY 1`,
		"ACCOUNTS by PLAN":                   `SELECT PLAN, COUNT(*), COUNT(DISTINCT SEATS), AVG(SEATS), MIN(SEATS), MAX(SEATS) FROM ACCOUNTS GROUP BY PLAN`,
		"ORDERS where total between":         `SELECT COUNT(*), SUM(TOTAL) FROM ORDERS WHERE TOTAL >= 20 AND TOTAL <= 80`,
		"ORDERS where no discount":           `SELECT COUNT(*), SUM(TOTAL) FROM ORDERS WHERE DISCOUNT IS NULL`,
		"ORDERS where this year":             `SELECT COUNT(*), SUM(TOTAL) FROM ORDERS WHERE CREATED_AT >= '2025-01-01' AND CREATED_AT < '2026-01-01'`,
		"ORDERS where previous 30 days":      `SELECT COUNT(*), SUM(TOTAL) FROM ORDERS WHERE CREATED_AT >= '2025-05-31' AND CREATED_AT < '2025-06-30'`,
		"ORDERS where category via product":  `SELECT COUNT(*), SUM(o.TOTAL) FROM ORDERS o JOIN PRODUCTS p ON p.ID = o.PRODUCT_ID WHERE p.CATEGORY IN ('Widget', 'Gizmo')`,
		"ORDERS where source not google":     `SELECT COUNT(*), SUM(o.TOTAL) FROM ORDERS o LEFT JOIN PEOPLE p ON p.ID = o.USER_ID WHERE p.SOURCE IS NULL OR p.SOURCE NOT IN ('Google', 'Organic')`,
		"ORDERS where buyer name contains":   `SELECT COUNT(*), SUM(o.TOTAL) FROM ORDERS o JOIN PEOPLE p ON p.ID = o.USER_ID WHERE lower(p.NAME) LIKE '%smith%'`,
		"ORDERS total by product category":   `SELECT p.CATEGORY, COUNT(*), SUM(o.TOTAL) FROM ORDERS o LEFT JOIN PRODUCTS p ON p.ID = o.PRODUCT_ID GROUP BY 1`,
		"INVOICES payment by account plan":   `SELECT a.PLAN, COUNT(*), SUM(i.PAYMENT) FROM INVOICES i LEFT JOIN ACCOUNTS a ON a.ID = i.ACCOUNT_ID GROUP BY 1`,
		"bins of ORDERS.TOTAL":               `SELECT CAST(TOTAL / 25 AS INTEGER) * 25, COUNT(*) FROM ORDERS GROUP BY 1`,
		"ORDERS top buyers":                  `SELECT USER_ID, SUM(TOTAL) AS s FROM ORDERS GROUP BY USER_ID ORDER BY s DESC, USER_ID ASC LIMIT 10`,
		"ORDERS cumulative by month":         `SELECT m, SUM(n) OVER (ORDER BY m), SUM(s) OVER (ORDER BY m) FROM (SELECT substr(CREATED_AT, 1, 7) || '-01' AS m, COUNT(*) AS n, SUM(TOTAL) AS s FROM ORDERS GROUP BY 1)`,
		"ORDERS by size":                     `SELECT CASE WHEN TOTAL > 100 THEN 'Large' WHEN TOTAL > 40 THEN 'Medium' ELSE 'Small' END, COUNT(*) FROM ORDERS GROUP BY 1`,
		"ACCOUNTS without source":            `SELECT PLAN, COUNT(*) FROM ACCOUNTS WHERE SOURCE IS NULL OR SOURCE = '' GROUP BY PLAN`,
		"ORDERS where weekend":               `SELECT COUNT(*), SUM(TOTAL) FROM ORDERS WHERE strftime('%w', CREATED_AT) IN ('0', '6')`,
		"INVOICES by plan and month":         `SELECT a.PLAN, substr(i.DATE_RECEIVED, 1, 7) || '-01', SUM(i.PAYMENT) FROM INVOICES i LEFT JOIN ACCOUNTS a ON a.ID = i.ACCOUNT_ID GROUP BY 1, 2`,
		"ORDERS explicit join to products":   `SELECT p.CATEGORY, substr(o.CREATED_AT, 1, 4) || '-01-01', SUM(o.QUANTITY) FROM ORDERS o JOIN PRODUCTS p ON p.ID = o.PRODUCT_ID GROUP BY 1, 2`,
		// Products without reviews count once, with no review and no rating.
		"REVIEWS joined to orders of the product": `SELECT p.CATEGORY, COUNT(*), COUNT(r.ID), AVG(r.RATING) FROM PRODUCTS p LEFT JOIN REVIEWS r ON r.PRODUCT_ID = p.ID GROUP BY p.CATEGORY`,
		"ACCOUNTS cumulative by quarter":          `SELECT q, SUM(n) OVER (ORDER BY q), n FROM (SELECT ` + handBucket("CREATED_AT", "quarter") + ` AS q, COUNT(*) AS n FROM ACCOUNTS GROUP BY 1)`,
		// Running totals over the years, one per plan.
		"INVOICES cumulative by year and plan": `SELECT y, PLAN, SUM(s) OVER (PARTITION BY PLAN ORDER BY y) FROM (SELECT substr(DATE_RECEIVED, 1, 4) || '-01-01' AS y, PLAN, SUM(PAYMENT) AS s FROM INVOICES GROUP BY 1, 2)`,
		"ORDERS net of tax by year":            `SELECT substr(CREATED_AT, 1, 4) || '-01-01', SUM(TOTAL - TAX) FROM ORDERS GROUP BY 1`,
		// Whole-dollar subtotals are stored as integers: divide as reals.
		"ORDERS price per item by category": `SELECT p.CATEGORY, AVG(1.0 * o.SUBTOTAL / o.QUANTITY), MAX(1.0 * o.SUBTOTAL / o.QUANTITY) FROM ORDERS o LEFT JOIN PRODUCTS p ON p.ID = o.PRODUCT_ID GROUP BY 1`,
		"ORDERS discount or zero":           `SELECT ` + handBucket("CREATED_AT", "quarter") + `, TOTAL(DISCOUNT), TOTAL(DISCOUNT) / COUNT(*) FROM ORDERS GROUP BY 1`,
		"PEOPLE label":                      `SELECT ID, CITY || ', ' || STATE FROM PEOPLE ORDER BY ID LIMIT 25`,
		"PRODUCTS most reviewed":            `SELECT PRODUCT_ID, COUNT(*) AS n FROM REVIEWS GROUP BY PRODUCT_ID ORDER BY n DESC, PRODUCT_ID ASC LIMIT 10`,
		"ORDERS first rows":                 `SELECT ID, USER_ID, PRODUCT_ID, SUBTOTAL, TAX, TOTAL, DISCOUNT, CREATED_AT, QUANTITY FROM ORDERS ORDER BY ID LIMIT 20`,
		"ORDERS rows with product":          `SELECT o.*, p.* FROM ORDERS o LEFT JOIN PRODUCTS p ON p.ID = o.PRODUCT_ID WHERE o.ID BETWEEN 100 AND 140 ORDER BY o.CREATED_AT DESC, o.ID ASC LIMIT 15`,
		"ACCOUNTS canceled recently":        `SELECT ID, CANCELED_AT FROM ACCOUNTS WHERE CANCELED_AT >= '2024-12-01' AND CANCELED_AT < '2025-06-01' ORDER BY ID LIMIT 50`,
		"ACCOUNTS active legacy":            `SELECT COUNT(*), SUM(SEATS) FROM ACCOUNTS WHERE LEGACY_PLAN = 1`,
		"FEEDBACK body mentions":            `SELECT RATING, COUNT(*) FROM FEEDBACK WHERE instr(lower(BODY), 'great') > 0 GROUP BY RATING`,
	}
	handle := func(name, sql string) {
		if _, ok := hand[name]; !ok {
			hand[name] = sql
		}
	}
	temporal := []struct{ table, date, num string }{
		{"ORDERS", "CREATED_AT", "TOTAL"},
		{"INVOICES", "DATE_RECEIVED", "PAYMENT"},
		{"ACCOUNTS", "CREATED_AT", "SEATS"},
		{"REVIEWS", "CREATED_AT", "RATING"},
		{"FEEDBACK", "DATE_RECEIVED", "RATING"},
		{"PEOPLE", "BIRTH_DATE", "LATITUDE"},
	}
	units := []string{"day", "week", "month", "quarter", "year", "day-of-week", "month-of-year"}
	for _, tm := range temporal {
		for _, u := range units {
			handle(fmt.Sprintf("%s by %s %s", tm.table, tm.date, u), fmt.Sprintf("SELECT %s, COUNT(*), SUM(%s) FROM %s GROUP BY 1", handBucket(tm.date, u), tm.num, tm.table))
			add(fmt.Sprintf("%s by %s %s", tm.table, tm.date, u), fmt.Sprintf(`{"source-table": $%s, "aggregation": [["count"], ["sum", %s]], "breakout": [%s]}`,
				tm.table, fref(tm.table+"."+tm.num), funit(tm.table+"."+tm.date, u)))
		}
	}
	for _, u := range []string{"hour", "minute"} {
		handle("ANALYTIC_EVENTS by "+u, "SELECT "+handBucket("TIMESTAMP", u)+", COUNT(*) FROM ANALYTIC_EVENTS WHERE TIMESTAMP >= '2025-05-01' AND TIMESTAMP < '2025-06-30' GROUP BY 1")
		add("ANALYTIC_EVENTS by "+u, `{"source-table": $ANALYTIC_EVENTS, "filter": ["time-interval", `+fref("ANALYTIC_EVENTS.TIMESTAMP")+`, -60, "day"], "aggregation": [["count"]], "breakout": [`+funit("ANALYTIC_EVENTS.TIMESTAMP", u)+`]}`)
	}
	categories := []struct{ table, col, num string }{
		{"ACCOUNTS", "PLAN", "SEATS"}, {"ACCOUNTS", "SOURCE", "SEATS"}, {"ACCOUNTS", "COUNTRY", "SEATS"},
		{"ACCOUNTS", "TRIAL_CONVERTED", "SEATS"}, {"PRODUCTS", "CATEGORY", "PRICE"}, {"PRODUCTS", "VENDOR", "RATING"},
		{"PEOPLE", "SOURCE", "LONGITUDE"}, {"PEOPLE", "STATE", "LATITUDE"}, {"FEEDBACK", "RATING_MAPPED", "RATING"},
		{"ANALYTIC_EVENTS", "EVENT", "ACCOUNT_ID"}, {"INVOICES", "PLAN", "PAYMENT"}, {"REVIEWS", "RATING", "PRODUCT_ID"},
		{"ORDERS", "QUANTITY", "DISCOUNT"}, {"INVOICES", "EXPECTED_INVOICE", "PAYMENT"},
	}
	for _, c := range categories {
		n := fref(c.table + "." + c.num)
		handle(fmt.Sprintf("%s by %s", c.table, c.col), fmt.Sprintf("SELECT %s, COUNT(*), COUNT(DISTINCT %s), AVG(%s), MIN(%s), MAX(%s) FROM %s GROUP BY 1", c.col, c.num, c.num, c.num, c.num, c.table))
		add(fmt.Sprintf("%s by %s", c.table, c.col), fmt.Sprintf(`{"source-table": $%s, "aggregation": [["count"], ["distinct", %s], ["avg", %s], ["min", %s], ["max", %s]], "breakout": [%s]}`,
			c.table, n, n, n, n, fref(c.table+"."+c.col)))
	}
	filters := []struct{ name, filter, hand string }{
		{"category via product", `["=", ` + fvia("ORDERS.PRODUCT_ID", "PRODUCTS.CATEGORY") + `, "Widget", "Gizmo"]`, "p.CATEGORY IN ('Widget', 'Gizmo')"},
		{"total between", `["between", ` + fref("ORDERS.TOTAL") + `, 20, 80]`, "o.TOTAL >= 20 AND o.TOTAL <= 80"},
		{"previous 30 days", `["time-interval", ` + fref("ORDERS.CREATED_AT") + `, -30, "day"]`, "o.CREATED_AT >= '2025-05-31' AND o.CREATED_AT < '2025-06-30'"},
		{"previous 3 months", `["time-interval", ` + fref("ORDERS.CREATED_AT") + `, -3, "month"]`, "o.CREATED_AT >= '2025-03-01' AND o.CREATED_AT < '2025-06-01'"},
		{"this year", `["time-interval", ` + fref("ORDERS.CREATED_AT") + `, "current", "year"]`, "o.CREATED_AT >= '2025-01-01' AND o.CREATED_AT < '2026-01-01'"},
		{"last year", `["time-interval", ` + fref("ORDERS.CREATED_AT") + `, "last", "year"]`, "o.CREATED_AT >= '2024-01-01' AND o.CREATED_AT < '2025-01-01'"},
		{"12 weeks with this one", `["time-interval", ` + fref("ORDERS.CREATED_AT") + `, -12, "week", {"include-current": true}]`, "o.CREATED_AT >= '2025-04-06' AND o.CREATED_AT < '2025-07-06'"},
		{"no discount", `["is-null", ` + fref("ORDERS.DISCOUNT") + `]`, "o.DISCOUNT IS NULL"},
		{"discount", `["not-null", ` + fref("ORDERS.DISCOUNT") + `]`, "o.DISCOUNT IS NOT NULL"},
		{"buyer name contains", `["contains", ` + fvia("ORDERS.USER_ID", "PEOPLE.NAME") + `, "SMITH", {"case-sensitive": false}]`, "instr(lower(u.NAME), 'smith') > 0"},
		{"title starts with", `["starts-with", ` + fvia("ORDERS.PRODUCT_ID", "PRODUCTS.TITLE") + `, "Awesome"]`, "substr(p.TITLE, 1, 7) = 'Awesome'"},
		{"email ends with", `["ends-with", ` + fvia("ORDERS.USER_ID", "PEOPLE.EMAIL") + `, ".com"]`, "substr(u.EMAIL, -4) = '.com'"},
		{"title does not contain", `["does-not-contain", ` + fvia("ORDERS.PRODUCT_ID", "PRODUCTS.TITLE") + `, "steel", {"case-sensitive": false}]`, "(p.TITLE IS NULL OR instr(lower(p.TITLE), 'steel') = 0)"},
		{"quantity over 3", `[">", ` + fref("ORDERS.QUANTITY") + `, 3]`, "o.QUANTITY > 3"},
		{"source not google", `["!=", ` + fvia("ORDERS.USER_ID", "PEOPLE.SOURCE") + `, "Google", "Organic"]`, "(u.SOURCE IS NULL OR u.SOURCE NOT IN ('Google', 'Organic'))"},
		{"and or", `["and", [">=", ` + fref("ORDERS.TOTAL") + `, 50], ["or", ["=", ` + fvia("ORDERS.PRODUCT_ID", "PRODUCTS.CATEGORY") + `, "Doohickey"], ["<", ` + fref("ORDERS.QUANTITY") + `, 2]]]`, "o.TOTAL >= 50 AND (p.CATEGORY = 'Doohickey' OR o.QUANTITY < 2)"},
		{"not", `["not", ["=", ` + fvia("ORDERS.USER_ID", "PEOPLE.STATE") + `, "TX"]]`, "NOT (u.STATE = 'TX')"},
		{"created in 2024", `["between", ` + fref("ORDERS.CREATED_AT") + `, "2024-01-01", "2024-12-31"]`, "o.CREATED_AT >= '2024-01-01' AND o.CREATED_AT < '2025-01-01'"},
		{"created before", `["<", ` + fref("ORDERS.CREATED_AT") + `, "2023-06-01"]`, "o.CREATED_AT < '2023-06-01'"},
		{"month drill", `["=", ` + funit("ORDERS.CREATED_AT", "month") + `, "2024-03-01"]`, "substr(o.CREATED_AT, 1, 7) = '2024-03'"},
		{"weekend", `["=", ` + funit("ORDERS.CREATED_AT", "day-of-week") + `, 1, 7]`, "strftime('%w', o.CREATED_AT) IN ('0', '6')"},
	}
	for _, f := range filters {
		handle("ORDERS where "+f.name, "SELECT COUNT(*), SUM(o.TOTAL) FROM ORDERS o LEFT JOIN PRODUCTS p ON p.ID = o.PRODUCT_ID LEFT JOIN PEOPLE u ON u.ID = o.USER_ID WHERE "+f.hand)
		add("ORDERS where "+f.name, `{"source-table": $ORDERS, "filter": `+f.filter+`, "aggregation": [["count"], ["sum", `+fref("ORDERS.TOTAL")+`]]}`)
	}
	joins := []struct{ name, table, num, fk, target, col string }{
		{"ORDERS total by product category", "ORDERS", "TOTAL", "PRODUCT_ID", "PRODUCTS", "CATEGORY"},
		{"ORDERS total by buyer state", "ORDERS", "TOTAL", "USER_ID", "PEOPLE", "STATE"},
		{"INVOICES payment by account plan", "INVOICES", "PAYMENT", "ACCOUNT_ID", "ACCOUNTS", "PLAN"},
		{"INVOICES payment by account country", "INVOICES", "PAYMENT", "ACCOUNT_ID", "ACCOUNTS", "COUNTRY"},
		{"REVIEWS rating by product vendor", "REVIEWS", "RATING", "PRODUCT_ID", "PRODUCTS", "VENDOR"},
		{"EVENTS by account source", "ANALYTIC_EVENTS", "ID", "ACCOUNT_ID", "ACCOUNTS", "SOURCE"},
		{"FEEDBACK rating by account plan", "FEEDBACK", "RATING", "ACCOUNT_ID", "ACCOUNTS", "PLAN"},
	}
	for _, j := range joins {
		handle(j.name, fmt.Sprintf("SELECT t.%s, COUNT(*), SUM(s.%s) FROM %s s LEFT JOIN %s t ON t.ID = s.%s GROUP BY 1", j.col, j.num, j.table, j.target, j.fk))
		add(j.name, fmt.Sprintf(`{"source-table": $%s, "aggregation": [["count"], ["sum", %s]], "breakout": [%s]}`, j.table, fref(j.table+"."+j.num), fvia(j.table+"."+j.fk, j.target+"."+j.col)))
	}
	add("INVOICES by plan and month", `{"source-table": $INVOICES, "aggregation": [["sum", `+fref("INVOICES.PAYMENT")+`]], "breakout": [`+fvia("INVOICES.ACCOUNT_ID", "ACCOUNTS.PLAN")+`, `+funit("INVOICES.DATE_RECEIVED", "month")+`]}`)
	add("ORDERS explicit join to products", `{"source-table": $ORDERS, "joins": [{"source-table": $PRODUCTS, "alias": "Product", "condition": ["=", `+fref("ORDERS.PRODUCT_ID")+`, ["field", $PRODUCTS.ID, {"join-alias": "Product"}]], "strategy": "inner-join"}], "aggregation": [["sum", `+fref("ORDERS.QUANTITY")+`]], "breakout": [["field", $PRODUCTS.CATEGORY, {"join-alias": "Product"}], `+funit("ORDERS.CREATED_AT", "year")+`]}`)
	add("REVIEWS joined to orders of the product", `{"source-table": $PRODUCTS, "joins": [{"source-table": $REVIEWS, "alias": "R", "condition": ["=", `+fref("PRODUCTS.ID")+`, ["field", $REVIEWS.PRODUCT_ID, {"join-alias": "R"}]]}], "aggregation": [["count"], ["count", ["field", $REVIEWS.ID, {"join-alias": "R"}]], ["avg", ["field", $REVIEWS.RATING, {"join-alias": "R"}]]], "breakout": [`+fref("PRODUCTS.CATEGORY")+`]}`)
	bins := []struct {
		col   string
		width float64
	}{{"ORDERS.TOTAL", 25}, {"ORDERS.QUANTITY", 5}, {"PRODUCTS.PRICE", 10}, {"ACCOUNTS.SEATS", 10}, {"PEOPLE.LATITUDE", 10}, {"PRODUCTS.RATING", 0.5}}
	for _, b := range bins {
		table, _, _ := strings.Cut(b.col, ".")
		handle("bins of "+b.col, fmt.Sprintf("SELECT FLOOR(CAST(%s AS REAL) / %g) * %g, COUNT(*) FROM %s GROUP BY 1", strings.TrimPrefix(b.col, table+"."), b.width, b.width, table))
		add("bins of "+b.col, fmt.Sprintf(`{"source-table": $%s, "aggregation": [["count"]], "breakout": [["field", $%s, {"binning": {"strategy": "bin-width", "bin-width": %g}}]]}`, table, b.col, b.width))
	}
	for _, b := range []struct {
		col string
		n   int
	}{{"ORDERS.TOTAL", 10}, {"PEOPLE.LONGITUDE", 8}, {"ACCOUNTS.SEATS", 4}} {
		table, col, _ := strings.Cut(b.col, ".")
		// n bins of equal width from the minimum to the maximum, which
		// belongs to the last bin; a value shows as its bin's lower bound.
		handle(fmt.Sprintf("%d bins of %s", b.n, b.col), fmt.Sprintf("SELECT lo + MIN(CAST((%s - lo) * %d / (hi - lo) AS INTEGER), %d) * (hi - lo) / %d, COUNT(*) FROM %s, (SELECT 1.0 * MIN(%s) AS lo, 1.0 * MAX(%s) AS hi FROM %s) GROUP BY 1",
			col, b.n, b.n-1, b.n, table, col, col, table))
		add(fmt.Sprintf("%d bins of %s", b.n, b.col), fmt.Sprintf(`{"source-table": $%s, "aggregation": [["count"]], "breakout": [["field", $%s, {"binning": {"strategy": "num-bins", "num-bins": %d}}]]}`, table, b.col, b.n))
	}
	add("ORDERS cumulative by month", `{"source-table": $ORDERS, "aggregation": [["cum-count"], ["cum-sum", `+fref("ORDERS.TOTAL")+`]], "breakout": [`+funit("ORDERS.CREATED_AT", "month")+`]}`)
	add("ACCOUNTS cumulative by quarter", `{"source-table": $ACCOUNTS, "aggregation": [["cum-count"], ["count"]], "breakout": [`+funit("ACCOUNTS.CREATED_AT", "quarter")+`]}`)
	add("INVOICES cumulative by year and plan", `{"source-table": $INVOICES, "aggregation": [["cum-sum", `+fref("INVOICES.PAYMENT")+`]], "breakout": [`+funit("INVOICES.DATE_RECEIVED", "year")+`, `+fref("INVOICES.PLAN")+`]}`)
	add("ORDERS net of tax by year", `{"source-table": $ORDERS, "expressions": {"Net": ["-", `+fref("ORDERS.TOTAL")+`, `+fref("ORDERS.TAX")+`]}, "aggregation": [["sum", ["expression", "Net"]]], "breakout": [`+funit("ORDERS.CREATED_AT", "year")+`]}`)
	add("ORDERS price per item by category", `{"source-table": $ORDERS, "expressions": {"Each": ["/", `+fref("ORDERS.SUBTOTAL")+`, `+fref("ORDERS.QUANTITY")+`]}, "aggregation": [["avg", ["expression", "Each"]], ["max", ["expression", "Each"]]], "breakout": [`+fvia("ORDERS.PRODUCT_ID", "PRODUCTS.CATEGORY")+`]}`)
	add("ORDERS by size", `{"source-table": $ORDERS, "expressions": {"Size": ["case", [[[">", `+fref("ORDERS.TOTAL")+`, 100], "Large"], [[">", `+fref("ORDERS.TOTAL")+`, 40], "Medium"]], {"default": "Small"}]}, "aggregation": [["count"]], "breakout": [["expression", "Size"]]}`)
	add("ORDERS discount or zero", `{"source-table": $ORDERS, "expressions": {"D": ["coalesce", `+fref("ORDERS.DISCOUNT")+`, 0]}, "aggregation": [["sum", ["expression", "D"]], ["avg", ["expression", "D"]]], "breakout": [`+funit("ORDERS.CREATED_AT", "quarter")+`]}`)
	add("PEOPLE label", `{"source-table": $PEOPLE, "expressions": {"Where": ["concat", `+fref("PEOPLE.CITY")+`, ", ", `+fref("PEOPLE.STATE")+`]}, "fields": [`+fref("PEOPLE.ID")+`, ["expression", "Where"]], "order-by": [["asc", `+fref("PEOPLE.ID")+`]], "limit": 25}`)
	add("ORDERS top buyers", `{"source-table": $ORDERS, "aggregation": [["sum", `+fref("ORDERS.TOTAL")+`]], "breakout": [`+fref("ORDERS.USER_ID")+`], "order-by": [["desc", ["aggregation", 0]]], "limit": 10}`)
	add("PRODUCTS most reviewed", `{"source-table": $REVIEWS, "aggregation": [["count"]], "breakout": [`+fref("REVIEWS.PRODUCT_ID")+`], "order-by": [["desc", ["aggregation", 0]]], "limit": 10}`)
	add("ORDERS first rows", `{"source-table": $ORDERS, "order-by": [["asc", `+fref("ORDERS.ID")+`]], "limit": 20}`)
	add("ORDERS rows with product", `{"source-table": $ORDERS, "joins": [{"source-table": $PRODUCTS, "alias": "P", "condition": ["=", `+fref("ORDERS.PRODUCT_ID")+`, ["field", $PRODUCTS.ID, {"join-alias": "P"}]], "fields": "all"}], "filter": ["between", `+fref("ORDERS.ID")+`, 100, 140], "order-by": [["desc", `+fref("ORDERS.CREATED_AT")+`], ["asc", `+fref("ORDERS.ID")+`]], "limit": 15}`)
	add("ACCOUNTS canceled recently", `{"source-table": $ACCOUNTS, "filter": ["and", ["not-null", `+fref("ACCOUNTS.CANCELED_AT")+`], ["time-interval", `+fref("ACCOUNTS.CANCELED_AT")+`, -6, "month"]], "fields": [`+fref("ACCOUNTS.ID")+`, `+fref("ACCOUNTS.CANCELED_AT")+`], "order-by": [["asc", `+fref("ACCOUNTS.ID")+`]], "limit": 50}`)
	add("ACCOUNTS without source", `{"source-table": $ACCOUNTS, "filter": ["is-empty", `+fref("ACCOUNTS.SOURCE")+`], "aggregation": [["count"]], "breakout": [`+fref("ACCOUNTS.PLAN")+`]}`)
	add("ACCOUNTS active legacy", `{"source-table": $ACCOUNTS, "filter": ["=", `+fref("ACCOUNTS.LEGACY_PLAN")+`, true], "aggregation": [["count"], ["sum", `+fref("ACCOUNTS.SEATS")+`]]}`)
	add("FEEDBACK body mentions", `{"source-table": $FEEDBACK, "filter": ["contains", `+fref("FEEDBACK.BODY")+`, "great", {"case-sensitive": false}], "aggregation": [["count"]], "breakout": [`+fref("FEEDBACK.RATING")+`]}`)
	// Functions of custom columns, each checked against SQLite SQL that
	// computes the same thing another way.
	exprs := func(table string, names []string, defs []string, extra string) string {
		var b, fields strings.Builder
		fields.WriteString(fref(table + ".ID"))
		for i, n := range names {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q: %s", n, defs[i])
			fmt.Fprintf(&fields, `, ["expression", %q]`, n)
		}
		return `{"source-table": $` + table + `, "expressions": {` + b.String() + `}, "fields": [` + fields.String() + `]` + extra + `}`
	}
	byID := func(t string) string { return `, "order-by": [["asc", ` + fref(t+".ID") + `]], "limit": 40` }
	total, qty := fref("ORDERS.TOTAL"), fref("ORDERS.QUANTITY")
	add("ORDERS math functions", exprs("ORDERS",
		[]string{"abs", "ceil", "floor", "round", "power", "sqrt", "exp", "log", "round negative"},
		[]string{`["abs", ["-", ` + fref("ORDERS.TAX") + `, ` + fref("ORDERS.SUBTOTAL") + `]]`, `["ceil", ` + total + `]`, `["floor", ` + total + `]`,
			`["round", ` + total + `]`, `["power", ` + qty + `, 2]`, `["sqrt", ` + total + `]`, `["exp", ` + qty + `]`, `["log", ` + total + `]`,
			`["round", ["-", 0, ["/", ` + total + `, 4]]]`}, byID("ORDERS")))
	handle("ORDERS math functions", `SELECT ID, abs(TAX - SUBTOTAL), ceil(TOTAL), floor(TOTAL), CAST(TOTAL + 0.5 AS INTEGER), QUANTITY * QUANTITY, sqrt(TOTAL), exp(QUANTITY), log10(TOTAL),
		-CAST(TOTAL / 4.0 + 0.5 AS INTEGER) FROM ORDERS ORDER BY ID LIMIT 40`)
	email, name, city := fref("PEOPLE.EMAIL"), fref("PEOPLE.NAME"), fref("PEOPLE.CITY")
	add("PEOPLE string functions", exprs("PEOPLE",
		[]string{"upper", "lower", "length", "trim", "ltrim", "rtrim", "substring", "substring to end", "replace", "domain", "first name", "past the end", "user", "domain name", "case-sensitive"},
		[]string{`["upper", ` + city + `]`, `["lower", ` + fref("PEOPLE.STATE") + `]`, `["length", ` + name + `]`,
			`["trim", ["concat", "  ", ` + city + `, " "]]`, `["ltrim", ["concat", "  ", ` + city + `]]`, `["rtrim", ["concat", ` + city + `, "  "]]`,
			`["substring", ` + name + `, 1, 3]`, `["substring", ` + email + `, 3]`, `["replace", ` + email + `, "@", " at "]`,
			`["split-part", ` + email + `, "@", 2]`, `["split-part", ` + name + `, " ", 1]`, `["split-part", ` + email + `, "@", 3]`,
			`["regex-match-first", ` + email + `, "^[^@]+"]`, `["regex-match-first", ` + email + `, "@([^.]+)\\."]`,
			`["regex-match-first", ` + name + `, "[A-Z]+"]`}, byID("PEOPLE")))
	handle("PEOPLE string functions", `SELECT ID, upper(CITY), lower(STATE), length(NAME), CITY, CITY, CITY, substr(NAME, 1, 3), substr(EMAIL, 3),
		substr(EMAIL, 1, instr(EMAIL, '@') - 1) || ' at ' || substr(EMAIL, instr(EMAIL, '@') + 1),
		substr(EMAIL, instr(EMAIL, '@') + 1), IIF(instr(NAME, ' ') > 0, substr(NAME, 1, instr(NAME, ' ') - 1), NAME), '',
		substr(EMAIL, 1, instr(EMAIL, '@') - 1),
		substr(EMAIL, instr(EMAIL, '@') + 1, instr(substr(EMAIL, instr(EMAIL, '@') + 1), '.') - 1),
		substr(NAME, 1, 1) FROM PEOPLE ORDER BY ID LIMIT 40`)
	created := fref("ACCOUNTS.CREATED_AT")
	add("ACCOUNTS date functions", exprs("ACCOUNTS",
		[]string{"next month", "two quarters ago", "in 3 days", "in 90 minutes", "trial days", "months to cancel", "years to anchor", "weeks to anchor", "hours to trial end",
			"year", "quarter", "month", "week", "day", "weekday", "hour", "minute", "second"},
		[]string{`["datetime-add", ` + created + `, 1, "month"]`, `["datetime-subtract", ` + created + `, 2, "quarter"]`, `["datetime-add", ` + created + `, 3, "day"]`,
			`["datetime-add", ` + created + `, 90, "minute"]`, `["datetime-diff", ` + created + `, ` + fref("ACCOUNTS.TRIAL_ENDS_AT") + `, "day"]`,
			`["datetime-diff", ` + created + `, ` + fref("ACCOUNTS.CANCELED_AT") + `, "month"]`, `["datetime-diff", ` + created + `, "2025-06-30", "year"]`,
			`["datetime-diff", ` + created + `, "2025-06-30", "week"]`, `["datetime-diff", ` + created + `, ` + fref("ACCOUNTS.TRIAL_ENDS_AT") + `, "hour"]`,
			`["get-year", ` + created + `]`, `["get-quarter", ` + created + `]`, `["get-month", ` + created + `]`, `["get-week", ` + created + `, "iso"]`,
			`["get-day", ` + created + `]`, `["get-day-of-week", ` + created + `]`, `["get-hour", ` + created + `]`, `["get-minute", ` + created + `]`, `["get-second", ` + created + `]`},
		byID("ACCOUNTS")))
	// A month later is the same day, or the month's last day when that
	// day does not exist.
	handle("ACCOUNTS date functions", `SELECT ID,
		IIF(strftime('%d', CREATED_AT, '+1 month') = strftime('%d', CREATED_AT), datetime(CREATED_AT, '+1 month'), date(CREATED_AT, 'start of month', '+2 months', '-1 day') || ' ' || time(CREATED_AT)),
		IIF(strftime('%d', CREATED_AT, '-6 months') = strftime('%d', CREATED_AT), datetime(CREATED_AT, '-6 months'), date(CREATED_AT, 'start of month', '-5 months', '-1 day') || ' ' || time(CREATED_AT)),
		datetime(CREATED_AT, '+3 days'), datetime(CREATED_AT, '+90 minutes'),
		(strftime('%s', TRIAL_ENDS_AT) - strftime('%s', CREATED_AT)) / 86400,
		(strftime('%Y', CANCELED_AT) * 12 + strftime('%m', CANCELED_AT)) - (strftime('%Y', CREATED_AT) * 12 + strftime('%m', CREATED_AT)) - (strftime('%d %H:%M:%S', CANCELED_AT) < strftime('%d %H:%M:%S', CREATED_AT)),
		((2025 * 12 + 6) - (strftime('%Y', CREATED_AT) * 12 + strftime('%m', CREATED_AT)) - ('30 00:00:00' < strftime('%d %H:%M:%S', CREATED_AT))) / 12,
		(strftime('%s', '2025-06-30') - strftime('%s', CREATED_AT)) / 604800,
		(strftime('%s', TRIAL_ENDS_AT) - strftime('%s', CREATED_AT)) / 3600,
		CAST(substr(CREATED_AT, 1, 4) AS INTEGER), (CAST(substr(CREATED_AT, 6, 2) AS INTEGER) + 2) / 3, CAST(substr(CREATED_AT, 6, 2) AS INTEGER),
		CAST(strftime('%V', CREATED_AT) AS INTEGER), CAST(substr(CREATED_AT, 9, 2) AS INTEGER), CAST(strftime('%w', CREATED_AT) AS INTEGER) + 1,
		CAST(substr(CREATED_AT, 12, 2) AS INTEGER), CAST(substr(CREATED_AT, 15, 2) AS INTEGER), CAST(substr(CREATED_AT, 18, 2) AS INTEGER)
		FROM ACCOUNTS ORDER BY ID LIMIT 40`)
	received := fref("INVOICES.DATE_RECEIVED")
	add("INVOICES month ends", exprs("INVOICES",
		[]string{"next month", "a year before", "in two weeks", "months from February", "quarters from February"},
		[]string{`["datetime-add", ` + received + `, 1, "month"]`, `["datetime-subtract", ` + received + `, 1, "year"]`, `["datetime-add", ` + received + `, 2, "week"]`,
			`["datetime-diff", "2025-02-28", ` + received + `, "month"]`, `["datetime-diff", "2025-02-28", ` + received + `, "quarter"]`},
		`, "filter": ["between", `+received+`, "2023-11-01", "2024-04-30"], "order-by": [["asc", `+fref("INVOICES.ID")+`]], "limit": 40`))
	// Months between two dates count when the day of the month is
	// reached; backwards (all of these) they count the same way, so a
	// day past the 28th has not yet made the last month.
	handle("INVOICES month ends", `SELECT ID,
		IIF(strftime('%d', d, '+1 month') = strftime('%d', d), date(d, '+1 month'), date(d, 'start of month', '+2 months', '-1 day')),
		IIF(strftime('%d', d, '-1 year') = strftime('%d', d), date(d, '-1 year'), date(d, 'start of month', '-11 months', '-1 day')),
		date(d, '+14 days'), m, m / 3
		FROM (SELECT ID, DATE_RECEIVED AS d,
			(strftime('%Y', DATE_RECEIVED) * 12 + strftime('%m', DATE_RECEIVED)) - (2025 * 12 + 2)
			+ (strftime('%d', DATE_RECEIVED) > '28') AS m
			FROM INVOICES WHERE DATE_RECEIVED BETWEEN '2023-11-01' AND '2024-04-30') ORDER BY ID LIMIT 40`)
	add("ACCOUNTS age at now", `{"source-table": $ACCOUNTS, "expressions": {"Age": ["datetime-diff", `+created+`, ["now"], "day"], "This year": ["get-year", ["now"]]}, "aggregation": [["max", ["expression", "Age"]], ["min", ["expression", "Age"]], ["max", ["expression", "This year"]]], "breakout": [`+fref("ACCOUNTS.PLAN")+`]}`)
	handle("ACCOUNTS age at now", `SELECT PLAN, MAX((strftime('%s', '2025-06-30 10:00:00') - strftime('%s', CREATED_AT)) / 86400), MIN((strftime('%s', '2025-06-30 10:00:00') - strftime('%s', CREATED_AT)) / 86400), 2025 FROM ACCOUNTS GROUP BY PLAN`)
	cat := fvia("ORDERS.PRODUCT_ID", "PRODUCTS.CATEGORY")
	add("ORDERS conditional metrics by category", `{"source-table": $ORDERS, "aggregation": [["count-where", [">", `+total+`, 100]], ["sum-where", `+total+`, ["=", `+qty+`, 1]],
		["distinct-where", `+fref("ORDERS.USER_ID")+`, [">", `+fref("ORDERS.DISCOUNT")+`, 0]], ["share", ["not-null", `+fref("ORDERS.DISCOUNT")+`]],
		["stddev", `+total+`], ["var", `+qty+`]], "breakout": [`+cat+`]}`)
	// Standard deviation and variance from the distance to each
	// category's mean: a second pass, unlike the compiled mean of squares.
	handle("ORDERS conditional metrics by category", `SELECT p.CATEGORY, SUM(o.TOTAL > 100), SUM(IIF(o.QUANTITY = 1, o.TOTAL, 0)),
		COUNT(DISTINCT IIF(o.DISCOUNT > 0, o.USER_ID, NULL)), AVG(o.DISCOUNT IS NOT NULL),
		SQRT(SUM((o.TOTAL - s.mt) * (o.TOTAL - s.mt)) / COUNT(*)), SUM((o.QUANTITY - s.mq) * (o.QUANTITY - s.mq)) / COUNT(*)
		FROM ORDERS o LEFT JOIN PRODUCTS p ON p.ID = o.PRODUCT_ID
		JOIN (SELECT p2.CATEGORY AS c, AVG(o2.TOTAL) AS mt, AVG(o2.QUANTITY) AS mq FROM ORDERS o2 LEFT JOIN PRODUCTS p2 ON p2.ID = o2.PRODUCT_ID GROUP BY 1) s ON s.c IS p.CATEGORY
		GROUP BY 1`)
	add("ACCOUNTS converted time zones", exprs("ACCOUNTS",
		[]string{"India", "Tokyo from report zone", "Tokyo to UTC"},
		[]string{`["convert-timezone", ` + created + `, "Asia/Kolkata", "UTC"]`, `["convert-timezone", ` + created + `, "Asia/Tokyo"]`, `["convert-timezone", ` + created + `, "UTC", "Asia/Tokyo"]`},
		byID("ACCOUNTS")))
	handle("ACCOUNTS converted time zones", `SELECT ID, datetime(CREATED_AT, '+5 hours', '+30 minutes'), datetime(CREATED_AT, '+9 hours'), datetime(CREATED_AT, '-9 hours') FROM ACCOUNTS ORDER BY ID LIMIT 40`)
	// Orders of the weekends Berlin's clocks changed in 2024, shown in
	// Berlin's time and, read as Berlin times, in UTC: summer time (two
	// hours ahead) from 01:00 UTC on March 31 to 01:00 UTC on October 27;
	// a Berlin time of the hour repeated that night is the later, winter
	// one, and one of the hour skipped in March is read in winter time.
	created2024 := fref("ORDERS.CREATED_AT")
	add("ORDERS in Berlin around daylight saving changes", exprs("ORDERS",
		[]string{"Berlin", "Berlin read as UTC"},
		[]string{`["convert-timezone", ` + created2024 + `, "Europe/Berlin"]`, `["convert-timezone", ` + created2024 + `, "UTC", "Europe/Berlin"]`},
		`, "filter": ["or", ["between", `+created2024+`, "2024-03-30", "2024-04-01"], ["between", `+created2024+`, "2024-10-26", "2024-10-28"]], "order-by": [["asc", `+fref("ORDERS.ID")+`]], "limit": 100`))
	handle("ORDERS in Berlin around daylight saving changes", `SELECT ID,
		IIF(CREATED_AT >= '2024-03-31 01:00:00' AND CREATED_AT < '2024-10-27 01:00:00', datetime(CREATED_AT, '+2 hours'), datetime(CREATED_AT, '+1 hour')),
		IIF(CREATED_AT >= '2024-03-31 03:00:00' AND CREATED_AT < '2024-10-27 02:00:00', datetime(CREATED_AT, '-2 hours'), datetime(CREATED_AT, '-1 hour'))
		FROM ORDERS WHERE CREATED_AT >= '2024-03-30' AND CREATED_AT < '2024-04-02' OR CREATED_AT >= '2024-10-26' AND CREATED_AT < '2024-10-29' ORDER BY ID LIMIT 100`)
	add("ORDERS median and percentile by category", `{"source-table": $ORDERS, "aggregation": [["median", `+total+`], ["percentile", `+total+`, 0.9], ["median", `+qty+`]], "breakout": [`+cat+`]}`)
	// The middle value (or the mean of the two middle ones), and the 90th
	// percentile interpolated between the two nearest ranks, from row
	// numbers rather than a percentile function.
	rank := func(col, p string) string {
		pos := p + " * (n - 1)"
		at := func(off string) string {
			return "MAX(CASE WHEN rn - 1 = CAST(" + pos + " AS INTEGER)" + off + " THEN " + col + " END)"
		}
		return at("") + " + (COALESCE(" + at(" + 1") + ", " + at("") + ") - " + at("") + ") * (" + pos + " - CAST(" + pos + " AS INTEGER))"
	}
	handle("ORDERS median and percentile by category", `SELECT c, (SELECT AVG(t) FROM (SELECT t, ROW_NUMBER() OVER (ORDER BY t) AS r, COUNT(*) OVER () AS m FROM (SELECT o2.TOTAL AS t FROM ORDERS o2 LEFT JOIN PRODUCTS p2 ON p2.ID = o2.PRODUCT_ID WHERE p2.CATEGORY IS c)) WHERE r IN ((m + 1) / 2, (m + 2) / 2)),
		`+rank("t", "0.9")+`,
		(SELECT AVG(q) FROM (SELECT q, ROW_NUMBER() OVER (ORDER BY q) AS r, COUNT(*) OVER () AS m FROM (SELECT o2.QUANTITY AS q FROM ORDERS o2 LEFT JOIN PRODUCTS p2 ON p2.ID = o2.PRODUCT_ID WHERE p2.CATEGORY IS c)) WHERE r IN ((m + 1) / 2, (m + 2) / 2))
		FROM (SELECT p.CATEGORY AS c, o.TOTAL AS t, ROW_NUMBER() OVER (PARTITION BY p.CATEGORY ORDER BY o.TOTAL) AS rn, COUNT(*) OVER (PARTITION BY p.CATEGORY) AS n
			FROM ORDERS o LEFT JOIN PRODUCTS p ON p.ID = o.PRODUCT_ID) GROUP BY c`)
	// Boolean expressions: a filter written as a formula, conditions as
	// custom columns (true or false on every row), and boolean columns
	// and custom columns standing where a condition goes.
	add("ORDERS formula filter and boolean columns", `{"source-table": $ORDERS, "expressions": {"Big": [">", `+total+`, 100], "No discount": ["is-null", `+fref("ORDERS.DISCOUNT")+`]},
		"filter": ["and", [">", `+total+`, 50], ["or", ["contains", `+cat+`, "Gizmo"], ["expression", "No discount"]]],
		"fields": [`+fref("ORDERS.ID")+`, ["expression", "Big"], ["expression", "No discount"]], "order-by": [["asc", `+fref("ORDERS.ID")+`]], "limit": 40}`)
	handle("ORDERS formula filter and boolean columns", `SELECT o.ID, o.TOTAL > 100, o.DISCOUNT IS NULL FROM ORDERS o LEFT JOIN PRODUCTS p ON p.ID = o.PRODUCT_ID
		WHERE o.TOTAL > 50 AND (instr(p.CATEGORY, 'Gizmo') > 0 OR o.DISCOUNT IS NULL) ORDER BY o.ID LIMIT 40`)
	add("ORDERS in and not in", `{"source-table": $ORDERS, "filter": ["and", ["in", `+cat+`, "Gizmo", "Widget"], ["not-in", `+qty+`, 1, 2]], "aggregation": [["count"]], "breakout": [`+cat+`]}`)
	handle("ORDERS in and not in", `SELECT p.CATEGORY, COUNT(*) FROM ORDERS o LEFT JOIN PRODUCTS p ON p.ID = o.PRODUCT_ID
		WHERE p.CATEGORY IN ('Gizmo', 'Widget') AND o.QUANTITY NOT IN (1, 2) GROUP BY 1`)
	// The notebook's column filter on a true/false custom column: Is True.
	add("ORDERS true/false column is true", `{"source-table": $ORDERS, "expressions": {"Big": [">", `+total+`, 100]}, "filter": ["=", ["expression", "Big"], true], "aggregation": [["count"], ["sum", `+total+`]]}`)
	handle("ORDERS true/false column is true", `SELECT COUNT(*), SUM(TOTAL) FROM ORDERS WHERE TOTAL > 100`)
	seats := fref("ACCOUNTS.SEATS")
	add("ACCOUNTS boolean columns as conditions", `{"source-table": $ACCOUNTS, "expressions": {"Converted team": ["and", `+fref("ACCOUNTS.TRIAL_CONVERTED")+`, [">", `+seats+`, 5]], "Many seats": [">", `+seats+`, 10]},
		"filter": `+fref("ACCOUNTS.ACTIVE_SUBSCRIPTION")+`,
		"aggregation": [["count-where", ["expression", "Converted team"]], ["sum-where", `+seats+`, ["not", `+fref("ACCOUNTS.LEGACY_PLAN")+`]], ["share", `+fref("ACCOUNTS.TRIAL_CONVERTED")+`], ["distinct-where", `+fref("ACCOUNTS.COUNTRY")+`, ["expression", "Many seats"]]],
		"breakout": [`+fref("ACCOUNTS.PLAN")+`, ["expression", "Many seats"]]}`)
	handle("ACCOUNTS boolean columns as conditions", `SELECT PLAN, SEATS > 10, SUM(TRIAL_CONVERTED AND SEATS > 5), SUM(IIF(NOT LEGACY_PLAN, SEATS, 0)), AVG(TRIAL_CONVERTED), COUNT(DISTINCT IIF(SEATS > 10, COUNTRY, NULL))
		FROM ACCOUNTS WHERE ACTIVE_SUBSCRIPTION GROUP BY 1, 2`)
	add("ORDERS median of all and percentile by year", `{"source-table": $ORDERS, "filter": [">", `+qty+`, 1], "aggregation": [["median", `+total+`], ["count"], ["percentile", `+fref("ORDERS.DISCOUNT")+`, 0.25]], "breakout": [`+funit("ORDERS.CREATED_AT", "year")+`], "order-by": [["desc", ["aggregation", 1]]], "limit": 3}`)
	handle("ORDERS median of all and percentile by year", `SELECT y, `+rank("t", "0.5")+`, MAX(n), (SELECT `+strings.ReplaceAll(rank("d", "0.25"), "rn - 1", "dn - 1")+` FROM (SELECT o3.DISCOUNT AS d, ROW_NUMBER() OVER (ORDER BY o3.DISCOUNT) AS dn, COUNT(*) OVER () AS n FROM ORDERS o3 WHERE o3.QUANTITY > 1 AND o3.DISCOUNT IS NOT NULL AND substr(o3.CREATED_AT, 1, 4) = yy))
		FROM (SELECT substr(o.CREATED_AT, 1, 4) || '-01-01' AS y, substr(o.CREATED_AT, 1, 4) AS yy, o.TOTAL AS t, ROW_NUMBER() OVER (PARTITION BY substr(o.CREATED_AT, 1, 4) ORDER BY o.TOTAL) AS rn, COUNT(*) OVER (PARTITION BY substr(o.CREATED_AT, 1, 4)) AS n
			FROM ORDERS o WHERE o.QUANTITY > 1) GROUP BY y ORDER BY MAX(n) DESC LIMIT 3`)
	add("ORDERS median of everything", `{"source-table": $ORDERS, "aggregation": [["median", `+qty+`], ["percentile", `+total+`, 0.75], ["sum", `+qty+`]]}`)
	handle("ORDERS median of everything", `SELECT (SELECT AVG(q) FROM (SELECT QUANTITY AS q, ROW_NUMBER() OVER (ORDER BY QUANTITY) AS r, COUNT(*) OVER () AS m FROM ORDERS) WHERE r IN ((m + 1) / 2, (m + 2) / 2)),
		(SELECT `+rank("t", "0.75")+` FROM (SELECT TOTAL AS t, ROW_NUMBER() OVER (ORDER BY TOTAL) AS rn, COUNT(*) OVER () AS n FROM ORDERS)), SUM(QUANTITY) FROM ORDERS`)
	// Arithmetic between metrics: division in floating point even of
	// whole numbers, NULL where the divisor is zero (no Basic invoice
	// pays over 500), sorted by the first one.
	pay := fref("INVOICES.PAYMENT")
	add("INVOICES metric arithmetic by plan", `{"source-table": $INVOICES, "aggregation": [
		["aggregation-options", ["/", ["sum", `+pay+`], ["count"]], {"name": "ppi", "display-name": "Payment per invoice"}],
		["/", ["sum", `+pay+`], ["count-where", [">", `+pay+`, 500]]], ["/", ["count"], 3],
		["/", ["*", ["count-where", [">", `+pay+`, 100]], 100], ["count"]], ["round", ["avg", `+pay+`]],
		["-", ["sum", `+pay+`], ["sum-where", `+pay+`, [">", `+pay+`, 500]]], ["+", ["distinct", `+fref("INVOICES.ACCOUNT_ID")+`], ["abs", -1.5]]],
		"breakout": [`+fref("INVOICES.PLAN")+`], "order-by": [["desc", ["aggregation", 0]]], "limit": 3}`)
	handle("INVOICES metric arithmetic by plan", `SELECT PLAN, 1.0 * SUM(PAYMENT) / COUNT(*), 1.0 * SUM(PAYMENT) / NULLIF(SUM(PAYMENT > 500), 0), COUNT(*) / 3.0,
		100.0 * SUM(PAYMENT > 100) / COUNT(*), ROUND(AVG(PAYMENT)), SUM(PAYMENT) - TOTAL(IIF(PAYMENT > 500, PAYMENT, NULL)), COUNT(DISTINCT ACCOUNT_ID) + 1.5
		FROM INVOICES GROUP BY PLAN ORDER BY 2 DESC LIMIT 3`)
	add("ORDERS metric arithmetic by category", `{"source-table": $ORDERS, "aggregation": [["-", ["sum", `+total+`], ["sum", `+fref("ORDERS.TAX")+`]],
		["/", ["sum", `+total+`], ["sum", `+qty+`]], ["*", ["share", ["not-null", `+fref("ORDERS.DISCOUNT")+`]], 100], ["power", ["stddev", `+qty+`], 2]],
		"breakout": [`+cat+`]}`)
	handle("ORDERS metric arithmetic by category", `SELECT p.CATEGORY, SUM(o.TOTAL) - SUM(o.TAX), SUM(o.TOTAL) / SUM(o.QUANTITY), 100.0 * AVG(o.DISCOUNT IS NOT NULL),
		AVG(o.QUANTITY * o.QUANTITY) - AVG(o.QUANTITY) * AVG(o.QUANTITY)
		FROM ORDERS o LEFT JOIN PRODUCTS p ON p.ID = o.PRODUCT_ID GROUP BY 1`)
	for _, t := range []string{"ACCOUNTS", "INVOICES", "ANALYTIC_EVENTS", "FEEDBACK", "PEOPLE", "PRODUCTS", "ORDERS", "REVIEWS"} {
		handle("count of "+t, "SELECT COUNT(*), COUNT(DISTINCT ID), MAX(ID) FROM "+t)
		add("count of "+t, `{"source-table": $`+t+`, "aggregation": [["count"], ["distinct", `+fref(t+".ID")+`], ["max", `+fref(t+".ID")+`]]}`)
	}
	for i := range qs {
		qs[i].ordered = strings.Contains(qs[i].json, `"limit"`)
	}
	for i := range qs {
		qs[i].hand = hand[qs[i].name]
		delete(hand, qs[i].name)
	}
	if len(hand) > 0 {
		panic(fmt.Sprintf("hand-written answers for unknown questions: %v", hand))
	}
	return qs
}

// sampleRows rounds the floats of normalised rows to 8 significant
// digits: sums of money are exact decimals on PostgreSQL and MariaDB and
// doubles on SQLite.
func sampleRows(rows [][]string) [][]string {
	for _, r := range rows {
		for i, v := range r {
			if f, err := strconv.ParseFloat(v, 64); err == nil && strings.ContainsAny(v, ".e") {
				r[i] = strconv.FormatFloat(f, 'g', 8, 64)
				if g, err := strconv.ParseFloat(r[i], 64); err == nil && g == float64(int64(g)) {
					r[i] = strconv.FormatInt(int64(g), 10)
				}
			}
		}
	}
	return rows
}

// TestCorpusHandAnswers requires a hand-written SQL answer for every
// question of the corpus, so that no question is only checked by the
// engines agreeing with each other.
func TestCorpusHandAnswers(t *testing.T) {
	seen := map[string]bool{}
	for _, qu := range corpus() {
		if seen[qu.name] {
			t.Errorf("the corpus has two questions named %q", qu.name)
		}
		seen[qu.name] = true
		if strings.TrimSpace(qu.hand) == "" {
			t.Errorf("%s has no hand-written SQL answer", qu.name)
		}
	}
}

func TestDifferentialSampleDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the Sample Database into three engines")
	}
	tables, ids := sampleMetadata()
	md := NewStaticMetadata(tables, nil)
	opts := Options{Now: sampleAnchor.Add(10 * time.Hour), Location: time.UTC, TimeZoneTables: true}
	sopts := sampledata.Options{Anchor: sampleAnchor}
	qs := corpus()
	if len(qs) < 100 {
		t.Fatalf("the corpus has %d questions, want at least 100", len(qs))
	}
	t.Logf("%d questions", len(qs))
	reference := map[string][][]string{}
	check := func(t *testing.T, d Dialect, db *sql.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		for _, qu := range qs {
			c, err := Compile(parse(t, qu.resolve(t, ids)), md, d, opts)
			if err != nil {
				t.Errorf("%s: Compile = %v", qu.name, err)
				continue
			}
			got, err := run(ctx, db, c)
			if err != nil {
				t.Errorf("%s on %s: %v\n%s", qu.name, d, err, c.SQL)
				continue
			}
			got = sampleRows(got)
			if !qu.ordered {
				slices.SortFunc(got, func(a, b []string) int { return strings.Compare(strings.Join(a, "\x1f"), strings.Join(b, "\x1f")) })
			}
			if len(got) == 0 {
				t.Errorf("%s on %s returned no rows: a weak question", qu.name, d)
			}
			if d == SQLite {
				reference[qu.name] = got
				if qu.hand != "" {
					want, err := run(ctx, db, &Compiled{SQL: qu.hand})
					if err != nil {
						t.Fatalf("hand SQL of %s: %v", qu.name, err)
					}
					want = sampleRows(want)
					if !qu.ordered {
						slices.SortFunc(want, func(a, b []string) int { return strings.Compare(strings.Join(a, "\x1f"), strings.Join(b, "\x1f")) })
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("%s differs from the hand-written SQL (-hand +compiled):\n%s\n%s", qu.name, diff, c.SQL)
					}
				}
				continue
			}
			if diff := cmp.Diff(reference[qu.name], got); diff != "" {
				t.Errorf("%s on %s differs from SQLite (-sqlite +%s):\n%s\n%s\n%v", qu.name, d, d, diff, c.SQL, c.Args)
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		if err := sqlitefunc.Register(); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "sample.db")
		if err := sampledata.WriteSQLite(context.Background(), path, sopts); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		check(t, SQLite, db)
	})
	if len(reference) == 0 {
		t.Fatal("no SQLite reference results")
	}
	for _, e := range []struct {
		d      Dialect
		driver string
		dsn    func(t *testing.T) string
	}{
		{Postgres, "pgx", func(t *testing.T) string { return testdb.Postgres(t).URL }},
		{MySQL, "mysql", func(t *testing.T) string { return testdb.MySQL(t).DSN }},
	} {
		t.Run(string(e.d), func(t *testing.T) {
			db, err := sql.Open(e.driver, e.dsn(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			start := time.Now()
			if err := sampledata.Load(context.Background(), db, string(e.d), sopts, nil); err != nil {
				t.Fatal(err)
			}
			t.Logf("loaded the Sample Database into %s in %v", e.d, time.Since(start).Round(time.Millisecond))
			if e.d == MySQL {
				requireZoneTables(t, context.Background(), db)
			}
			check(t, e.d, db)
		})
	}
}
