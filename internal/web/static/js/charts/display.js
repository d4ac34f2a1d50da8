// Which visualization a result gets: the displays render understands, the
// automatic choice for a result, and the canonical name of a display.

import { keyOf } from "./common.js";
import { isNumeric, isTemporal } from "./format.js";

// ROW_CHART_MIN_CATEGORIES is how many categories make autoDisplay choose
// a horizontal "row" chart instead of columns: long lists read better
// top to bottom.
const ROW_CHART_MIN_CATEGORIES = 21;

// DISPLAYS lists every display render understands.
export const DISPLAYS = ["table", "number", "trend", "progress", "gauge", "line", "area", "bar", "stacked-bar",
  "row", "combo", "pie", "donut", "scatter", "funnel", "waterfall", "pivot", "map", "map-pin", "sankey", "object"];

// ---- choosing a display ----

export function unwrap(result) {
  if (result && result.data && Array.isArray(result.data.cols)) result = result.data;
  return { cols: (result && result.cols) || [], rows: (result && result.rows) || [] };
}

function distinctCount(rows, i) {
  const seen = new Set();
  for (const r of rows) seen.add(keyOf(r[i]));
  return seen.size;
}

// autoDisplay picks a display from the result's shape:
//   one row of one number                         -> number
//   a date breakout (truncated) and metrics        -> line
//   one other breakout and one metric              -> bar, or row past 20 categories
//   one other breakout and several metrics         -> bar (grouped)
//   two breakouts, one of them a date              -> stacked-bar over time
//   two breakouts, neither a date                  -> pivot
//   anything else (raw rows, 3+ breakouts)         -> table
// A date part (day of week, month of year) counts as a category.
export function autoDisplay(result) {
  const { cols, rows } = unwrap(result);
  if (cols.length === 1 && rows.length === 1 && isNumeric(cols[0])) return "number";
  const breakouts = cols.filter((c) => c.source === "breakout");
  const metrics = cols.filter((c) => c.source === "aggregation" || (c.source === "expression" && isNumeric(c)));
      if (metrics.length === 0 || breakouts.length === 0) return "table";
  if (breakouts.length === 1) {
    const b = breakouts[0];
    if (isTemporal(b)) return "line";
    if (metrics.length === 1 && distinctCount(rows, cols.indexOf(b)) >= ROW_CHART_MIN_CATEGORIES) return "row";
    return "bar";
  }
  if (breakouts.length === 2) return breakouts.some(isTemporal) ? "stacked-bar" : "pivot";
  return "table";
}

// canonicalDisplay is Sightline's name for a visualization named either
// way: the reference vendor's "scalar" and "smartscalar" are "number" and
// "trend", and its "map" with "map.type" "pin" is "map-pin".
export function canonicalDisplay(display, settings) {
  if (display === "scalar") return "number";
  if (display === "smartscalar") return "trend";
  if (display === "map" && settings && settings["map.type"] === "pin") return "map-pin";
  return display;
}

// render draws result into node as settings.display (or autoDisplay's
// choice) and follows node's size. It returns a handle with resize(),
// dispose(), display, chart (the ECharts instance, or null) and ready, a
// promise that settles once a chart drawn in the background (a region
// map, whose shapes load on first use) is on screen. Drawing
// again into the same element replaces the previous visualization. An
// empty result shows "No results"; a failure shows its message instead of
