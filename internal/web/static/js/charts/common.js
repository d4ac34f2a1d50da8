// Helpers every renderer shares: value keys, column lookup and ordering,
// the palette and the "sightline:drill" event.

import * as L from "./logic.js";
import { isExtraction, isNumeric, isTemporal, toNumber } from "./format.js";
import { el } from "../shared/dom.js";

// PALETTE is the default series palette; the first colour is replaced by
// the page's --brand CSS variable when it is set.
const PALETTE = ["#2f6fde", "#88bf4d", "#a989c5", "#ef8c8c", "#f9d45c", "#f2a86f", "#5cb8b2",
  "#7172ad", "#e27fbf", "#6c8e9e", "#c9a25d", "#9bc4f0"];

// ---- shared helpers ----

export function keyOf(v) { return v === null || v === undefined ? "\u0000null" : typeof v + ":" + String(v); }

export function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

export function findCol(cols, name) {
  return cols.find((c) => c.name === name) || cols.find((c) => c.display_name === name) || null;
}

// pickColumns resolves graph.dimensions and graph.metrics to columns.
// Without them, breakouts are the dimensions and aggregations the
// metrics; for raw rows, the first date or text column is the dimension
// and the remaining amounts are the metrics.
export function pickColumns(cols, settings) {
  const named = (key) => (Array.isArray(settings[key]) ? settings[key].map((n) => findCol(cols, n)).filter(Boolean) : []);
  let dims = named("graph.dimensions");
  let metrics = named("graph.metrics");
  if (!dims.length) dims = L.defaultAxes(cols).dimensions.map((n) => findCol(cols, n)).filter(Boolean);
  if (!metrics.length) {
    metrics = L.defaultAxes(cols).metrics.map((n) => findCol(cols, n)).filter((c) => c && dims.indexOf(c) < 0);
  }
  return { dims, metrics };
}

// sortValues orders dimension values: dates and numbers ascending (ISO
// strings sort as text), others keep their order of appearance.
export function sortValues(values, col) {
  if (isTemporal(col) || isNumeric(col) || isExtraction(col)) {
    values.sort((a, b) => compare(a, b, col));
  }
  return values;
}

// compare orders two cell values; nulls go last.
export function compare(a, b, col) {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an && bn ? 0 : an ? 1 : -1;
  if (isNumeric(col) || isExtraction(col) || (typeof a === "number" && typeof b === "number")) {
    const x = toNumber(a);
    const y = toNumber(b);
    if (x !== null && y !== null) return x - y;
  }
  if (typeof a === "boolean" && typeof b === "boolean") return (a ? 1 : 0) - (b ? 1 : 0);
  if (isTemporal(col)) return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: "base" });
}

export function cssVar(node, name, fallback) {
  const v = window.getComputedStyle(node).getPropertyValue(name).trim();
  return v || fallback;
}

// palette is the chart palette set in Appearance (--chart-1..N), or else
// the default palette led by the page's --brand colour.
export function palette(node) {
  const count = parseInt(cssVar(node, "--chart-count", ""), 10);
  if (count > 0) {
    const set = [];
    for (let i = 1; i <= count; i++) {
      const c = cssVar(node, "--chart-" + i, "");
      if (c) set.push(c);
    }
    if (set.length) return set.concat(PALETTE.filter((c) => set.indexOf(c) < 0));
  }
  const brand = cssVar(node, "--brand", "");
  if (!brand) return PALETTE.slice();
  return [brand].concat(PALETTE.slice(1).filter((c) => c.toLowerCase() !== brand.toLowerCase()));
}

// colorFor is graph.colors[key] or the palette's i-th colour.
export function colorFor(settings, key, i, pal) {
  const custom = settings["graph.colors"];
  if (custom && typeof custom === "object" && custom[key]) return custom[key];
  return pal[i % pal.length];
}

export function dispatchDrill(node, detail, ev) {
  if (ev && typeof ev.clientX === "number") {
    detail.clientX = ev.clientX;
    detail.clientY = ev.clientY;
  }
  node.dispatchEvent(new CustomEvent("sightline:drill", { bubbles: true, detail: detail }));
}

// dimensionsOf lists a row's breakout values, for drill-through.
export function dimensionsOf(cols, row) {
  return cols.filter((c) => c.source === "breakout").map((c) => ({ column: c, value: row[cols.indexOf(c)] }));
}

// metricOpts are the format options for metric values (the number.*
// settings apply); dimOpts those for dimension values (unit applies).
export function metricOpts(settings) {
  const o = Object.assign({}, settings);
  delete o.unit;
  return o;
}

export function dimOpts(settings) {
  return { unit: settings.unit, column_settings: settings.column_settings, locale: settings.locale };
}

export function empty(node, message) {
  node.appendChild(el("div", "viz-empty", message || "No results"));
}
