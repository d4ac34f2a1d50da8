// Sightline's expression language: the reference vendor's formula syntax
// for custom columns, filters and metrics ("case([Total] > 100, \"big\",
// \"small\")", "datetimeDiff([Created At], now(), \"day\")",
// "CountIf([Total] > 10)"), read into the query wire format (MBQL) and
// written back, with name completion for the editor.
//
//   parse(text, columns, {mode: "expression" | "aggregation" | "filter"})
//     -> MBQL clause, or throws an ExprError {message, start, end}
//   format(clause, columns) -> formula text
//   complete(text, cursor, columns, {mode}) -> {start, end, items}
//
// columns are [{label, ref}] where ref is the MBQL reference the label
// stands for (["field", 12, null], ["expression", "Net"]).
//
// Pure functions with no DOM, so node's own test runner checks them.

// FUNCTIONS maps a formula name to its MBQL operator, arity, what each
// argument must be ("v" value, "c" condition, "s" text literal, "n"
// number literal, "i" whole number or "current", "u" unit) and what it returns ("value", "condition",
// "aggregation"). max -1 is any number. args names the last argument
// kind repeated when there are more arguments than kinds.
const UNIT = ["year", "quarter", "month", "week", "day", "hour", "minute", "second"];
export const FUNCTIONS = {
  case: { mbql: "case", min: 2, max: -1, returns: "value", help: "case(condition, value, …, default)" },
  if: { mbql: "case", min: 2, max: -1, returns: "value", help: "if(condition, value, …, default)" },
  coalesce: { mbql: "coalesce", min: 1, max: -1, args: ["v"], returns: "value", help: "coalesce(value1, value2, …): the first that is not empty" },
  isNull: { mbql: "is-null", min: 1, max: 1, args: ["v"], returns: "condition", help: "isNull(column)" },
  notNull: { mbql: "not-null", min: 1, max: 1, args: ["v"], returns: "condition", help: "notNull(column)" },
  isEmpty: { mbql: "is-empty", min: 1, max: 1, args: ["v"], returns: "condition", help: "isEmpty(column): empty text or null" },
  notEmpty: { mbql: "not-empty", min: 1, max: 1, args: ["v"], returns: "condition", help: "notEmpty(column)" },
  between: { mbql: "between", min: 3, max: 3, args: ["v"], returns: "condition", help: "between(column, start, end)" },
  in: { mbql: "=", min: 2, max: -1, args: ["v"], returns: "condition", help: "in(column, value1, value2, …): equal to one of them" },
  notIn: { mbql: "!=", min: 2, max: -1, args: ["v"], returns: "condition", help: "notIn(column, value1, value2, …): none of them (or empty)" },
  interval: { mbql: "time-interval", min: 3, max: 3, args: ["v", "i", "u"], returns: "condition", help: "interval(date, -30, \"day\"): the last 30 days (positive: the next)" },
  abs: { mbql: "abs", min: 1, max: 1, args: ["v"], returns: "value", help: "abs(number)" },
  ceil: { mbql: "ceil", min: 1, max: 1, args: ["v"], returns: "value", help: "ceil(number): rounds up" },
  floor: { mbql: "floor", min: 1, max: 1, args: ["v"], returns: "value", help: "floor(number): rounds down" },
  round: { mbql: "round", min: 1, max: 1, args: ["v"], returns: "value", help: "round(number): to the nearest whole number" },
  power: { mbql: "power", min: 2, max: 2, args: ["v"], returns: "value", help: "power(number, exponent)" },
  sqrt: { mbql: "sqrt", min: 1, max: 1, args: ["v"], returns: "value", help: "sqrt(number)" },
  exp: { mbql: "exp", min: 1, max: 1, args: ["v"], returns: "value", help: "exp(number): e to the power of number" },
  log: { mbql: "log", min: 1, max: 1, args: ["v"], returns: "value", help: "log(number): base 10" },
  concat: { mbql: "concat", min: 1, max: -1, args: ["v"], returns: "value", help: "concat(value1, value2, …)" },
  substring: { mbql: "substring", min: 2, max: 3, args: ["v"], returns: "value", help: "substring(text, position from 1, length)" },
  replace: { mbql: "replace", min: 3, max: 3, args: ["v"], returns: "value", help: "replace(text, find, replacement)" },
  regexExtract: { mbql: "regex-match-first", min: 2, max: 2, args: ["v", "s"], returns: "value", help: "regexExtract(text, \"regular expression\")" },
  length: { mbql: "length", min: 1, max: 1, args: ["v"], returns: "value", help: "length(text)" },
  trim: { mbql: "trim", min: 1, max: 1, args: ["v"], returns: "value", help: "trim(text)" },
  lTrim: { mbql: "ltrim", min: 1, max: 1, args: ["v"], returns: "value", help: "lTrim(text)" },
  rTrim: { mbql: "rtrim", min: 1, max: 1, args: ["v"], returns: "value", help: "rTrim(text)" },
  upper: { mbql: "upper", min: 1, max: 1, args: ["v"], returns: "value", help: "upper(text)" },
  lower: { mbql: "lower", min: 1, max: 1, args: ["v"], returns: "value", help: "lower(text)" },
  contains: { mbql: "contains", min: 2, max: 3, args: ["v", "s", "s"], returns: "condition", help: "contains(text, \"part\", \"case-insensitive\"?)" },
  doesNotContain: { mbql: "does-not-contain", min: 2, max: 3, args: ["v", "s", "s"], returns: "condition", help: "doesNotContain(text, \"part\")" },
  startsWith: { mbql: "starts-with", min: 2, max: 3, args: ["v", "s", "s"], returns: "condition", help: "startsWith(text, \"start\")" },
  endsWith: { mbql: "ends-with", min: 2, max: 3, args: ["v", "s", "s"], returns: "condition", help: "endsWith(text, \"end\")" },
  splitPart: { mbql: "split-part", min: 3, max: 3, args: ["v", "s", "n"], returns: "value", help: "splitPart(text, \"delimiter\", position from 1)" },
  datetimeAdd: { mbql: "datetime-add", min: 3, max: 3, args: ["v", "v", "u"], returns: "value", help: "datetimeAdd(date, amount, \"unit\")" },
  datetimeSubtract: { mbql: "datetime-subtract", min: 3, max: 3, args: ["v", "v", "u"], returns: "value", help: "datetimeSubtract(date, amount, \"unit\")" },
  datetimeDiff: { mbql: "datetime-diff", min: 3, max: 3, args: ["v", "v", "u"], returns: "value", help: "datetimeDiff(start, end, \"unit\")" },
  now: { mbql: "now", min: 0, max: 0, returns: "value", help: "now(): the time the question runs" },
  year: { mbql: "get-year", min: 1, max: 1, args: ["v"], returns: "value", help: "year(date)" },
  quarter: { mbql: "get-quarter", min: 1, max: 1, args: ["v"], returns: "value", help: "quarter(date): 1 to 4" },
  month: { mbql: "get-month", min: 1, max: 1, args: ["v"], returns: "value", help: "month(date): 1 to 12" },
  week: { mbql: "get-week", min: 1, max: 2, args: ["v", "s"], returns: "value", help: "week(date): ISO week number" },
  day: { mbql: "get-day", min: 1, max: 1, args: ["v"], returns: "value", help: "day(date): day of the month" },
  weekday: { mbql: "get-day-of-week", min: 1, max: 1, args: ["v"], returns: "value", help: "weekday(date): 1 = Sunday to 7" },
  hour: { mbql: "get-hour", min: 1, max: 1, args: ["v"], returns: "value", help: "hour(date)" },
  minute: { mbql: "get-minute", min: 1, max: 1, args: ["v"], returns: "value", help: "minute(date)" },
  convertTimezone: { mbql: "convert-timezone", min: 2, max: 3, args: ["v", "s", "s"], returns: "value", help: "convertTimezone(date, \"to zone\", \"from zone\"?) (on MySQL/MariaDB the server needs its time zone tables)" },
  second: { mbql: "get-second", min: 1, max: 1, args: ["v"], returns: "value", help: "second(date)" },
  Count: { mbql: "count", min: 0, max: 1, args: ["v"], returns: "aggregation", help: "Count() or Count(column)" },
  CountIf: { mbql: "count-where", min: 1, max: 1, args: ["c"], returns: "aggregation", help: "CountIf(condition)" },
  Sum: { mbql: "sum", min: 1, max: 1, args: ["v"], returns: "aggregation", help: "Sum(column)" },
  SumIf: { mbql: "sum-where", min: 2, max: 2, args: ["v", "c"], returns: "aggregation", help: "SumIf(column, condition)" },
  Distinct: { mbql: "distinct", min: 1, max: 1, args: ["v"], returns: "aggregation", help: "Distinct(column): number of distinct values" },
  DistinctIf: { mbql: "distinct-where", min: 2, max: 2, args: ["v", "c"], returns: "aggregation", help: "DistinctIf(column, condition)" },
  Average: { mbql: "avg", min: 1, max: 1, args: ["v"], returns: "aggregation", help: "Average(column)" },
  Min: { mbql: "min", min: 1, max: 1, args: ["v"], returns: "aggregation", help: "Min(column)" },
  Max: { mbql: "max", min: 1, max: 1, args: ["v"], returns: "aggregation", help: "Max(column)" },
  Median: { mbql: "median", min: 1, max: 1, args: ["v"], returns: "aggregation", help: "Median(column)" },
  Percentile: { mbql: "percentile", min: 2, max: 2, args: ["v", "n"], returns: "aggregation", help: "Percentile(column, 0.9): between 0 and 1" },
  StandardDeviation: { mbql: "stddev", min: 1, max: 1, args: ["v"], returns: "aggregation", help: "StandardDeviation(column)" },
  Variance: { mbql: "var", min: 1, max: 1, args: ["v"], returns: "aggregation", help: "Variance(column)" },
  Share: { mbql: "share", min: 1, max: 1, args: ["c"], returns: "aggregation", help: "Share(condition): fraction of rows" },
  CumulativeCount: { mbql: "cum-count", min: 0, max: 0, returns: "aggregation", help: "CumulativeCount()" },
  CumulativeSum: { mbql: "cum-sum", min: 1, max: 1, args: ["v"], returns: "aggregation", help: "CumulativeSum(column)" },
};
const BY_LOWER = {};
const BY_MBQL = {};
for (const [name, f] of Object.entries(FUNCTIONS)) {
  f.name = name;
  BY_LOWER[name.toLowerCase()] = f;
  if (!BY_MBQL[f.mbql]) BY_MBQL[f.mbql] = f;
}

