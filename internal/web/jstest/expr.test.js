// Unit tests of the expression language (static/js/expr/parser.js), run by node's
// own test runner: node --test internal/web/jstest/expr.test.js
import test from "node:test";
import assert from "node:assert/strict";
import * as X from "../static/js/expr/parser.js";

const cols = [
  { label: "Total", ref: ["field", 5, null] },
  { label: "Created At", ref: ["field", 7, null] },
  { label: "First", ref: ["field", 8, null] },
  { label: "Last", ref: ["field", 9, null] },
  { label: "Product → Category", ref: ["field", 12, { "source-field": 3 }] },
  { label: "Net", ref: ["expression", "Net"] },
];

// error returns the ExprError parse throws, failing when it does not.
function error(text, mode) {
  try {
    X.parse(text, cols, { mode });
  } catch (e) {
    assert.ok(e instanceof X.ExprError, "not an ExprError: " + e);
    return e;
  }
  assert.fail("parse(" + text + ") succeeded, want an error");
}

test("parses the vendor's formulas into MBQL", () => {
  const cases = [
    ["[Total] * 1.2", ["*", ["field", 5, null], 1.2]],
    ['case([Total] > 100, "big", "small")', ["case", [[[">", ["field", 5, null], 100], "big"]], { default: "small" }]],
    ['if([Total] > 100, "big", [Total] > 50, "medium")', ["case", [[[">", ["field", 5, null], 100], "big"], [[">", ["field", 5, null], 50], "medium"]]]],
    ['concat([First], " ", [Last])', ["concat", ["field", 8, null], " ", ["field", 9, null]]],
    ['datetimeDiff([Created At], now(), "day")', ["datetime-diff", ["field", 7, null], ["now"], "day"]],
    ['datetimeAdd([Created At], -2, "month")', ["datetime-add", ["field", 7, null], -2, "month"]],
    ["[Total] - [Net] - 1", ["-", ["-", ["field", 5, null], ["expression", "Net"]], 1]],
    ["[Total] - ([Net] - 1)", ["-", ["field", 5, null], ["-", ["expression", "Net"], 1]]],
    ["1 + 2 * 3", ["+", 1, ["*", 2, 3]]],
    ["-[Total]", ["*", -1, ["field", 5, null]]],
    ['regexExtract([First], "^(\\\\w+)")', ["regex-match-first", ["field", 8, null], "^(\\w+)"]],
    ['splitPart([Product → Category], "-", 2)', ["split-part", ["field", 12, { "source-field": 3 }], "-", 2]],
    ["round(abs([Total]))", ["round", ["abs", ["field", 5, null]]]],
    ["coalesce([Net], 0)", ["coalesce", ["expression", "Net"], 0]],
    ["year([Created At])", ["get-year", ["field", 7, null]]],
    ['week([Created At], "iso")', ["get-week", ["field", 7, null], "iso"]],
    ['convertTimezone([Created At], "Asia/Tokyo", "UTC")', ["convert-timezone", ["field", 7, null], "Asia/Tokyo", "UTC"]],
    ['case(contains([First], "an", "case-insensitive") AND NOT isNull([Last]), 1, 0)',
      ["case", [[["and", ["contains", ["field", 8, null], "an", { "case-sensitive": false }], ["not", ["is-null", ["field", 9, null]]]], 1]], { default: 0 }]],
  ];
  for (const [text, want] of cases) assert.deepEqual(X.parse(text, cols), want, text);
});

test("parses metrics and filters", () => {
  assert.deepEqual(X.parse("CountIf([Total] > 10)", cols, { mode: "aggregation" }), ["count-where", [">", ["field", 5, null], 10]]);
  assert.deepEqual(X.parse("SumIf([Total], [Net] >= 2)", cols, { mode: "aggregation" }), ["sum-where", ["field", 5, null], [">=", ["expression", "Net"], 2]]);
  assert.deepEqual(X.parse("Count()", cols, { mode: "aggregation" }), ["count"]);
  assert.deepEqual(X.parse("Percentile([Total], 0.9)", cols, { mode: "aggregation" }), ["percentile", ["field", 5, null], 0.9]);
  assert.deepEqual(X.parse("StandardDeviation([Total])", cols, { mode: "aggregation" }), ["stddev", ["field", 5, null]]);
  assert.deepEqual(X.parse("Share([Total] > 1 or [Net] < 0)", cols, { mode: "aggregation" }), ["share", ["or", [">", ["field", 5, null], 1], ["<", ["expression", "Net"], 0]]]);
  assert.deepEqual(X.parse('[Total] > 10 AND startsWith([First], "A")', cols, { mode: "filter" }), ["and", [">", ["field", 5, null], 10], ["starts-with", ["field", 8, null], "A"]]);
});

