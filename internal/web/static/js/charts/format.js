// Column types and value formatting of the visualizations: which columns
// are temporal, numeric or identifiers, and how a value reads in a table,
// a tooltip or an axis label, by its column and the card's settings.

import * as L from "./logic.js";
import { NUMERIC, TEMPORAL } from "../shared/types.js";
import { MONTHS, DAYS } from "../shared/calendar.js";

const TRUNCATING = ["minute", "hour", "day", "week", "month", "quarter", "year"];
const EXTRACTING = ["minute-of-hour", "hour-of-day", "day-of-week", "day-of-month", "day-of-year",
  "week-of-year", "month-of-year", "quarter-of-year"];
export const EMPTY = "\u2014";

// ---- column types ----

export function has(list, v) { return list.indexOf(v) >= 0; }

function normUnit(s) { return String(s).trim().toLowerCase().replace(/[\s_]+/g, "-"); }

// unitOf finds a column's temporal unit: the format options' "unit", the
// column's own unit, or a ":Month"-style suffix of its name or display name.
function unitOf(col, opts) {
  if (opts && opts.unit) return normUnit(opts.unit);
  if (!col) return "";
  if (col.unit) return normUnit(col.unit);
  for (const s of [col.name, col.display_name]) {
    if (typeof s !== "string") continue;
    const i = s.lastIndexOf(":");
    if (i < 0) continue;
    const u = normUnit(s.slice(i + 1));
    if (has(TRUNCATING, u) || has(EXTRACTING, u)) return u;
  }
  return "";
}

export function isExtraction(col) { return has(EXTRACTING, unitOf(col)); }

export function isTemporal(col) {
  if (!col) return false;
  const u = unitOf(col);
  if (has(EXTRACTING, u)) return false;
  return has(TEMPORAL, col.base_type) || has(TRUNCATING, u);
}

export function isNumeric(col) { return !!col && has(NUMERIC, col.base_type) && !isExtraction(col); }

function isID(col) { return !!col && (col.semantic_type === "type/PK" || col.semantic_type === "type/FK"); }

// isMeasure reports whether a column holds amounts worth charting (not ids).
export function isMeasure(col) { return isNumeric(col) && !isID(col); }

function isCoordinate(col) {
  return !!col && (col.semantic_type === "type/Latitude" || col.semantic_type === "type/Longitude");
}

export function title(col) { return col ? (col.display_name || col.name || "") : ""; }

// ---- values ----

// toNumber reads a number that may arrive as a JSON string (decimals and
// big integers from some drivers); anything else is null.
export function toNumber(v) {
  if (typeof v === "number") return isFinite(v) ? v : null;
  if (typeof v === "string" && /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
  return null;
}

// numberOr is v as a number, or fallback when v is not one.
export function numberOr(v, fallback) {
  const n = toNumber(v);
  return n === null ? fallback : n;
}

// parseDate reads the wall-clock parts of an ISO date or timestamp as
// written, ignoring its offset: the server already converted values to
// the report time zone, so the browser's own zone must not shift them.
function parseDate(v) {
  if (v instanceof Date) v = v.toISOString();
  if (typeof v !== "string") return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(v);
  if (!m) return null;
  return { y: +m[1], mo: +m[2], d: +m[3], h: +(m[4] || 0), mi: +(m[5] || 0), s: +(m[6] || 0), time: m[4] !== undefined };
}

function clock(h, mi, withMinutes) {
  const ampm = h < 12 ? "AM" : "PM";
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return withMinutes ? h12 + ":" + String(mi).padStart(2, "0") + " " + ampm : h12 + " " + ampm;
}

function dayText(p) { return MONTHS[p.mo - 1] + " " + p.d + ", " + p.y; }

function formatDate(p, unit, col, opts) {
  const style = opts && opts.date_style;
  const styled = style ? L.formatDay(p, style, opts.date_separator) : null;
  switch (unit) {
    case "year": return String(p.y);
    case "quarter": return "Q" + (Math.floor((p.mo - 1) / 3) + 1) + " " + p.y;
    case "month": return MONTHS[p.mo - 1] + " " + p.y;
    case "week": return "Week of " + dayText(p);
    case "day": return styled || dayText(p);
    case "hour": return dayText(p) + ", " + clock(p.h, 0, false);
    case "minute": return dayText(p) + ", " + clock(p.h, p.mi, true);
  }
  const dateOnly = (col && col.base_type === "type/Date") || !p.time || (p.h === 0 && p.mi === 0 && p.s === 0);
  const day = styled || dayText(p);
  return dateOnly || (opts && opts.time_enabled === null) ? day : day + ", " + clock(p.h, p.mi, true);
}

// formatExtracted names the number a date extraction produced.
function formatExtracted(n, unit) {
  switch (unit) {
    case "day-of-week": return DAYS[n - 1] || String(n);
    case "month-of-year": return MONTHS[n - 1] || String(n);
    case "quarter-of-year": return "Q" + n;
    case "hour-of-day": return n >= 0 && n < 24 ? clock(n, 0, false) : String(n);
  }
  return String(n);
}

// groupDigits puts commas into an integer written as a string, for
// integers too big for a double.
function groupDigits(s) {
  const neg = s.charAt(0) === "-";
  const digits = neg ? s.slice(1) : s;
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits.charAt(i);
  }
  return (neg ? "-" : "") + out;
}