const CONDITIONS = ["=", "!=", "<", "<=", ">", ">=", "and", "or", "not", "between", "is-null", "not-null",
  "is-empty", "not-empty", "contains", "does-not-contain", "starts-with", "ends-with", "time-interval"];
const AGGREGATIONS = Object.values(FUNCTIONS).filter((f) => f.returns === "aggregation").map((f) => f.mbql)
  .concat(["aggregation-options"]);
// Metrics combine with arithmetic and these math functions into a metric
// formula, such as Sum([Payment]) / Count; cumulative metrics do not.
const METRIC_MATH = ["abs", "ceil", "floor", "round", "power", "sqrt", "exp", "log"];
const CUMULATIVE = ["cum-count", "cum-sum"];

// ExprError is a problem with the text, with the span it is about.
export class ExprError extends Error {
  constructor(message, start, end) {
    super(message);
    this.name = "ExprError";
    this.start = start;
    this.end = end === undefined ? start : end;
  }
}

// isCondition reports whether an MBQL clause is true or false per row.
export function isCondition(e) {
  return Array.isArray(e) && CONDITIONS.includes(e[0]);
}

function isAggregation(e) {
  return Array.isArray(e) && AGGREGATIONS.includes(e[0]);
}

// hasAggregation reports whether a clause is or holds a metric.
function hasAggregation(e) {
  return isAggregation(e) || (Array.isArray(e) && e.slice(1).some(hasAggregation));
}

