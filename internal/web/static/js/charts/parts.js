// The charts of parts and targets: pie, donut, funnel and gauge.

import { colorFor, dimOpts, dispatchDrill, empty, keyOf, metricOpts, pickColumns } from "./common.js";
import { chartBase, tooltipLine } from "./echarts.js";
import { EMPTY, format, numberOr, title, toNumber } from "./format.js";
import { scalarColumn } from "./scalars.js";

// renderPie draws pie and donut charts of the first metric by the first
// dimension. Slices under pie.slice_threshold percent (default 2.5) are
// gathered into "Other"; pie.show_legend: false hides the legend. A
// donut shows the total in its hole.
export function renderPie(ctx) {
  const { node, cols, rows, settings, display } = ctx;
  const { dims, metrics } = pickColumns(cols, settings);
  if (!dims.length || !metrics.length) {
    empty(node, "Choose a dimension and a metric to draw this chart.");
    return {};
  }
  const dim = dims[0];
  const metric = metrics[0];
  const di = cols.indexOf(dim);
  const mi = cols.indexOf(metric);
  const dopts = dimOpts(settings);
  const mopts = metricOpts(settings);
  const slices = [];
  const pos = new Map();
  for (const r of rows) {
    const n = toNumber(r[mi]);
    if (n === null || n < 0) continue;
    const k = keyOf(r[di]);
    if (!pos.has(k)) { pos.set(k, slices.length); slices.push({ value: r[di], n: 0, row: r }); }
    slices[pos.get(k)].n += n;
  }
  const total = slices.reduce((a, s) => a + s.n, 0);
  const threshold = numberOr(settings["pie.slice_threshold"], 2.5) / 100;
  const small = slices.filter((s) => total > 0 && s.n / total < threshold);
  let shown = slices;
  if (small.length > 1) {
    shown = slices.filter((s) => small.indexOf(s) < 0);
    shown.push({ other: true, value: null, n: small.reduce((a, s) => a + s.n, 0), row: null });
  }
  const { chart, muted, base } = chartBase(ctx);
  const legend = settings["pie.show_legend"] !== false;
  const wide = node.clientWidth >= 480;
  const center = legend && wide ? ["38%", "50%"] : ["50%", legend ? "45%" : "50%"];
  const data = shown.map((s, i) => ({
    name: s.other ? "Other" : format(s.value, dim, dopts),
    value: s.n,
    itemStyle: { color: s.other ? "#b8c0c8" : colorFor(settings, String(s.value), i, ctx.pal) },
  }));
  const option = Object.assign(base, {
    legend: legend
      ? (wide ? { type: "scroll", orient: "vertical", right: 8, top: "middle", icon: "circle", textStyle: { color: muted } }
        : { type: "scroll", bottom: 0, icon: "circle", textStyle: { color: muted } })
      : { show: false },
    series: [{
      type: "pie",
      name: title(metric),
      radius: display === "donut" ? ["48%", "72%"] : [0, "72%"],
      center: center,
      data: data,
      label: { formatter: (p) => format(p.percent / 100, null, { style: "percent", decimals: 1 }), color: muted },
      emphasis: { scaleSize: 6 },
      itemStyle: { borderColor: "#fff", borderWidth: 1 },
    }],
  });
  if (display === "donut") {
    option.title = {
      text: format(total, metric, Object.assign({}, mopts, { compact: true })),
      subtext: "Total",
      left: center[0],
      top: "middle",
      textAlign: "center",
      itemGap: 4,
      textStyle: { fontSize: 22, fontWeight: "bold" },
      subtextStyle: { color: muted, fontSize: 11 },
    };
    option.title.top = center[1] === "50%" ? "middle" : "40%";
  }
  option.tooltip.trigger = "item";
  option.tooltip.formatter = (p) => tooltipLine(p.marker, p.name, format(p.value, metric, mopts) + " (" + format(p.percent / 100, null, { style: "percent", decimals: 1 }) + ")");
  chart.setOption(option);
  chart.on("click", (p) => {
    const s = shown[p.dataIndex];
    if (!s || s.other) return;
    dispatchDrill(node, { column: metric, value: s.n, row: s.row, dimensions: [{ column: dim, value: s.value }] }, p.event && p.event.event);
  });
  return { chart };
}

