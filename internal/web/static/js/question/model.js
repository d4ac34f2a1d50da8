// The question's vocabulary: units and aggregations and their labels,
// ad-hoc question links, database metadata, field references, filters and
// custom column formulas.

import * as X from "../expr/parser.js";
import * as D from "../charts/drill.js";
import { isRef, kindOf, refOpts, sameRef } from "../charts/drill.js";
import { S, sq } from "./state.js";
import { api } from "../shared/api.js";

export const UNITS = ["minute", "hour", "day", "week", "month", "quarter", "year", "day-of-week", "month-of-year"];
export const AGGS = [
  ["count", "Count of rows", false], ["distinct", "Number of distinct values of", true], ["sum", "Sum of", true],
  ["avg", "Average of", true], ["min", "Minimum of", true], ["max", "Maximum of", true],
  ["cum-count", "Cumulative count of rows", false], ["cum-sum", "Cumulative sum of", true],
];
const AGG_NAMES = { count: "Count", distinct: "Distinct values of", sum: "Sum of", avg: "Average of", min: "Min of",
  max: "Max of", "cum-count": "Cumulative count", "cum-sum": "Cumulative sum of", median: "Median of", percentile: "Percentile of" };

export function humanize(s) {
  return String(s).replace(/[_\-.]+/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").trim().toLowerCase()
    .replace(/\b\w/g, (c) => c.toUpperCase()).replace(/\bId\b/g, "ID");
}

export function unitLabel(u) { return humanize(u).replace("Of", "of"); }
// ---- encoding of ad-hoc questions ----

export function b64urlDecode(s) {
  s = s.replace(/-/g, "+").replace(/_/g, "/");
  while (s.length % 4) s += "=";
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}

// ---- metadata ----

export async function loadDatabases() {
  const res = await api("GET", "/api/database");
  S.databases = (res && res.data) || [];
}

export async function meta(dbID) {
  if (!dbID) return null;
  if (S.meta.has(dbID)) return S.meta.get(dbID);
  const m = D.metadata(await api("GET", "/api/database/" + dbID + "/metadata"));
  S.meta.set(dbID, m);
  return m;
}

export async function cardColumns(cardID) {
  if (S.cardCols.has(cardID)) return S.cardCols.get(cardID);
  const res = await api("POST", "/api/dataset", { database: S.query.database, type: "query", query: { "source-table": "card__" + cardID, limit: 1 } });
  const cols = (res && res.data && res.data.cols) || [];
  S.cardCols.set(cardID, cols);
  return cols;
}

// ---- field references ----

// columns lists what a step can pick (see SightlineDrill.columns), with
// the columns of saved questions used as a source.
export function columns(m, q, opts) {
  return D.columns(m, q, Object.assign({ cardCols: S.cardCols }, opts));
}

function findCol(cols, r) {
  if (isRef(r, "expression")) return cols.find((c) => isRef(c.ref, "expression") && c.ref[1] === r[1]);
  return cols.find((c) => isRef(c.ref) && sameRef(c.ref, r));
}

export function refLabel(cols, r) {
  if (isRef(r, "aggregation")) return aggLabel(cols, (sq().aggregation || [])[r[1]]);
  const c = findCol(cols, r);
  let s = c ? c.label : isRef(r) ? String(r[1]) : "?";
  const o = refOpts(r);
  if (o["temporal-unit"]) s += ": " + unitLabel(o["temporal-unit"]);
  if (o.binning) s += ": " + (o.binning.strategy === "bin-width" ? "bins of " + o.binning["bin-width"] : (o.binning["num-bins"] || "auto") + " bins");
  return s;
}

export function aggLabel(cols, a) {
  if (!a) return "?";
  if (a[0] === "aggregation-options") return (a[2] && a[2]["display-name"]) || aggLabel(cols, a[1]);
  if (!AGG_NAMES[a[0]]) return formatExpression(a, cols);
  const name = AGG_NAMES[a[0]];
  if (a[0] === "count" || (a[0] === "cum-count" && a.length < 2)) return name;
  return name + " " + refLabel(cols, a[1]);
}

// ---- filters ----

export const OPS = {
  text: [["=", "Is"], ["!=", "Is not"], ["contains", "Contains"], ["does-not-contain", "Does not contain"],
    ["starts-with", "Starts with"], ["ends-with", "Ends with"], ["is-empty", "Is empty"], ["not-empty", "Not empty"]],
  number: [["=", "Equal to"], ["!=", "Not equal to"], [">", "Greater than"], ["<", "Less than"],
    ["between", "Between"], ["is-null", "Is empty"], ["not-null", "Not empty"]],
  date: [["previous", "Previous"], ["next", "Next"], ["current", "Current"], ["between", "Between"],
    ["=", "On"], ["<", "Before"], [">", "After"], ["is-null", "Is empty"], ["not-null", "Not empty"]],
  bool: [["=", "Is"], ["is-null", "Is empty"], ["not-null", "Not empty"]],
  other: [["=", "Is"], ["!=", "Is not"], ["is-null", "Is empty"], ["not-null", "Not empty"]],
};

// filterParts reads a filter clause into {op, ref, values} for the editor.
export function filterParts(f) {
  if (f[0] === "time-interval") {
    const n = f[2];
    if (n === "current") return { op: "current", ref: f[1], values: [], unit: f[3] };
    const num = n === "last" ? -1 : n === "next" ? 1 : +n;
    return { op: num < 0 ? "previous" : "next", ref: f[1], values: [Math.abs(num)], unit: f[3] };
  }
  return { op: f[0], ref: f[1], values: f.slice(2).filter((v) => !(v && typeof v === "object" && !Array.isArray(v))) };
}

export function buildFilter(op, ref, values, unit) {
  switch (op) {
    case "previous": return ["time-interval", ref, -Math.max(1, parseInt(values[0], 10) || 1), unit || "day"];
    case "next": return ["time-interval", ref, Math.max(1, parseInt(values[0], 10) || 1), unit || "day"];
    case "current": return ["time-interval", ref, "current", unit || "day"];
    case "is-empty": case "not-empty": case "is-null": case "not-null": return [op, ref];
    case "contains": case "does-not-contain": case "starts-with": case "ends-with":
      return [op, ref, values[0], { "case-sensitive": false }];
    case "between": return ["between", ref, values[0], values[1]];
    default: return [op, ref].concat(values);
  }
}

// simpleFilter reports whether the column, operator and value editor
// can show f; any other filter (and/or/not, a boolean column by itself,
// a function or another column as an operand) is a formula.
export function simpleFilter(cols, f) {
  if (!Array.isArray(f) || ["and", "or", "not"].includes(f[0]) || isRef(f)) return false;
  const p = filterParts(f);
  const c = isRef(p.ref) && !isRef(p.ref, "aggregation") ? findCol(cols, p.ref) : null;
  if (!c) return false;
  const ops = OPS[kindOf(c.base)] || OPS.other;
  return ops.some((o) => o[0] === p.op) && p.values.every((v) => !Array.isArray(v));
}

export function describeFilter(cols, f) {
  if (!simpleFilter(cols, f)) return formatExpression(f, cols);
  const p = filterParts(f);
  const c = findCol(cols, p.ref);
  const kind = c ? kindOf(c.base) : "other";
  const ops = OPS[kind] || OPS.other;
  const opLabel = (ops.find((o) => o[0] === p.op) || [p.op, p.op])[1];
  const label = refLabel(cols, p.ref);
  if (p.op === "previous" || p.op === "next") return label + " " + opLabel.toLowerCase() + " " + p.values[0] + " " + unitLabel(p.unit).toLowerCase() + (p.values[0] === 1 ? "" : "s");
  if (p.op === "current") return label + " is this " + unitLabel(p.unit).toLowerCase();
  if (p.op === "between") return label + " between " + p.values[0] + " and " + p.values[1];
  if (!p.values.length) return label + " " + opLabel.toLowerCase();
  return label + " " + opLabel.toLowerCase() + " " + p.values.join(", ");
}

// ---- custom column expressions ----

// Formulas of custom columns and metrics are read and written by
// the expression language (expr/parser.js), typed into its editor (expr/editor.js).
export function formatExpression(e, cols) {
  return X.format(e, cols);
}