// ---- tokens ----

// tokenize splits text into tokens with their spans.
export function tokenize(s) {
  const out = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (/\s/.test(ch)) { i++; continue; }
    const start = i;
    if (ch === "[") {
      let name = "";
      i++;
      while (i < s.length && s[i] !== "]") {
        if (s[i] === "\\" && i + 1 < s.length) i++;
        name += s[i++];
      }
      if (i >= s.length) throw new ExprError("Missing a closing bracket after [" + name + ".", start, s.length);
      i++;
      out.push({ type: "col", value: name.trim(), start, end: i, text: s.slice(start, i) });
      continue;
    }
    if (ch === '"' || ch === "'") {
      let v = "";
      i++;
      while (i < s.length && s[i] !== ch) {
        if (s[i] === "\\" && i + 1 < s.length) {
          i++;
          v += { n: "\n", t: "\t" }[s[i]] || s[i];
          i++;
          continue;
        }
        v += s[i++];
      }
      if (i >= s.length) throw new ExprError("Missing a closing quote after " + s.slice(start, Math.min(s.length, start + 20)) + ".", start, s.length);
      i++;
      out.push({ type: "str", value: v, start, end: i, text: s.slice(start, i) });
      continue;
    }
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s.slice(i));
    if (num) {
      i += num[0].length;
      out.push({ type: "num", value: Number(num[0]), start, end: i, text: num[0] });
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    if (id) {
      i += id[0].length;
      out.push({ type: "ident", value: id[0], start, end: i, text: id[0] });
      continue;
    }
    const op = /^(!=|<=|>=|[-+*/=<>(),])/.exec(s.slice(i));
    if (op) {
      i += op[0].length;
      out.push({ type: op[0], value: op[0], start, end: i, text: op[0] });
      continue;
    }
    throw new ExprError("Unexpected character " + JSON.stringify(ch) + " at position " + (i + 1) + ".", i, i + 1);
  }
  out.push({ type: "eof", value: "", start: s.length, end: s.length, text: "" });
  return out;
}