// renderFunnel draws the first metric by the first dimension's steps in
// row order, labelled with each step's share of the first.
export function renderFunnel(ctx) {
  const { node, cols, rows, settings } = ctx;
  const { dims, metrics } = pickColumns(cols, settings);
  if (!dims.length || !metrics.length) {
    empty(node, "Choose a dimension and a metric to draw this chart.");
    return {};
  }
  const dim = dims[0];
  const metric = metrics[0];
  const di = cols.indexOf(dim);
  const mi = cols.indexOf(metric);
  const dopts = dimOpts(settings);
  const mopts = metricOpts(settings);
  const kept = rows.filter((r) => toNumber(r[mi]) !== null);
  const first = kept.length ? toNumber(kept[0][mi]) : 0;
  const share = (n) => (first ? format(n / first, null, { style: "percent", decimals: 1 }) : EMPTY);
  const { chart, text, base } = chartBase(ctx);
  const option = Object.assign(base, {
    series: [{
      type: "funnel",
      name: title(metric),
      sort: "none",
      left: 8,
      width: "58%",
      top: 12,
      bottom: 12,
      minSize: "8%",
      gap: 2,
      data: kept.map((r, i) => ({ name: format(r[di], dim, dopts), value: toNumber(r[mi]), itemStyle: { color: colorFor(settings, String(r[di]), i, ctx.pal) } })),
      label: { position: "right", color: text, lineHeight: 16, formatter: (p) => p.name + "\n" + format(p.value, metric, mopts) + " (" + share(p.value) + ")" },
      labelLine: { show: true },
    }],
  });
  option.tooltip.trigger = "item";
  option.tooltip.formatter = (p) => tooltipLine(p.marker, p.name, format(p.value, metric, mopts) + " (" + share(p.value) + ")");
  chart.setOption(option);
  chart.on("click", (p) => {
    const r = kept[p.dataIndex];
    if (!r) return;
    dispatchDrill(node, { column: metric, value: r[mi], row: r, dimensions: [{ column: dim, value: r[di] }] }, p.event && p.event.event);
  });
  return { chart };
}

// niceCeiling rounds up to 1, 2 or 5 times a power of ten.
function niceCeiling(n) {
  if (n <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(n)));
  for (const m of [1, 2, 5, 10]) if (n <= m * p) return m * p;
  return 10 * p;
}

// renderGauge draws the value on a dial from gauge.min (default 0) to
// gauge.max (default a round number above the value and progress.goal);

// gauge.segments [{min, max, color}] colour the dial's bands.
export function renderGauge(ctx) {
  const { node, cols, rows, settings } = ctx;
  const col = scalarColumn(cols, settings);
  const v = rows[0][cols.indexOf(col)];
  const n = toNumber(v) || 0;
  const min = numberOr(settings["gauge.min"], 0);
  const max = numberOr(settings["gauge.max"], niceCeiling(Math.max(n, toNumber(settings["progress.goal"]) || 0) * 1.1));
  const mopts = metricOpts(settings);
  const { chart, muted, border, base } = chartBase(ctx);
  let bands = [[1, border]];
  const segs = Array.isArray(settings["gauge.segments"]) ? settings["gauge.segments"] : [];
  if (segs.length && max > min) {
    bands = segs.slice().sort((a, b) => a.max - b.max).map((s) => [Math.max(0, Math.min(1, (s.max - min) / (max - min))), s.color]);
    if (bands[bands.length - 1][0] < 1) bands.push([1, border]);
  }
  const option = Object.assign(base, {
    series: [{
      type: "gauge",
      name: title(col),
      min: min,
      max: max,
      radius: "90%",
      center: ["50%", "58%"],
      startAngle: 200,
      endAngle: -20,
      progress: { show: !segs.length, width: 16, itemStyle: { color: ctx.pal[0] } },
      axisLine: { lineStyle: { width: 16, color: bands } },
      pointer: { show: segs.length > 0, width: 5, itemStyle: { color: muted } },
      axisTick: { show: false },
      splitLine: { length: 6, distance: 4, lineStyle: { color: muted, width: 1 } },
      axisLabel: { distance: 22, color: muted, formatter: (x) => format(x, col, Object.assign({}, mopts, { compact: true })) },
      splitNumber: 4,
      title: { offsetCenter: [0, "38%"], color: muted, fontSize: 12 },
      detail: { valueAnimation: false, offsetCenter: [0, "12%"], fontSize: 26, fontWeight: "bold", formatter: () => format(v, col, mopts) },
      data: [{ value: n, name: title(col) }],
    }],
  });
  option.tooltip.show = false;
  chart.setOption(option);
  chart.on("click", (p) => dispatchDrill(node, { column: col, value: v, row: rows[0], dimensions: [] }, p.event && p.event.event));
  return { chart };
}