test("errors say what and where", () => {
  const cases = [
    ['concat([First], "b"', "Expected a closing parenthesis after \"b\".", 19],
    ["round([Total], 2, 3)", "round expects 1 argument, got 3.", 0],
    ["[Totl] * 2", "Unknown column [Totl].", 0],
    ["frobnicate(1)", "Unknown function frobnicate.", 0],
    ["Total * 2", "Put column names in brackets: [Total].", 0],
    ["[Total] *", "Expected a value after *.", 9],
    ["[Total", "Missing a closing bracket after [Total.", 0],
    ['"abc', "Missing a closing quote after \"abc.", 0],
    ['case([Total], "a")', "Expected a true/false expression, such as [Total] > 10, as argument 1 of case.", 5],
    ['datetimeAdd([Created At], 1, "fortnight")', 'Expected a unit as argument 3 of datetimeAdd: "year", "quarter", "month", "week", "day", "hour", "minute", "second".', 29],
    ["Sum([Total])", "Sum is a metric; use it in Summarize, not in a custom column.", 0],
    ["[Total] + 1)", "Unexpected ) after 1: there is no opening parenthesis to close.", 11],
    ["[Total] # 2", 'Unexpected character "#" at position 9.', 8],
    ["", "Write a formula, for example [Total] * 1.2.", 0],
    ["[Total] > 1 + ([Net] = 2)", "Expected a value as +, found the condition ([Net] = 2).", 14],
  ];
  for (const [text, msg, start] of cases) {
    const e = error(text);
    assert.equal(e.message, msg, text);
    assert.equal(e.start, start, text + ": start");
  }
  assert.equal(error("CountIf([Total])", "aggregation").message, "Expected a true/false expression, such as [Total] > 10, as argument 1 of CountIf.");
  assert.equal(error("[Total] + 1", "aggregation").message, "Total must be inside a metric like Sum([Total]).");
  assert.equal(error("2 * 3", "aggregation").message, "A metric needs a function such as Sum([Total]) or CountIf([Total] > 10).");
  assert.equal(error("[Total]", "filter").message, "Expected a true/false expression for a filter, such as [Total] > 10; [Total] is a value.");
  assert.equal(error("Sum(Count())", "aggregation").message, "Count() is a metric and cannot be used inside Sum.");
});

test("reads arithmetic between metrics in Summarize", () => {
  const agg = (t) => X.parse(t, cols, { mode: "aggregation" });
  const total = ["field", 5, null];
  const cases = [
    ["Sum([Total]) / Count", ["/", ["sum", total], ["count"]]],
    ["Sum([Total]) - SumIf([Total], [Net] < 0)", ["-", ["sum", total], ["sum-where", total, ["<", ["expression", "Net"], 0]]]],
    ["Distinct([First]) * 100 / Count()", ["/", ["*", ["distinct", ["field", 8, null]], 100], ["count"]]],
    ["round(Average([Total]))", ["round", ["avg", total]]],
    ['CountIf([First] = "Ann") / Count', ["/", ["count-where", ["=", ["field", 8, null], "Ann"]], ["count"]]],
    ["power(StandardDeviation([Total]), 2) + abs(Min([Net]))", ["+", ["power", ["stddev", total], 2], ["abs", ["min", ["expression", "Net"]]]]],
    ["-Sum([Total])", ["*", -1, ["sum", total]]],
    ["Sum([Total] * 2) / (Count + 1)", ["/", ["sum", ["*", total, 2]], ["+", ["count"], 1]]],
  ];
  for (const [text, want] of cases) {
    const e = agg(text);
    assert.deepEqual(e, want, text);
    assert.deepEqual(agg(X.format(e, cols)), e, "round trip of " + text);
  }
  assert.equal(X.format(["aggregation-options", ["/", ["sum", total], ["count"]], { name: "ppi", "display-name": "Per order" }], cols), "Sum([Total]) / Count()");
  const errors = [
    ["Sum([Total]) / [Net]", "Net must be inside a metric like Sum([Net]).", 15],
    ["round([Total])", "Total must be inside a metric like Sum([Total]).", 6],
    ['concat(Count, "x")', "concat cannot combine metrics: use +, -, *, / and abs, ceil, floor, round, power, sqrt, exp, log.", 0],
    ["Sum(Count + 1)", "Count + 1 holds a metric and cannot be used inside Sum.", 4],
    ["Sum(Sum([Total]))", "Sum([Total]) is a metric and cannot be used inside Sum.", 4],
    ["Count > 10", "A metric formula combines metrics and numbers with +, -, *, / and abs, ceil, floor, round, power, sqrt, exp, log; a condition cannot be part of it.", 0],
    ["CumulativeSum([Total]) / Count", "CumulativeSum cannot be combined with other metrics or numbers.", 0],
  ];
  for (const [text, msg, start] of errors) {
    const e = error(text, "aggregation");
    assert.equal(e.message, msg, text);
    assert.equal(e.start, start, text + ": start");
  }
  assert.equal(error("Sum([Total]) / Count").message, "Sum is a metric; use it in Summarize, not in a custom column.");
  assert.equal(error("Count > 1", "filter").message, "Count is a metric; use it in Summarize, not in a filter.");
});

