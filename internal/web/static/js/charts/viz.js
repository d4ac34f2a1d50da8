// Sightline's visualizations: render draws a query result as a table, a
// number, a pivot table or an ECharts chart, formats values by their
// column's types, and reports clicks on data as "sightline:drill" events.
//
// No build step and no eval, so it runs under the strict
// Content-Security-Policy. Charts need the global `echarts` (6.x); tables,
// numbers and pivots do not.
//
//   const handle = render(el, result, settings);

//   handle.resize(); handle.dispose();
//
// result is {cols: [{name, display_name, base_type, semantic_type, source,
// unit?}], rows: [[...]]} (or the API's {data: {cols, rows}}); settings are
// the card's visualization settings, described at each renderer.

import { DISPLAYS, autoDisplay, canonicalDisplay, unwrap } from "./display.js";
import { renderCartesian, renderScatter, renderWaterfall } from "./cartesian.js";
import { empty, palette } from "./common.js";
import { el } from "../shared/dom.js";
import { renderFunnel, renderGauge, renderPie } from "./parts.js";
import { renderRegionMap } from "./regionmap.js";
import { renderNumber, renderProgress, renderTrend } from "./scalars.js";
import { renderPinMap } from "./pinmap.js";
import { renderSankey } from "./sankey.js";
import { renderObject, renderPivot, renderTable } from "./table.js";

// handles remembers the visualization drawn in each element, so drawing
// again into the same element first disposes of the old one.
const handles = new WeakMap();
const RENDERERS = {
  table: renderTable,
  pivot: renderPivot,
  number: renderNumber,
  trend: renderTrend,
  progress: renderProgress,
  gauge: renderGauge,
  line: renderCartesian,
  area: renderCartesian,
  bar: renderCartesian,
  "stacked-bar": renderCartesian,
  row: renderCartesian,
  combo: renderCartesian,
  pie: renderPie,
  donut: renderPie,
  scatter: renderScatter,
  "map-pin": renderPinMap,
  sankey: renderSankey,
  map: renderRegionMap,
  funnel: renderFunnel,
  waterfall: renderWaterfall,
  object: renderObject,
};

// a broken chart.
export function render(node, result, settings) {
  const old = handles.get(node);
  if (old) old.dispose();
  settings = settings || {};
  const { cols, rows } = unwrap(result);
  let display = canonicalDisplay(settings.display, settings) || autoDisplay({ cols, rows });
  if (!RENDERERS[display]) display = "table";
  node.replaceChildren();
  node.classList.add("viz");
  node.dataset.display = display;
  const ctx = { node, cols, rows, settings, display, pal: palette(node) };
  let inner = {};
  if (!rows.length || !cols.length) {
    empty(node);
  } else {
    try {
      inner = RENDERERS[display](ctx) || {};
    } catch (err) {
      const box = node.querySelector(".viz-chart");
      const stray = box && window.echarts && window.echarts.getInstanceByDom(box);
      if (stray) stray.dispose();
      node.replaceChildren(el("div", "viz-error", "This visualization could not be drawn: " + (err && err.message ? err.message : String(err))));
      if (window.console) window.console.error(err);
      inner = {};
    }
  }
  const chart = inner.chart || null;
  const ready = inner.ready || Promise.resolve();
  let frame = 0;
  let disposed = false;
  const resize = () => {
    if (disposed) return;
    if (chart && !chart.isDisposed()) chart.resize();
    if (inner.resize) inner.resize();
  };
  const observer = typeof ResizeObserver === "function"
    ? new ResizeObserver(() => {
      if (frame) return;
      frame = window.requestAnimationFrame(() => { frame = 0; resize(); });
    })
    : null;
  if (observer) observer.observe(node);
  const handle = {
    display: display,
    chart: chart,
    ready: ready,
    resize: resize,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      if (observer) observer.disconnect();
      if (frame) window.cancelAnimationFrame(frame);
      if (chart && !chart.isDisposed()) chart.dispose();
      handles.delete(node);
      node.replaceChildren();
      node.classList.remove("viz");
      delete node.dataset.display;
    },
  };
  handles.set(node, handle);
  return handle;
}

export { autoDisplay, canonicalDisplay } from "./display.js";
export { fitsRegionMap } from "./regionmap.js";
export { format } from "./format.js";

// displays lists every display render understands.
export const displays = Object.freeze(DISPLAYS.slice());
