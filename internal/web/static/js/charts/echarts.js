// What the ECharts renderers share: the chart instance with the page's
// fonts and motion preference, tooltips, and series data from result rows.
// Needs the global echarts (static/vendor/echarts.min.js).

import * as L from "./logic.js";
import { cssVar, esc, keyOf, metricOpts, sortValues } from "./common.js";
import { el } from "../shared/dom.js";
import { format, isTemporal, toNumber } from "./format.js";

// ---- ECharts ----

function reducedMotion() {
  return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
}

// chartBase makes the chart and the options every chart shares.
export function chartBase(ctx) {
  if (!window.echarts) throw new Error("ECharts is not loaded");
  const box = el("div", "viz-chart");
  ctx.node.appendChild(box);
  const renderer = ctx.settings.renderer === "svg" ? "svg" : "canvas";
  const chart = window.echarts.init(box, null, { renderer: renderer });
  const text = cssVar(ctx.node, "--text", "#2e353b");
  const muted = cssVar(ctx.node, "--muted", "#6b7780");
  const border = cssVar(ctx.node, "--border", "#e1e5ea");
  const base = {
    animation: ctx.settings.animation !== false && !reducedMotion(),
    color: ctx.pal,
    textStyle: { fontFamily: window.getComputedStyle(ctx.node).fontFamily, color: text },
    aria: { enabled: true },
    tooltip: { confine: true, backgroundColor: "#fff", borderColor: border, textStyle: { color: text } },
  };
  return { chart, text, muted, border, base };
}

export function tooltipLine(marker, name, value) {
  return '<div class="viz-tip-line">' + marker + '<span class="viz-tip-name">' + esc(name) + '</span> <b class="viz-tip-value">' + esc(value) + "</b></div>";
}

// cartesianData gathers categories (the x dimension's distinct values) and
// series (one per metric, or one per value of a second dimension), with
// the row behind each point for drill-through. Rows sharing an x (and
// series) value are summed.
export function cartesianData(cols, rows, dims, metrics) {
  let x = dims[0];
  let split = dims[1] || null;
  if (split && isTemporal(split) && !isTemporal(x)) [x, split] = [split, x];
  const xi = cols.indexOf(x);
  const si = split ? cols.indexOf(split) : -1;
  const xs = [];
  const xSeen = new Set();
  const ss = [];
  const sSeen = new Set();
  for (const r of rows) {
    const k = keyOf(r[xi]);
    if (!xSeen.has(k)) { xSeen.add(k); xs.push(r[xi]); }
    if (split) {
      const sk = keyOf(r[si]);
      if (!sSeen.has(sk)) { sSeen.add(sk); ss.push(r[si]); }
    }
  }
  sortValues(xs, x);
  if (split) sortValues(ss, split);
  const xPos = new Map(xs.map((v, i) => [keyOf(v), i]));
  const series = split
    ? ss.map((sv) => ({ key: String(sv), value: sv, metric: metrics[0], data: xs.map(() => null), rows: xs.map(() => null) }))
    : metrics.map((m) => ({ key: m.name, value: undefined, metric: m, data: xs.map(() => null), rows: xs.map(() => null) }));
  const sPos = new Map(ss.map((v, i) => [keyOf(v), i]));
  for (const r of rows) {
    const p = xPos.get(keyOf(r[xi]));
    const targets = split ? [series[sPos.get(keyOf(r[si]))]] : series;
    for (const s of targets) {
      const n = toNumber(r[cols.indexOf(s.metric)]);
      if (n !== null) s.data[p] = (s.data[p] || 0) + n;
      if (!s.rows[p]) s.rows[p] = r;
    }
  }
  return { x, split, xs, series };
}

// histogramData bins a numeric x column (chartlogic.js histogramBins,
// which keeps outliers in open-ended end bins) and sums each metric per
// bin; bins carry no single row to drill into.
export function histogramData(cols, rows, x, metrics, settings) {
  const xi = cols.indexOf(x);
  const bins = L.histogramBins(rows.map((r) => toNumber(r[xi])), 10);
  const opts = Object.assign({}, metricOpts(settings), { compact: true });
  const text = (v) => format(v, x, opts);
  const labels = bins.map((b) => (b.open === "below" ? "< " + text(b.to) : b.open === "above" ? "> " + text(b.from)
    : b.from === b.to ? text(b.from) : text(b.from) + " \u2013 " + text(b.to)));
  const last = bins.length - 1 - (bins.length && bins[bins.length - 1].open === "above" ? 1 : 0);
  const binOf = (v) => bins.findIndex((b, i) => (b.open === "below" ? v < b.to : b.open === "above" ? v > b.from
    : v >= b.from && (v < b.to || (i === last && v <= b.to))));
  const series = metrics.map((m) => ({ key: m.name, value: undefined, metric: m, data: bins.map(() => null), rows: bins.map(() => null) }));
  for (const r of rows) {
    const v = toNumber(r[xi]);
    const i = v === null ? -1 : binOf(v);
    if (i < 0) continue;
    for (const s of series) {
      const n = toNumber(r[cols.indexOf(s.metric)]);
      if (n !== null) s.data[i] = (s.data[i] || 0) + n;
    }
  }
  return { x, split: null, xs: bins, labels, series };
}

// splitAxes decides which series go on a second y axis: with several
// metrics (no series split, no stacking), one whose largest value is more
// than five times larger or smaller than the first metric's gets its own
// scale on the right, so a count does not lie flat beside a revenue.
// graph.y_axis.auto_split: false keeps one axis.
export function splitAxes(d, settings, never) {
  const none = d.series.map(() => false);
  if (never || d.split || d.series.length < 2 || settings["graph.y_axis.auto_split"] === false) return none;
  const largest = (s) => s.data.reduce((m, v) => (v === null ? m : Math.max(m, Math.abs(v))), 0);
  const lead = largest(d.series[0]);
  if (!lead) return none;
  return d.series.map((s, i) => {
    const r = largest(s) / lead;
    return i > 0 && r > 0 && (r > 5 || r < 0.2);
  });
}

// seriesType is how one series draws: combo draws the first metric as
// bars and the rest as lines unless graph.series_displays says otherwise.
export function seriesType(display, settings, s, i) {
  const chosen = settings["graph.series_displays"] && settings["graph.series_displays"][s.key];
  if (chosen) return chosen;
  if (display === "combo") return i === 0 ? "bar" : "line";
  if (display === "line" || display === "area") return display;
  return "bar";
}

// seriesSettings is the series_settings entry of a series (keyed by the
// metric's column name, or by the value of the splitting dimension).
export function seriesSettings(settings, key) {
  const all = settings.series_settings;
  const own = all && typeof all === "object" ? all[key] : null;
  return own && typeof own === "object" ? own : {};
}

// settingNumber reads a numeric setting, or null.
export function settingNumber(settings, key) {
  const v = settings[key];
  if (v === null || v === undefined || v === "") return null;
  return toNumber(v);
}

// stackExtent is every value an axis must show: each value, or for
// stacks the running positive and negative totals of each category.
export function stackExtent(datas, stacked) {
  if (!stacked) return [].concat.apply([], datas).filter((v) => v !== null);
  const out = [];
  const len = datas.length ? datas[0].length : 0;
  for (let i = 0; i < len; i++) {
    let pos = 0;
    let neg = 0;
    for (const data of datas) {
      const v = data[i];
      if (typeof v !== "number") continue;
      if (v >= 0) pos += v; else neg += v;
    }
    out.push(pos, neg);
  }
  return out;
}