// formatNumber writes a number by the vendor's formatting keys (see
// chartlogic.js numberFormat); ids are written as they are, and integers
// too big for a double keep their digits.
function formatNumber(raw, n, col, opts) {
  const sem = col ? col.semantic_type : "";
  if (sem === "type/PK" || sem === "type/FK") return typeof raw === "string" ? raw : String(n);
  const fmt = L.numberFormat(opts);
  if (typeof raw === "string" && /^-?\d{16,}$/.test(raw) && !opts.compact && fmt.scale === undefined && !fmt.style) {
    return (fmt.prefix || "") + groupDigits(raw) + (fmt.suffix || "");
  }
  if (fmt.decimals === undefined && isCoordinate(col) && !opts.compact) fmt.decimals = 5;
  const currencyColumn = sem === "type/Currency";
  if (currencyColumn && fmt.currency && !fmt.style) fmt.style = "currency";
  return L.formatNumber(n, col, fmt, { compact: !!opts.compact, locale: opts.locale, currencyColumn: currencyColumn });
}

// format renders one value for people, by its column's types: money with
// two decimals, numbers with thousands separators (ids without), dates by
// their temporal unit, extracted date parts by name, null as an em dash.
// opts may set unit, the vendor's number keys (number_style, decimals,
// prefix, suffix, scale, currency, currency_style, number_separators, and
// "number.*" versions), date_style, compact and locale;

// opts.column_settings overrides them for one column, keyed the vendor's
// way ('["name","COL"]') or by the column's name.
export function format(value, col, opts) {
  opts = opts || {};
  const own = col && L.columnSettings(opts.column_settings, col);
  if (own) opts = Object.assign({}, opts, own);
  if (value === null || value === undefined) return EMPTY;
  if (typeof value === "boolean") return value ? "true" : "false";
  const unit = unitOf(col, opts);
  if (has(EXTRACTING, unit)) {
    const n = toNumber(value);
    return n === null ? String(value) : formatExtracted(n, unit);
  }
  if (unit === "year" && typeof value === "number") return String(value);
  if (has(TRUNCATING, unit) || (col && has(TEMPORAL, col.base_type)) || value instanceof Date) {
    const p = parseDate(value);
    if (p) return formatDate(p, unit, col, opts);
  }
  if (col && col.base_type === "type/Time" && typeof value === "string") {
    const m = /^(\d{2}):(\d{2})/.exec(value);
    if (m) return clock(+m[1], +m[2], true);
  }
  if (typeof value === "number" || (col && has(NUMERIC, col.base_type))) {
    const n = toNumber(value);
    if (n !== null) return formatNumber(value, n, col, opts);
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