// ---- parsing ----

// parse reads a formula into an MBQL clause. mode "expression" (the
// default) takes a value or a condition (a custom column that is true or
// false per row), "filter" a true/false expression (a condition, a
// boolean column or True/False) and "aggregation" a metric.
export function parse(text, columns, opts) {
  const mode = (opts && opts.mode) || "expression";
  if (!String(text || "").trim()) throw new ExprError("Write a formula, for example [Total] * 1.2.", 0, 0);
  const toks = tokenize(String(text));
  let p = 0;
  const peek = () => toks[p];
  const next = () => toks[p++];
  const prev = () => toks[p - 1];
  const after = () => (p > 0 ? " after " + prev().text : "");
  const word = (t, w) => t.type === "ident" && t.value.toLowerCase() === w;
  // outside is true while reading the part of a metric formula that is
  // not inside a metric: there only metrics, numbers, arithmetic and
  // math functions belong.
  let outside = mode === "aggregation";

  function expect(type, what) {
    const t = peek();
    if (t.type !== type) {
      throw new ExprError("Expected " + what + after() + (t.type === "eof" ? "." : ", found " + t.text + "."), t.start, t.end);
    }
    return next();
  }

  function or() {
    let left = and();
    while (word(peek(), "or")) {
      const t = next();
      const right = and();
      left = logical("or", left, right, t);
    }
    return left;
  }
  function and() {
    let left = not();
    while (word(peek(), "and")) {
      const t = next();
      const right = not();
      left = logical("and", left, right, t);
    }
    return left;
  }
  function logical(op, left, right, t) {
    for (const x of [left, right]) {
      if (!truthy(x)) throw new ExprError(op.toUpperCase() + " joins true/false expressions, such as [Total] > 10; " + x.text + " is " + kindText(x) + ".", x.start, x.end);
    }
    const e = Array.isArray(left.e) && left.e[0] === op ? left.e.concat([right.e]) : [op, left.e, right.e];
    return node(e, left.start, right.end, t);
  }
  function not() {
    if (word(peek(), "not")) {
      const t = next();
      const x = not();
      if (!truthy(x)) throw new ExprError("NOT negates a true/false expression; " + x.text + " is " + kindText(x) + ".", x.start, x.end);
      return node(["not", x.e], t.start, x.end);
    }
    return comparison();
  }
  function comparison() {
    const left = additive();
    const t = peek();
    if (["=", "!=", "<", "<=", ">", ">="].includes(t.type)) {
      next();
      const right = additive();
      value(left, "the left of " + t.type);
      value(right, "the right of " + t.type);
      return node([t.type, left.e, right.e], left.start, right.end);
    }
    return left;
  }
  function additive() {
    let left = multiplicative();
    while (peek().type === "+" || peek().type === "-") {
      const t = next();
      const right = multiplicative();
      left = arith(t.type, left, right);
    }
    return left;
  }
  function multiplicative() {
    let left = unary();
    while (peek().type === "*" || peek().type === "/") {
      const t = next();
      const right = unary();
      left = arith(t.type, left, right);
    }
    return left;
  }
  function arith(op, left, right) {
    value(left, op);
    value(right, op);
    const flat = (op === "+" || op === "*") && Array.isArray(left.e) && left.e[0] === op && !left.paren;
    return node(flat ? left.e.concat([right.e]) : [op, left.e, right.e], left.start, right.end);
  }
  function unary() {
    if (peek().type === "-") {
      const t = next();
      const x = unary();
      value(x, "-");
      if (typeof x.e === "number") return node(-x.e, t.start, x.end);
      return node(["*", -1, x.e], t.start, x.end);
    }
    return primary();
  }
  function primary() {
    const t = peek();
    switch (t.type) {
      case "num": next(); return node(t.value, t.start, t.end);
      case "str": next(); return node(t.value, t.start, t.end);
      case "col": {
        next();
        const c = (columns || []).find((x) => x.label.toLowerCase() === t.value.toLowerCase());
        if (!c) throw new ExprError("Unknown column [" + t.value + "].", t.start, t.end);
        if (outside) throw new ExprError(c.label + " must be inside a metric like Sum([" + c.label + "]).", t.start, t.end);
        return node(c.ref, t.start, t.end);
      }
      case "(": {
        next();
        const x = or();
        expect(")", "a closing parenthesis");
        x.paren = true;
        x.start = t.start;
        x.end = prev().end;
        x.text = String(text).slice(x.start, x.end);
        return x;
      }
      case "ident": return call();
      case "eof": throw new ExprError("Expected a value" + after() + ".", t.start, t.end);
    }
    throw new ExprError("Expected a value" + after() + ", found " + t.text + ".", t.start, t.end);
  }
  function call() {
    const t = next();
    const lower = t.value.toLowerCase();
    if (lower === "true" || lower === "false") return node(lower === "true", t.start, t.end);
    const f = BY_LOWER[lower];
    if (!f) {
      const col = (columns || []).find((x) => x.label.toLowerCase() === t.value.toLowerCase());
      if (col) throw new ExprError("Put column names in brackets: [" + col.label + "].", t.start, t.end);
      throw new ExprError("Unknown function " + t.value + ".", t.start, t.end);
    }
    if (outside && f.returns !== "aggregation" && !METRIC_MATH.includes(f.mbql)) {
      throw new ExprError(f.name + " cannot combine metrics: use +, -, *, / and " + METRIC_MATH.join(", ") + ".", t.start, t.end);
    }
    const args = [];
    if (peek().type !== "(") {
      if (f.min === 0) return finish(f, t, args, t.end);
      throw new ExprError("Expected an opening parenthesis after " + t.value + ".", t.end, t.end);
    }
    next();
    const was = outside;
    if (f.returns === "aggregation") outside = false;
    if (peek().type !== ")") {
      for (;;) {
        args.push(or());
        if (peek().type === ",") { next(); continue; }
        break;
      }
    }
    outside = was;
    const close = peek();
    if (close.type !== ")") {
      throw new ExprError("Expected a closing parenthesis after " + (args.length ? args[args.length - 1].text : t.text + "(") +
        (close.type === "eof" ? "." : ", found " + close.text + "."), close.start, close.end);
    }
    next();
    return finish(f, t, args, close.end);
  }
  // finish checks a call's arguments and builds its clause.
  function finish(f, t, args, end) {
    const n = args.length;
    if (n < f.min || (f.max >= 0 && n > f.max)) {
      const want = f.max < 0 ? "at least " + plural(f.min) : f.min === f.max ? plural(f.min) : f.min + " to " + f.max + " arguments";
      throw new ExprError(f.name + " expects " + want + ", got " + n + ".", t.start, end);
    }
    if (f.returns === "aggregation" && mode !== "aggregation") {
      throw new ExprError(f.name + " is a metric; use it in Summarize, not in a " + (mode === "filter" ? "filter" : "custom column") + ".", t.start, end);
    }
    if (f.mbql === "case") return caseClause(f, t, args, end);
    const kinds = f.args || [];
    const out = [f.mbql];
    args.forEach((a, i) => {
      const k = kinds[Math.min(i, kinds.length - 1)] || "v";
      const where = "argument " + (i + 1) + " of " + f.name;
      if (k === "c") {
        if (!truthy(a)) throw new ExprError("Expected a true/false expression, such as [Total] > 10, as " + where + ".", a.start, a.end);
      } else value(a, where);
      if (k === "s" && typeof a.e !== "string") throw new ExprError("Expected text in quotes as " + where + ".", a.start, a.end);
      if (k === "n" && typeof a.e !== "number") throw new ExprError("Expected a number as " + where + ".", a.start, a.end);
      if (k === "i" && !Number.isInteger(a.e) && !["current", "last", "next"].includes(a.e)) {
        throw new ExprError("Expected a whole number (negative for the past) or \"current\" as " + where + ".", a.start, a.end);
      }
      if (k === "u" && !UNIT.includes(a.e)) throw new ExprError("Expected a unit as " + where + ": " + UNIT.map((u) => JSON.stringify(u)).join(", ") + ".", a.start, a.end);
      const math = outside && METRIC_MATH.includes(f.mbql);
      if (!math && hasAggregation(a.e)) {
        const what = isAggregation(a.e) ? " is a metric" : " holds a metric";
        throw new ExprError(a.text + what + " and cannot be used inside " + f.name + ".", a.start, a.end);
      }
      out.push(a.e);
    });
    if (["contains", "does-not-contain", "starts-with", "ends-with"].includes(f.mbql) && out.length === 4) {
      if (String(out[3]).toLowerCase() !== "case-insensitive") {
        throw new ExprError("The third argument of " + f.name + " can only be \"case-insensitive\".", args[2].start, args[2].end);
      }
      out[3] = { "case-sensitive": false };
    }
    return node(out, t.start, end);
  }
  function caseClause(f, t, args, end) {
    const pairs = [];
    let i = 0;
    for (; i + 1 < args.length; i += 2) {
      if (!truthy(args[i])) throw new ExprError("Expected a true/false expression, such as [Total] > 10, as argument " + (i + 1) + " of " + f.name + ".", args[i].start, args[i].end);
      value(args[i + 1], "argument " + (i + 2) + " of " + f.name);
      pairs.push([args[i].e, args[i + 1].e]);
    }
    const out = ["case", pairs];
    if (i < args.length) {
      value(args[i], "the default of " + f.name);
      out.push({ default: args[i].e });
    }
    return node(out, t.start, end);
  }
  function node(e, start, end) {
    return { e, start, end, text: String(text).slice(start, end) };
  }
  // truthy reports whether x is true or false per row: a condition, a
  // boolean column (a boolean custom column included) or True/False.
  function truthy(x) {
    return isCondition(x.e) || typeof x.e === "boolean" || baseType(x.e, columns) === BOOLEAN;
  }
  // kindText names what x computes, for messages.
  function kindText(x) {
    const b = baseType(x.e, columns);
    if (b === TEXT) return "text";
    if (b === INTEGER || b === NUMBER || b === "type/BigInteger" || b === "type/Decimal") return "a number";
    if (/^type\/Date/.test(b)) return "a date";
    return "a value";
  }
  // value checks that x computes a value, not a condition.
  function value(x, where) {
    if (isCondition(x.e)) throw new ExprError("Expected a value as " + where + ", found the condition " + x.text + ".", x.start, x.end);
  }

  const result = or();
  const rest = peek();
  if (rest.type !== "eof") {
    throw new ExprError("Unexpected " + rest.text + after() + (rest.type === ")" ? ": there is no opening parenthesis to close." : "."), rest.start, rest.end);
  }
  if (mode === "filter" && !truthy(result)) {
    throw new ExprError("Expected a true/false expression for a filter, such as [Total] > 10; " + result.text + " is " + kindText(result) + ".", result.start, result.end);
  }
  if (mode === "aggregation") metricFormula(result);
  return result.e;
}