test("format writes back what parse reads", () => {
  const texts = [
    "[Total] * 1.2",
    'case([Total] > 100, "big", "small")',
    'concat([First], " ", [Last])',
    'datetimeDiff([Created At], now(), "day")',
    "[Total] - ([Net] - 1)",
    "([Total] + 1) * 2",
    '[Total] > 10 AND (startsWith([First], "A") OR NOT isNull([Last]))',
    'contains([First], "x", "case-insensitive")',
    "-[Total]",
    "round(abs([Product → Category]))",
  ];
  for (const t of texts) {
    const mode = X.isCondition(X.parse(t, cols, { mode: "any" })) ? "filter" : "expression";
    const e = X.parse(t, cols, { mode });
    assert.equal(X.format(e, cols), t);
    assert.deepEqual(X.parse(X.format(e, cols), cols, { mode }), e);
  }
  assert.equal(X.format(["count-where", [">", ["field", 5, null], 10]], cols), "CountIf([Total] > 10)");
  assert.equal(X.format(["field", 99, null], cols), "[99]");
});

test("completes functions and columns", () => {
  const names = (r) => r.items.map((i) => i.label);
  let r = X.complete("datet", 5, cols);
  assert.deepEqual(names(r), ["datetimeAdd", "datetimeSubtract", "datetimeDiff"]);
  assert.equal(r.start, 0);
  assert.equal(r.items[0].insert, "datetimeAdd(");
  r = X.complete("concat([Fi", 10, cols);
  assert.deepEqual(names(r), ["First"]);
  assert.equal(r.start, 7);
  assert.equal(r.items[0].insert, "[First]");
  r = X.complete("[cat", 4, cols);
  assert.deepEqual(names(r), ["Product → Category"]);
  assert.deepEqual(names(X.complete("Coun", 4, cols)), []);
  assert.deepEqual(names(X.complete("Coun", 4, cols, { mode: "aggregation" })), ["Count", "CountIf"]);
  assert.deepEqual(names(X.complete("1 + ", 4, cols)), []);
});

test("knows what a formula computes", () => {
  const typed = cols.map((c, i) => Object.assign({ base: ["type/Decimal", "type/DateTime", "type/Text", "type/Text", "type/Text", "type/Integer"][i] }, c));
  const base = (text) => X.baseType(X.parse(text, typed), typed);
  assert.equal(base("round([Total])"), "type/Integer");
  assert.equal(base("[Total] * 1.2"), "type/Float");
  assert.equal(base("[Net] + 1"), "type/Integer");
  assert.equal(base("abs([Total])"), "type/Decimal");
  assert.equal(base('concat([First], " ")'), "type/Text");
  assert.equal(base('datetimeAdd([Created At], 1, "day")'), "type/DateTime");
  assert.equal(base('datetimeDiff([Created At], now(), "day")'), "type/Integer");
  assert.equal(base("coalesce([Created At], now())"), "type/DateTime");
  assert.equal(base('case([Total] > 1, "a", "b")'), "type/Text");
  assert.equal(base("weekday([Created At])"), "type/Integer");
});

