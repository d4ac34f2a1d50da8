package query

// testCase is a query compiled for the golden files and, unless goldenOnly,
// run on every engine, whose results must agree.
type testCase struct {
	name       string
	json       string
	goldenOnly bool
}

// q wraps a structured query clause into a full query on database 1.
func q(inner string) string {
	return `{"database": 1, "type": "query", "query": ` + inner + `}`
}

var cases = []testCase{
	{name: "raw_rows", json: q(`{"source-table": 3, "order-by": [["asc", ["field", 20, null]]], "limit": 5}`)},
	{name: "count", json: q(`{"source-table": 3, "aggregation": [["count"]]}`)},
	{name: "sum_by_month", json: q(`{"source-table": 3, "aggregation": [["sum", ["field", 22, null]]], "breakout": [["field", 23, {"temporal-unit": "month"}]]}`)},
	{name: "one_of", json: q(`{"source-table": 3, "filter": ["=", ["field", 24, null], "Paid", "Open"], "aggregation": [["count"]], "breakout": [["field", 24, null]]}`)},
	{name: "not_equal_keeps_nulls", json: q(`{"source-table": 3, "filter": ["!=", ["field", 24, null], "Paid"], "aggregation": [["count"]]}`)},
	{name: "not_one_of", json: q(`{"source-table": 3, "filter": ["!=", ["field", 24, null], "Paid", "Open"], "aggregation": [["count"]], "breakout": [["field", 24, null]]}`)},
	{name: "compare", json: q(`{"source-table": 3, "filter": ["and", [">=", ["field", 22, null], 50], ["<", ["field", 22, null], 150]], "aggregation": [["count"]]}`)},
	{name: "between", json: q(`{"source-table": 3, "filter": ["between", ["field", 22, null], 20, 80.5], "aggregation": [["count"], ["sum", ["field", 22, null]]]}`)},
	{name: "or_not", json: q(`{"source-table": 3, "filter": ["or", ["not", ["=", ["field", 24, null], "Paid"]], ["<=", ["field", 22, null], 10]], "aggregation": [["count"]]}`)},
	{name: "is_null", json: q(`{"source-table": 3, "filter": ["is-null", ["field", 22, null]], "aggregation": [["count"]]}`)},
	{name: "not_null", json: q(`{"source-table": 3, "filter": ["not-null", ["field", 25, null]], "aggregation": [["count"]]}`)},
	{name: "is_empty", json: q(`{"source-table": 2, "filter": ["is-empty", ["field", 13, null]], "fields": [["field", 11, null]], "order-by": [["asc", ["field", 10, null]]]}`)},
	{name: "not_empty", json: q(`{"source-table": 2, "filter": ["not-empty", ["field", 13, null]], "aggregation": [["count"]], "breakout": [["field", 13, null]]}`)},
	{name: "contains_ignoring_case", json: q(`{"source-table": 3, "filter": ["contains", ["field", 24, null], "AI", {"case-sensitive": false}], "aggregation": [["count"]]}`)},
	{name: "contains_case_sensitive", json: q(`{"source-table": 3, "filter": ["contains", ["field", 24, null], "AI"], "aggregation": [["count"]]}`)},
	{name: "starts_ends", json: q(`{"source-table": 2, "filter": ["or", ["starts-with", ["field", 11, null], "c", {"case-sensitive": false}], ["ends-with", ["field", 11, null], "o"]], "fields": [["field", 11, null]], "order-by": [["asc", ["field", 11, null]]]}`)},
	{name: "does_not_contain", json: q(`{"source-table": 3, "filter": ["does-not-contain", ["field", 24, null], "a", {"case-sensitive": false}], "aggregation": [["count"]], "breakout": [["field", 24, null]]}`)},
	{name: "like_wildcards_are_literal", json: q(`{"source-table": 3, "filter": ["or", ["contains", ["field", 24, null], "%"], ["contains", ["field", 24, null], "_", {"case-sensitive": false}], ["starts-with", ["field", 24, null], "*"], ["ends-with", ["field", 24, null], "!"]], "aggregation": [["count"]]}`)},
	{name: "previous_30_days", json: q(`{"source-table": 3, "filter": ["time-interval", ["field", 23, null], -30, "day"], "aggregation": [["count"]]}`)},
	{name: "previous_3_months_with_current", json: q(`{"source-table": 3, "filter": ["time-interval", ["field", 25, null], -3, "month", {"include-current": true}], "aggregation": [["count"]], "breakout": [["field", 25, {"temporal-unit": "month"}]]}`)},
	{name: "this_year", json: q(`{"source-table": 3, "filter": ["time-interval", ["field", 23, null], "current", "year"], "aggregation": [["count"]]}`)},
	{name: "next_2_quarters", json: q(`{"source-table": 3, "filter": ["time-interval", ["field", 23, null], 2, "quarter"], "aggregation": [["count"]]}`)},
	{name: "last_week", json: q(`{"source-table": 3, "filter": ["time-interval", ["field", 25, null], "last", "week"], "fields": [["field", 20, null]], "order-by": [["asc", ["field", 20, null]]]}`)},
	{name: "bucket_minute", json: q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 25, {"temporal-unit": "minute"}]]}`)},
	{name: "bucket_hour", json: q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 25, {"temporal-unit": "hour"}]]}`)},
	{name: "bucket_day", json: q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 25, {"temporal-unit": "day"}]]}`)},
	{name: "bucket_week", json: q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 25, {"temporal-unit": "week"}]]}`)},
	{name: "bucket_week_of_date", json: q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 23, {"temporal-unit": "week"}]]}`)},
	{name: "bucket_month", json: q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 25, {"temporal-unit": "month"}]]}`)},
	{name: "bucket_quarter", json: q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 25, {"temporal-unit": "quarter"}]]}`)},
	{name: "bucket_quarter_of_date", json: q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 23, {"temporal-unit": "quarter"}]]}`)},
	{name: "bucket_year", json: q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 23, {"temporal-unit": "year"}]]}`)},
	{name: "bucket_day_of_week", json: q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 25, {"temporal-unit": "day-of-week"}]]}`)},
	{name: "bucket_month_of_year", json: q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 23, {"temporal-unit": "month-of-year"}]]}`)},
	{name: "bin_width", json: q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 22, {"binning": {"strategy": "bin-width", "bin-width": 50}}]]}`)},
	{name: "implicit_join", json: q(`{"source-table": 3, "aggregation": [["sum", ["field", 22, null]]], "breakout": [["field", 11, {"source-field": 21}]]}`)},
	{name: "explicit_join_and_fk_through_it", json: q(`{"source-table": 3, "joins": [{"source-table": 2, "alias": "Account", "condition": ["=", ["field", 21, null], ["field", 10, {"join-alias": "Account"}]], "strategy": "inner-join"}], "filter": ["not-null", ["field", 13, {"join-alias": "Account"}]], "aggregation": [["sum", ["field", 22, null]], ["count"]], "breakout": [["field", 2, {"source-field": 12, "join-alias": "Account"}]]}`)},
	{name: "join_fields_all", json: q(`{"source-table": 3, "joins": [{"source-table": 2, "alias": "Account", "condition": ["=", ["field", 21, null], ["field", 10, {"join-alias": "Account"}]], "fields": "all"}], "order-by": [["asc", ["field", 20, null]]], "limit": 4}`)},
	{name: "join_card", json: q(`{"source-table": 2, "joins": [{"source-table": "card__100", "alias": "Totals", "condition": ["=", ["field", 10, null], ["field", "account_id", {"join-alias": "Totals", "base-type": "type/Integer"}]], "fields": [["field", "sum", {"join-alias": "Totals", "base-type": "type/Float"}]]}], "fields": [["field", 11, null]], "order-by": [["asc", ["field", 10, null]]]}`)},
	{name: "expressions", json: q(`{"source-table": 3, "expressions": {"Net": ["-", ["field", 22, null], 10], "Half": ["/", ["field", 22, null], 2], "PerZero": ["/", ["field", 22, null], 0], "Label": ["concat", ["field", 24, null], "#", ["field", 21, null]], "Safe": ["coalesce", ["field", 24, null], "none"], "Size": ["case", [[[">", ["field", 22, null], 100], "big"], [[">", ["field", 22, null], 20], "medium"]], {"default": "small"}]}, "fields": [["field", 20, null], ["expression", "Net"], ["expression", "Half"], ["expression", "PerZero"], ["expression", "Label"], ["expression", "Safe"], ["expression", "Size"]], "order-by": [["asc", ["field", 20, null]]], "limit": 12}`)},
	{name: "expression_breakout_and_filter", json: q(`{"source-table": 3, "expressions": {"Size": ["case", [[[">", ["field", 22, null], 100], "big"]], {"default": "small"}], "Double": ["*", ["field", 22, null], 2]}, "filter": [">", ["expression", "Double"], 30], "aggregation": [["count"], ["max", ["expression", "Double"]]], "breakout": [["expression", "Size"]]}`)},
	{name: "default_fields_with_expression", json: q(`{"source-table": 1, "expressions": {"Yearly": ["*", ["field", 3, null], 12]}, "order-by": [["desc", ["field", 3, null]]]}`)},
	{name: "aggregations", json: q(`{"source-table": 3, "aggregation": [["count"], ["count", ["field", 24, null]], ["distinct", ["field", 21, null]], ["sum", ["field", 22, null]], ["avg", ["field", 22, null]], ["min", ["field", 22, null]], ["max", ["field", 23, null]]]}`)},
	{name: "cumulative", json: q(`{"source-table": 3, "aggregation": [["cum-count"], ["cum-sum", ["field", 22, null]], ["count"]], "breakout": [["field", 23, {"temporal-unit": "quarter"}]]}`)},
	{name: "cumulative_two_breakouts", json: q(`{"source-table": 3, "filter": ["=", ["field", 24, null], "Paid", "Open"], "aggregation": [["cum-count"]], "breakout": [["field", 23, {"temporal-unit": "year"}], ["field", 24, null]]}`)},
	{name: "order_by_aggregation", json: q(`{"source-table": 3, "aggregation": [["sum", ["field", 22, null]]], "breakout": [["field", 21, null]], "order-by": [["desc", ["aggregation", 0]]], "limit": 3}`)},
	{name: "named_aggregation", json: q(`{"source-table": 3, "aggregation": [["aggregation-options", ["sum", ["field", 22, null]], {"name": "total", "display-name": "Total paid"}]], "breakout": [["field", 24, null]], "order-by": [["desc", ["field", 24, null]]]}`)},
	{name: "card_source", json: q(`{"source-table": "card__100", "filter": [">", ["field", "sum", {"base-type": "type/Float"}], 700], "order-by": [["asc", ["field", 21, null]]]}`)},
	{name: "native_card_source", json: q(`{"source-table": "card__101", "aggregation": [["count"], ["sum", ["field", "payment", {"base-type": "type/Float"}]]]}`)},
	{name: "drill_month", json: q(`{"source-table": 3, "filter": ["=", ["field", 23, {"temporal-unit": "month"}], "2024-03-01"], "fields": [["field", 20, null], ["field", 23, null]], "order-by": [["asc", ["field", 20, null]]]}`)},
	{name: "date_equals_day", json: q(`{"source-table": 3, "filter": ["=", ["field", 25, null], "2023-02-20"], "fields": [["field", 20, null]], "order-by": [["asc", ["field", 20, null]]]}`)},
	{name: "date_compare", json: q(`{"source-table": 3, "filter": ["and", [">", ["field", 25, null], "2023-06-30"], ["<=", ["field", 23, null], "2024-01-15"]], "aggregation": [["count"]]}`)},
	{name: "date_between", json: q(`{"source-table": 3, "filter": ["between", ["field", 25, null], "2023-03-01", "2023-03-31"], "aggregation": [["count"]]}`)},
	{name: "day_of_week_filter", json: q(`{"source-table": 3, "filter": ["=", ["field", 23, {"temporal-unit": "day-of-week"}], 1, 7], "aggregation": [["count"]]}`)},
	{name: "dashboard_parameter", json: `{"database": 1, "type": "query", "query": {"source-table": 3, "aggregation": [["count"]]}, "parameters": [{"type": "category", "target": ["dimension", ["field", 24, null]], "value": ["Paid"]}, {"type": "date/all-options", "target": ["dimension", ["field", 23, null]], "value": "2023-07"}, {"type": "number/between", "target": ["dimension", ["field", 22, null]], "value": [10, "150"]}]}`},
	{name: "quoted_identifiers", json: q(`{"source-table": 4, "filter": ["or", ["contains", ["field", 31, null], "'"], ["=", ["field", 32, null], "a` + "`" + `b"]], "order-by": [["asc", ["field", 30, null]]]}`)},
	{name: "quoted_identifiers_grouped", json: q(`{"source-table": 4, "aggregation": [["count"]], "breakout": [["field", 33, {"temporal-unit": "month"}]]}`)},
	{name: "median", json: q(`{"source-table": 3, "aggregation": [["median", ["field", 22, null]], ["percentile", ["field", 22, null], 0.9]]}`)},
	{name: "num_bins", json: q(`{"source-table": 3, "aggregation": [["count"]], "breakout": [["field", 22, {"binning": {"strategy": "num-bins", "num-bins": 4}}]]}`)},
	{name: "full_join", json: q(`{"source-table": 1, "joins": [{"source-table": 2, "alias": "A", "condition": ["=", ["field", 1, null], ["field", 12, {"join-alias": "A"}]], "strategy": "full-join"}], "aggregation": [["count"]]}`)},
	{name: "timezone_column", goldenOnly: true, json: q(`{"source-table": 3, "filter": ["time-interval", ["field", 26, null], -7, "day"], "aggregation": [["count"]], "breakout": [["field", 26, {"temporal-unit": "day"}]]}`)},
	{name: "native_optional_clause_dropped", json: `{"database": 1, "type": "native", "native": {"query": "SELECT count(*) AS n FROM invoices WHERE status = {{status}} [[AND payment > {{min}}]]", "template-tags": {"status": {"name": "status", "display-name": "Status", "type": "text"}, "min": {"name": "min", "display-name": "Min", "type": "number"}}}, "parameters": [{"type": "category", "target": ["variable", ["template-tag", "status"]], "value": "Paid"}]}`},
	{name: "native_optional_clause_kept", json: `{"database": 1, "type": "native", "native": {"query": "SELECT count(*) AS n FROM invoices WHERE status = {{status}} [[AND payment > {{min}}]]", "template-tags": {"status": {"name": "status", "display-name": "Status", "type": "text"}, "min": {"name": "min", "display-name": "Min", "type": "number"}}}, "parameters": [{"type": "category", "target": ["variable", ["template-tag", "status"]], "value": "Paid"}, {"type": "number/=", "target": ["variable", ["template-tag", "min"]], "value": "50"}]}`},
	{name: "native_field_filters", json: `{"database": 1, "type": "native", "native": {"query": "SELECT count(*) AS n FROM invoices WHERE {{status}} AND {{received}} AND {{unset}}", "template-tags": {"status": {"name": "status", "display-name": "Status", "type": "dimension", "dimension": ["field", 24, null], "widget-type": "category"}, "received": {"name": "received", "display-name": "Received", "type": "dimension", "dimension": ["field", 23, null], "widget-type": "date/all-options"}, "unset": {"name": "unset", "display-name": "Unset", "type": "dimension", "dimension": ["field", 22, null], "widget-type": "number/="}}}, "parameters": [{"type": "category", "target": ["dimension", ["template-tag", "status"]], "value": ["Paid", "Open"]}, {"type": "date/range", "target": ["dimension", ["template-tag", "received"]], "value": "2023-03-01~2023-12-31"}]}`},
	{name: "native_date_and_default", json: `{"database": 1, "type": "native", "native": {"query": "SELECT count(*) AS n FROM invoices WHERE date_received >= {{since}} AND account_id IN ({{accounts}})", "template-tags": {"since": {"name": "since", "display-name": "Since", "type": "date"}, "accounts": {"name": "accounts", "display-name": "Accounts", "type": "number", "default": [1, 2, 3]}}}, "parameters": [{"type": "date/single", "target": ["variable", ["template-tag", "since"]], "value": "2024-01-01"}]}`},
}