// metricFormula checks a metric formula's clause outside its metrics:
// numbers, + - * / and math functions over at least one metric, which
// must not be cumulative when it is combined.
function metricFormula(x) {
  const e = x.e;
  if (!hasAggregation(e)) throw new ExprError("A metric needs a function such as Sum([Total]) or CountIf([Total] > 10).", x.start, x.end);
  if (isAggregation(e)) return;
  const walk = (c) => {
    if (typeof c === "number" || isAggregation(c)) {
      if (CUMULATIVE.includes(c[0])) throw new ExprError(BY_MBQL[c[0]].name + " cannot be combined with other metrics or numbers.", x.start, x.end);
      return;
    }
    const ok = Array.isArray(c) && (["+", "-", "*", "/"].includes(c[0]) || METRIC_MATH.includes(c[0]));
    if (!ok) throw new ExprError("A metric formula combines metrics and numbers with +, -, *, / and " + METRIC_MATH.join(", ") + "; " + (isCondition(c) ? "a condition" : typeof c === "string" ? "text" : "this") + " cannot be part of it.", x.start, x.end);
    c.slice(1).forEach(walk);
  };
  walk(e);
}

function plural(n) {
  return n === 1 ? "1 argument" : n + " arguments";
}

// ---- formatting ----

const PREC = { or: 1, and: 2, not: 3, "=": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6 };