test("reads true/false expressions wherever a condition goes", () => {
  const typed = [
    { label: "Total", ref: ["field", 5, null], base: "type/Float" },
    { label: "Category", ref: ["field", 12, null], base: "type/Text" },
    { label: "Discount", ref: ["field", 6, null], base: "type/Float" },
    { label: "Active", ref: ["field", 4, null], base: "type/Boolean" },
    { label: "Big", ref: ["expression", "Big"], base: "type/Boolean" },
    { label: "Created At", ref: ["field", 7, null], base: "type/DateTime" },
  ];
  const parse = (text, mode) => X.parse(text, typed, { mode });
  const fail = (text, mode) => {
    try {
      parse(text, mode);
    } catch (e) {
      assert.ok(e instanceof X.ExprError, "not an ExprError: " + e);
      return e;
    }
    return assert.fail("parse(" + text + ") succeeded, want an error");
  };
  // A filter written as a formula.
  assert.deepEqual(parse('[Total] > 50 AND (contains([Category], "Gizmo") OR isnull([Discount]))', "filter"),
    ["and", [">", ["field", 5, null], 50], ["or", ["contains", ["field", 12, null], "Gizmo"], ["is-null", ["field", 6, null]]]]);
  // Boolean columns and custom columns stand by themselves.
  assert.deepEqual(parse("[Active]", "filter"), ["field", 4, null]);
  assert.deepEqual(parse("[Big] AND NOT [Active]", "filter"), ["and", ["expression", "Big"], ["not", ["field", 4, null]]]);
  assert.deepEqual(parse("True", "filter"), true);
  // A custom column may be a condition: true or false per row.
  assert.deepEqual(parse("[Total] > 100 OR [Active]"), ["or", [">", ["field", 5, null], 100], ["field", 4, null]]);
  assert.equal(X.baseType(parse("[Total] > 100"), typed), "type/Boolean");
  // Metrics and case take them as conditions.
  assert.deepEqual(parse("CountIf([Big])", "aggregation"), ["count-where", ["expression", "Big"]]);
  assert.deepEqual(parse("SumIf([Total], [Active] AND [Total] > 1)", "aggregation"),
    ["sum-where", ["field", 5, null], ["and", ["field", 4, null], [">", ["field", 5, null], 1]]]);
  assert.deepEqual(parse('case([Big], "yes", "no")'), ["case", [[["expression", "Big"], "yes"]], { default: "no" }]);
  // What is not true or false is refused, naming what it is.
  const cases = [
    ["[Total]", "filter", "Expected a true/false expression for a filter, such as [Total] > 10; [Total] is a number.", 0],
    ['concat([Category], "x")', "filter", 'Expected a true/false expression for a filter, such as [Total] > 10; concat([Category], "x") is text.', 0],
    ["[Active] AND [Created At]", "filter", "AND joins true/false expressions, such as [Total] > 10; [Created At] is a date.", 13],
    ["NOT [Total]", "expression", "NOT negates a true/false expression; [Total] is a number.", 4],
    ["DistinctIf([Total], [Category])", "aggregation", "Expected a true/false expression, such as [Total] > 10, as argument 2 of DistinctIf.", 20],
  ];
  for (const [text, mode, msg, start] of cases) {
    const e = fail(text, mode);
    assert.equal(e.message, msg, text);
    assert.equal(e.start, start, text + ": start");
  }
  // They read back as they were written.
  for (const t of ["[Big] AND NOT [Active]", '[Total] > 50 AND (contains([Category], "Gizmo") OR isNull([Discount]))']) {
    assert.equal(X.format(parse(t, "filter"), typed), t);
  }
});

test("reads the vendor's filter functions in, notIn and interval", () => {
  assert.deepEqual(X.parse('in([First], "Ann", "Bo")', cols, { mode: "filter" }), ["=", ["field", 8, null], "Ann", "Bo"]);
  assert.deepEqual(X.parse("notIn([Total], 1, 2, 3)", cols, { mode: "filter" }), ["!=", ["field", 5, null], 1, 2, 3]);
  assert.deepEqual(X.parse('interval([Created At], -30, "day")', cols, { mode: "filter" }), ["time-interval", ["field", 7, null], -30, "day"]);
  assert.deepEqual(X.parse('interval([Created At], "current", "month")', cols, { mode: "filter" }), ["time-interval", ["field", 7, null], "current", "month"]);
  assert.equal(error('interval([Created At], 1.5, "day")', "filter").message,
    'Expected a whole number (negative for the past) or "current" as argument 2 of interval.');
  for (const t of ['in([First], "Ann", "Bo")', "notIn([Total], 1, 2, 3)", 'interval([Created At], -30, "day")', '[Total] = 3 AND NOT in([Last], "x", "y")']) {
    assert.equal(X.format(X.parse(t, cols, { mode: "filter" }), cols), t);
  }
});

test("completion in a filter offers true/false columns first, and True/False", () => {
  const typed = [
    { label: "Account", ref: ["field", 1, null], base: "type/Integer" },
    { label: "Active", ref: ["field", 4, null], base: "type/Boolean" },
  ];
  const names = (r) => r.items.map((i) => i.label);
  assert.deepEqual(names(X.complete("[Total] > 1 AND ac", 18, typed, { mode: "filter" })), ["Active", "Account"]);
  assert.deepEqual(names(X.complete("ac", 2, typed)), ["Account", "Active"]);
  assert.deepEqual(names(X.complete("tr", 2, typed, { mode: "filter" })), ["trim", "True"]);
});