// format writes an MBQL clause back as formula text.
export function format(e, columns) {
  return fmt(e, columns, 0);
}

function columnLabel(ref, columns) {
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const c = (columns || []).find((x) => same(x.ref, ref)) ||
    (columns || []).find((x) => Array.isArray(x.ref) && x.ref[0] === ref[0] && x.ref[1] === ref[1]);
  return "[" + String(c ? c.label : ref[1]).replace(/[\]\\]/g, (m) => "\\" + m) + "]";
}

function fmt(e, columns, outer) {
  if (e === null || e === undefined) return "null";
  if (typeof e === "number") return String(e);
  if (typeof e === "boolean") return e ? "True" : "False";
  if (typeof e === "string") return JSON.stringify(e);
  if (!Array.isArray(e)) return "";
  const op = e[0];
  if (op === "field" || op === "expression") return columnLabel(e, columns);
  if (op === "aggregation-options") return fmt(e[1], columns, outer);
  // = and != with several values read as in() and notIn().
  if ((op === "=" || op === "!=") && e.length > 3) {
    return (op === "=" ? "in(" : "notIn(") + e.slice(1).map((x) => fmt(x, columns, 0)).join(", ") + ")";
  }
  if (op in PREC) {
    const p = PREC[op];
    let s;
    if (op === "not") s = "NOT " + fmt(e[1], columns, p);
    else if (op === "*" && e.length === 3 && e[1] === -1) s = "-" + fmt(e[2], columns, 7);
    else {
      const sep = op === "and" || op === "or" ? " " + op.toUpperCase() + " " : " " + op + " ";
      // The right operand of - and / binds tighter, so a - (b - c) keeps its parentheses.
      s = e.slice(1).map((x, i) => fmt(x, columns, i > 0 && (op === "-" || op === "/") ? p + 1 : p)).join(sep);
    }
    return p < outer ? "(" + s + ")" : s;
  }
  if (op === "case") {
    const parts = [];
    for (const [c, v] of e[1] || []) parts.push(fmt(c, columns, 0), fmt(v, columns, 0));
    if (e[2] && "default" in e[2]) parts.push(fmt(e[2].default, columns, 0));
    return "case(" + parts.join(", ") + ")";
  }
  const f = BY_MBQL[op];
  const name = f ? f.name : op;
  let args = e.slice(1);
  if (["contains", "does-not-contain", "starts-with", "ends-with"].includes(op) && args.length === 3) {
    args = args[2] && args[2]["case-sensitive"] === false ? [args[0], args[1], "case-insensitive"] : args.slice(0, 2);
  }
  return name + "(" + args.map((x) => fmt(x, columns, 0)).join(", ") + ")";
}

// ---- result types ----

const BOOLEAN = "type/Boolean";
const NUMBER = "type/Float";
const INTEGER = "type/Integer";
const TEXT = "type/Text";
const DATETIME = "type/DateTime";
const RESULT = {
  abs: null, ceil: INTEGER, floor: INTEGER, round: INTEGER, power: NUMBER, sqrt: NUMBER, exp: NUMBER, log: NUMBER,
  "+": NUMBER, "-": NUMBER, "*": NUMBER, "/": NUMBER,
  concat: TEXT, substring: TEXT, replace: TEXT, "regex-match-first": TEXT, trim: TEXT, ltrim: TEXT, rtrim: TEXT,
  upper: TEXT, lower: TEXT, "split-part": TEXT, length: INTEGER,
  "datetime-add": DATETIME, "datetime-subtract": DATETIME, now: DATETIME, "convert-timezone": DATETIME, "datetime-diff": INTEGER,
  "get-year": INTEGER, "get-quarter": INTEGER, "get-month": INTEGER, "get-week": INTEGER, "get-day": INTEGER,
  "get-day-of-week": INTEGER, "get-hour": INTEGER, "get-minute": INTEGER, "get-second": INTEGER,
};

// baseType is the base type a clause computes, as the server reports
// it: columns give their own (columns[i].base), literals theirs, and
// functions what they return; coalesce, abs and case follow their
// arguments. "type/*" when it cannot tell.
export function baseType(e, columns) {
  if (typeof e === "number") return Number.isInteger(e) ? INTEGER : NUMBER;
  if (typeof e === "string") return TEXT;
  if (typeof e === "boolean") return "type/Boolean";
  if (!Array.isArray(e)) return "type/*";
  const op = e[0];
  if (op === "field" || op === "expression") {
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    const c = (columns || []).find((x) => same(x.ref, e));
    return (c && c.base) || "type/*";
  }
  if (op === "case") {
    const first = (e[1] || []).map((w) => w[1]).concat(e[2] && "default" in e[2] ? [e[2].default] : []).find((v) => v !== null);
    return first === undefined ? "type/*" : baseType(first, columns);
  }
  if (op === "coalesce" || op === "abs") return baseType(e[1], columns);
  if (op === "+" || op === "-" || op === "*") {
    return e.slice(1).every((x) => baseType(x, columns) === INTEGER || baseType(x, columns) === "type/BigInteger") ? INTEGER : NUMBER;
  }
  if (isCondition(e)) return "type/Boolean";
  return RESULT[op] || "type/*";
}

// ---- completion ----

// complete suggests functions and columns for the word being typed at
// cursor: after "[" columns whose label contains it, otherwise the
// functions and columns starting with it. start and end are the span
// an item's insert replaces.
export function complete(text, cursor, columns, opts) {
  const mode = (opts && opts.mode) || "expression";
  const s = String(text).slice(0, cursor);
  const open = s.lastIndexOf("[");
  if (open >= 0 && s.indexOf("]", open) < 0) {
    const partial = s.slice(open + 1).toLowerCase();
    let end = cursor;
    const close = String(text).indexOf("]", cursor);
    const nextOpen = String(text).indexOf("[", cursor);
    if (close >= 0 && (nextOpen < 0 || close < nextOpen)) end = close + 1;
    const items = (columns || []).filter((c) => c.label.toLowerCase().includes(partial))
      .map((c) => ({ kind: "column", label: c.label, insert: "[" + c.label + "]" }));
    return { start: open, end, items: items.slice(0, 50) };
  }
  const m = /[A-Za-z_][A-Za-z0-9_]*$/.exec(s);
  if (!m) return { start: cursor, end: cursor, items: [] };
  const partial = m[0].toLowerCase();
  const items = [];
  for (const f of Object.values(FUNCTIONS)) {
    if (f.returns === "aggregation" && mode !== "aggregation") continue;
    if (f.name.toLowerCase().startsWith(partial)) items.push({ kind: "function", label: f.name, insert: f.name + "(", help: f.help });
  }
  for (const c of columns || []) {
    if (c.label.toLowerCase().startsWith(partial)) items.push({ kind: "column", label: c.label, insert: "[" + c.label + "]" });
  }
  // A filter (or a condition anywhere) may be the constant True or False.
  for (const w of ["True", "False"]) {
    if (w.toLowerCase().startsWith(partial) && partial.length > 1) items.push({ kind: "literal", label: w, insert: w, help: "always " + w.toLowerCase() });
  }
  // True/false columns come first where a filter is being written.
  if (mode === "filter") {
    const rank = (it) => (it.kind === "column" && (columns || []).some((c) => c.label === it.label && c.base === BOOLEAN) ? 0 : 1);
    items.sort((a, b) => rank(a) - rank(b));
  }
  return { start: m.index, end: cursor, items: items.slice(0, 50) };
}
