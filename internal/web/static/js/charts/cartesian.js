// The charts drawn on x and y axes: line, area, bar, row, combo,
// waterfall and scatter.

import * as L from "./logic.js";
import { colorFor, dimOpts, dispatchDrill, empty, esc, keyOf, metricOpts, pickColumns, sortValues } from "./common.js";
import { cartesianData, chartBase, histogramData, seriesSettings, seriesType, settingNumber, splitAxes, stackExtent, tooltipLine } from "./echarts.js";
import { format, has, isMeasure, isNumeric, title, toNumber } from "./format.js";
import { INTEGER } from "../shared/types.js";

// renderCartesian draws line, area, bar, stacked-bar, row and combo charts
// from graph.dimensions (x, then an optional series split) and
// graph.metrics (defaults: chartlogic.js defaultAxes). Settings, with the
// reference vendor's keys:
//   graph.x_axis.title_text, graph.y_axis.title_text  axis titles (default
//     the columns' display names); graph.x_axis.axis_enabled,
//     graph.y_axis.axis_enabled: false hide an axis
//   graph.x_axis.scale  "histogram" bins a numeric x (histogramData)
//   graph.y_axis.scale  "linear" (default), "log" or "pow" (square root)
//   graph.y_axis.auto_range: false with graph.y_axis.min / max  fixed ends
//   graph.show_values  labels on the points
//   stackable.stack_type  null, "stacked" or "normalized" (100%)
//   graph.show_goal, graph.goal_value, graph.goal_label  a goal line
//   graph.show_trendline  a dashed least-squares line per series
//   series_settings[key]  title, color, display (line/area/bar),
//     axis ("left"/"right"), line.style (solid/dashed/dotted),
//     line.marker_enabled, line.interpolate (linear/cardinal/step-after),
//     line.missing (interpolate/zero/none)
// Integer metrics get whole, distinct ticks (chartlogic.js valueAxis). A
// legend appears when there are several series. A click on a bar or a
// point drills into it; on a line or an area, whose dense series draw no
// points, it drills into the nearest category, and so does a click on a
// category label of the x axis.
export function renderCartesian(ctx) {
  const { node, cols, rows, settings, display } = ctx;
  const { dims, metrics } = pickColumns(cols, settings);
  if (!dims.length || !metrics.length) {
    empty(node, "Choose a dimension and a metric to draw this chart.");
    return {};
  }
  const histogram = settings["graph.x_axis.scale"] === "histogram" && isNumeric(dims[0]) && !dims[1];
  const d = histogram ? histogramData(cols, rows, dims[0], metrics, settings) : cartesianData(cols, rows, dims, metrics);
  const { chart, muted, border, base } = chartBase(ctx);
  const horizontal = display === "row";
  const dopts = dimOpts(settings);
  const mopts = metricOpts(settings);
  const labels = d.labels || d.xs.map((v) => format(v, d.x, dopts));
  let stackType = settings["stackable.stack_type"];
  if (display === "stacked-bar" && stackType !== "normalized") stackType = "stacked";
  const normalized = stackType === "normalized";
  const stacked = stackType === "stacked" || normalized;
  const showValues = settings["graph.show_values"] === true;
  const scale = settings["graph.y_axis.scale"];
  const metric = d.series[0].metric;
  const own = d.series.map((s) => seriesSettings(settings, s.key));
  const types = d.series.map((s, i) => own[i].display || seriesType(display, settings, s, i));
  const anyBar = types.indexOf("bar") >= 0;
  const names = d.series.map((s, i) => (own[i].title ? String(own[i].title)
    : d.split ? format(s.value, d.split, dopts) : title(s.metric)));
  const legend = d.series.length > 1;
  // shown are the values drawn: shares for 100% stacks, square roots on
  // a pow scale; s.data keeps the values for tooltips and drills.
  let shown = normalized ? L.normalizeStacks(d.series.map((s) => s.data)) : d.series.map((s) => s.data.slice());
  const root = (v) => (typeof v === "number" ? Math.sign(v) * Math.sqrt(Math.abs(v)) : v);
  if (scale === "pow" && !normalized) shown = shown.map((data) => data.map(root));
  const valueText = (v, col, compact) => {
    if (normalized) return format(v, null, { style: "percent", decimals: compact ? 0 : 1 });
    return format(v, col, Object.assign({}, mopts, compact ? { compact: true } : {}));
  };
  const axisValue = (v) => (scale === "pow" && !normalized ? Math.sign(v) * v * v : v);

  const series = d.series.map((s, i) => {
    const type = types[i] === "area" ? "line" : types[i];
    const o = {
      name: names[i],
      type: type,
      data: shown[i],
      itemStyle: { color: own[i].color || colorFor(settings, s.key, i, ctx.pal) },
      emphasis: { focus: "series" },
      label: {
        show: showValues,
        position: stacked && type === "bar" ? "inside" : horizontal ? "right" : "top",
        formatter: (p) => valueText(normalized ? (typeof p.value === "object" ? p.value.value : p.value) : s.data[p.dataIndex], s.metric, true),
      },
    };
    if (type === "line") {
      const markers = own[i]["line.marker_enabled"];
      o.showSymbol = markers === true || markers === false ? markers : s.data.length <= 40;
      o.symbolSize = 6;
      // Dense lines draw no symbols: the line and the area under it
      // take the clicks instead (see lineClick below).
      o.triggerLineEvent = true;
      const missing = own[i]["line.missing"];
      o.connectNulls = missing === "interpolate";
      if (missing === "zero") o.data = o.data.map((v) => (v === null ? 0 : v));
      const style = own[i]["line.style"];
      o.lineStyle = { width: 2, type: style === "dashed" || style === "dotted" ? style : "solid" };
      if (own[i]["line.interpolate"] === "cardinal") o.smooth = true;
      if (own[i]["line.interpolate"] === "step-after") o.step = "end";
      if (types[i] === "area") o.areaStyle = { opacity: 0.25 };
      // A lone point is drawn and labelled, or nothing would show.
      if (s.data.filter((v) => v !== null).length === 1) {
        o.showSymbol = true;
        o.label.show = true;
      }
    } else {
      o.barMaxWidth = 56;
      // A value label of a bar below zero goes past its far end too.
      if (showValues && !stacked) {
        o.data = o.data.map((v) => (typeof v === "number" && v < 0 ? { value: v, label: { position: horizontal ? "left" : "bottom" } } : v));
      }
    }
    if (stacked && (type === "bar" || types[i] === "area")) o.stack = "total";
    return o;
  });

  const xTitle = settings["graph.x_axis.title_text"] !== undefined ? settings["graph.x_axis.title_text"] : title(d.x);
  const right = splitAxes(d, settings, horizontal || stacked).map((r, i) => {
    const axis = own[i].axis;
    if (horizontal || stacked) return false;
    return axis === "right" ? true : axis === "left" ? false : r;
  });
  if (right.length && right.every(Boolean)) right[0] = false;
  const leftSeries = d.series.filter((s, i) => !right[i]);
  const rightSeries = d.series.filter((s, i) => right[i]);
  series.forEach((o, i) => { o.yAxisIndex = horizontal ? undefined : right[i] ? 1 : 0; });
  const yTitle = settings["graph.y_axis.title_text"] !== undefined ? settings["graph.y_axis.title_text"]
    : d.split || leftSeries.length === 1 ? title(metric) : "";
  const catAxis = {
    type: "category",
    data: labels,
    name: xTitle,
    show: settings["graph.x_axis.axis_enabled"] !== false,
    nameLocation: "middle",
    nameGap: 12,
    nameTextStyle: { color: muted, fontWeight: "bold" },
    boundaryGap: L.categoryGap(labels.length, anyBar),
    axisTick: { alignWithLabel: true },
    // With negative values the labels stay at the chart's edge rather
    // than on the zero line, where the bars below zero would hide them.
    axisLine: { onZero: false, lineStyle: { color: border } },
    axisLabel: { color: muted, hideOverlap: labels.length > 1, width: horizontal ? 140 : undefined, overflow: "truncate" },
    inverse: horizontal,
  };
  const goal = settings["graph.show_goal"] === true ? settingNumber(settings, "graph.goal_value") : null;
  // valueAxis builds one value axis over the series on it; whole-number
  // metrics get whole ticks.
  const valueAxis = (name, list, grid, primary) => {
    const idx = d.series.map((s, i) => i).filter((i) => list.indexOf(d.series[i]) >= 0);
    const values = stackExtent(idx.map((i) => shown[i]), stacked);
    if (primary && goal !== null) values.push(scale === "pow" ? root(goal) : goal);
    const integer = !normalized && scale !== "pow" && list.every((s) => has(INTEGER, s.metric.base_type)
      && L.numberFormat(Object.assign({}, mopts, L.columnSettings(settings.column_settings, s.metric) || {})).scale === undefined);
    const range = L.valueAxis(values, {
      integer: integer,
      scale: scale,
      normalized: normalized,
      autoRange: primary ? settings["graph.y_axis.auto_range"] : undefined,
      min: primary ? settingNumber(settings, "graph.y_axis.min") : null,
      max: primary ? settingNumber(settings, "graph.y_axis.max") : null,
    });
    const col = list[0].metric;
    const axis = {
      type: scale === "log" ? "log" : "value",
      name: name,
      show: settings["graph.y_axis.axis_enabled"] !== false,
      nameLocation: "middle",
      nameGap: 12,
      nameTextStyle: { color: muted, fontWeight: "bold" },
      axisLabel: { color: muted, formatter: (v) => valueText(axisValue(v), col, true) },
      splitLine: { show: grid, lineStyle: { color: border, type: "dashed" } },
    };
    if (range.min !== undefined) axis.min = range.min;
    if (range.max !== undefined) axis.max = range.max;
    if (range.interval !== undefined) axis.interval = range.interval;
    if (integer) axis.minInterval = 1;
    return axis;
  };
  const valAxis = valueAxis(yTitle, leftSeries, true, true);
  const yAxes = rightSeries.length
    ? [valAxis, valueAxis(rightSeries.length === 1 ? title(rightSeries[0].metric) : "", rightSeries, false, false)]
    : valAxis;
  if (goal !== null && series.length) {
    const at = scale === "pow" ? root(goal) : goal;
    series[0].markLine = {
      silent: true,
      symbol: "none",
      lineStyle: { color: muted, type: "dashed" },
      label: { formatter: settings["graph.goal_label"] ? String(settings["graph.goal_label"]) : "Goal", color: muted },
      data: [horizontal ? { xAxis: at } : { yAxis: at }],
    };
  }
  if (settings["graph.show_trendline"] === true) {
    d.series.forEach((s, i) => {
      const fit = L.trendline(shown[i]);
      if (!fit) return;
      series.push({
        name: names[i] + " (trend)",
        type: "line",
        data: fit,
        yAxisIndex: series[i].yAxisIndex,
        showSymbol: false,
        silent: true,
        tooltip: { show: false },
        lineStyle: { width: 1.5, type: "dashed", color: series[i].itemStyle.color },
        itemStyle: { color: series[i].itemStyle.color },
        z: 3,
      });
    });
  }
  const option = Object.assign(base, {
    legend: { show: legend, type: "scroll", top: 0, icon: "circle", textStyle: { color: muted }, data: names },
    grid: { left: 8, right: 16, top: legend ? 36 : 12, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "all" },
    xAxis: horizontal ? valAxis : catAxis,
    yAxis: horizontal ? catAxis : yAxes,
    series: series,
  });
  option.tooltip.trigger = "axis";
  option.tooltip.axisPointer = { type: anyBar ? "shadow" : "line" };
  option.tooltip.formatter = (params) => {
    const list = (Array.isArray(params) ? params : [params]).filter((p) => p.seriesIndex < d.series.length);
    if (!list.length) return "";
    let html = '<div class="viz-tip-title">' + esc(labels[list[0].dataIndex]) + "</div>";
    for (const p of list) {
      const s = d.series[p.seriesIndex];
      let text = format(s.data[p.dataIndex], s.metric, mopts);
      if (normalized && typeof p.value === "number") text += " (" + valueText(p.value, null, false) + ")";
      html += tooltipLine(p.marker, p.seriesName, text);
    }
    return html;
  };
  const lines = !horizontal && types.some((t) => t === "line" || t === "area");
  // A category label of a line or area chart's x axis is clickable too.
  if (lines) catAxis.triggerEvent = true;
  chart.setOption(option);
  const drillAt = (si, i, ev) => {
    const s = d.series[si];
    const row = s && s.rows[i];
    if (!row) return;
    const dimensions = [{ column: d.x, value: d.xs[i] }];
    if (d.split) dimensions.push({ column: d.split, value: s.value });
    dispatchDrill(node, { column: s.metric, value: s.data[i], row: row, dimensions: dimensions }, ev);
  };
  chart.on("click", (p) => {
    const ev = p.event && p.event.event;
    if (p.componentType === "series" && typeof p.dataIndex === "number") {
      drillAt(p.seriesIndex, p.dataIndex, ev);
    } else if (p.componentType === "series" && lines && p.event) {
      const i = lineClick(chart, d, p.seriesIndex, [p.event.offsetX, p.event.offsetY]);
      if (i >= 0) drillAt(p.seriesIndex, i, ev);
    } else if (p.componentType === "xAxis" && lines && typeof p.dataIndex === "number") {
      drillAt(seriesAt(d, p.dataIndex), p.dataIndex, ev);
    }
  });
  return { chart };
}

// renderWaterfall draws the first metric by the first dimension as
// floating bars, each starting where the running total before it ended
// (chartlogic.js waterfallSteps), so changes below zero and totals that
// cross it draw right. waterfall.increase_color,
// waterfall.decrease_color and waterfall.total_color colour the bars;

// waterfall.show_total: false leaves out the final total. The axis
// titles, graph.show_values and graph.y_axis.* range keys apply.
export function renderWaterfall(ctx) {
  const { node, cols, rows, settings } = ctx;
  const { dims, metrics } = pickColumns(cols, settings);
  if (!dims.length || !metrics.length) {
    empty(node, "Choose a dimension and a metric to draw this chart.");
    return {};
  }
  const d = cartesianData(cols, rows, [dims[0]], [metrics[0]]);
  const metric = metrics[0];
  const s = d.series[0];
  const showTotal = settings["waterfall.show_total"] !== false;
  const steps = L.waterfallSteps(s.data, showTotal);
  const dopts = dimOpts(settings);
  const mopts = metricOpts(settings);
  const labels = d.xs.map((v) => format(v, d.x, dopts));
  if (showTotal) labels.push("Total");
  const colors = {
    increase: settings["waterfall.increase_color"] || "#88bf4d",
    decrease: settings["waterfall.decrease_color"] || "#ef8c8c",
    total: settings["waterfall.total_color"] || "#2f6fde",
  };
  const { chart, muted, border, base } = chartBase(ctx);
  const range = L.valueAxis([].concat.apply([], steps.map((st) => [st.start, st.end])), {
    integer: has(INTEGER, metric.base_type),
    autoRange: settings["graph.y_axis.auto_range"],
    min: settingNumber(settings, "graph.y_axis.min"),
    max: settingNumber(settings, "graph.y_axis.max"),
  });
  const showValues = settings["graph.show_values"] === true;
  const valueAxis = {
    type: "value",
    name: settings["graph.y_axis.title_text"] !== undefined ? settings["graph.y_axis.title_text"] : title(metric),
    show: settings["graph.y_axis.axis_enabled"] !== false,
    nameLocation: "middle",
    nameGap: 12,
    nameTextStyle: { color: muted, fontWeight: "bold" },
    axisLabel: { color: muted, formatter: (v) => format(v, metric, Object.assign({}, mopts, { compact: true })) },
    splitLine: { lineStyle: { color: border, type: "dashed" } },
  };
  if (range.min !== undefined) valueAxis.min = range.min;
  if (range.max !== undefined) valueAxis.max = range.max;
  if (range.interval !== undefined) valueAxis.interval = range.interval;
  const option = Object.assign(base, {
    grid: { left: 8, right: 16, top: 12, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "all" },
    xAxis: {
      type: "category",
      data: labels,
      name: settings["graph.x_axis.title_text"] !== undefined ? settings["graph.x_axis.title_text"] : title(d.x),
      show: settings["graph.x_axis.axis_enabled"] !== false,
      nameLocation: "middle",
      nameGap: 12,
      nameTextStyle: { color: muted, fontWeight: "bold" },
      axisLine: { onZero: false, lineStyle: { color: border } },
      axisLabel: { color: muted, hideOverlap: true },
    },
    yAxis: valueAxis,
    series: [{
      type: "custom",
      name: title(metric),
      data: steps.map((st, i) => [i, st.start, st.end, st.value]),
      encode: { x: 0, y: [1, 2] },
      renderItem: (params, api) => {
        const st = steps[params.dataIndex];
        const a = api.coord([params.dataIndex, st.start]);
        const b = api.coord([params.dataIndex, st.end]);
        const w = Math.min(56, api.size([1, 0])[0] * 0.6);
        const top = Math.min(a[1], b[1]);
        const shape = { x: a[0] - w / 2, y: top, width: w, height: Math.max(1, Math.abs(a[1] - b[1])) };
        const rect = { type: "rect", shape: shape, style: { fill: colors[st.kind] } };
        if (!showValues) return rect;
        const down = st.kind === "decrease" || (st.kind === "total" && st.end < 0);
        return {
          type: "group",
          children: [rect, {
            type: "text",
            style: {
              text: format(st.value, metric, Object.assign({}, mopts, { compact: true })),
              x: a[0], y: down ? top + shape.height + 4 : top - 4,
              align: "center", verticalAlign: down ? "top" : "bottom", fill: muted, fontSize: 11,
            },
          }],
        };
      },
    }],
  });
  option.tooltip.trigger = "item";
  option.tooltip.formatter = (p) => {
    const st = steps[p.dataIndex];
    const change = st.kind === "total" ? "" : (st.value > 0 ? "+" : "") + format(st.value, metric, mopts) + " \u2192 ";
    return '<div class="viz-tip-title">' + esc(labels[p.dataIndex]) + "</div>" + tooltipLine(p.marker, title(metric), change + format(st.end, metric, mopts));
  };
  chart.setOption(option);
  chart.on("click", (p) => {
    const i = p.dataIndex;
    const row = s.rows[i];
    if (typeof i !== "number" || !row) return;
    dispatchDrill(node, { column: metric, value: s.data[i], row: row, dimensions: [{ column: d.x, value: d.xs[i] }] }, p.event && p.event.event);
  });
  return { chart };
}

// lineClick is the category index under a click on a line or an area
// (a series event without a data index), or -1.
function lineClick(chart, d, si, px) {
  const at = chart.convertFromPixel({ seriesIndex: si }, px);
  const i = Array.isArray(at) ? Math.round(at[0]) : -1;
  return i >= 0 && i < d.xs.length ? i : -1;
}

// seriesAt is the first series with a value at category i, for a click
// on the axis label under several lines.
function seriesAt(d, i) {
  return d.series.findIndex((s) => !!s.rows[i]);
}

// renderScatter draws one point per row: x is the first dimension (or the
// first amount when there are no dimensions), y the first metric, and a
// second metric, when present, sizes the bubbles. The y
// axis follows graph.y_axis.scale (log), graph.y_axis.auto_range with
// graph.y_axis.min / max, and the axis titles and axis_enabled keys;

// series_settings[y column].color colours the points.
export function renderScatter(ctx) {
  const { node, cols, rows, settings } = ctx;
  const { dims, metrics } = pickColumns(cols, settings);
  const explicit = Array.isArray(settings["graph.dimensions"]) || cols.some((c) => c.source === "breakout");
  const amounts = cols.filter(isMeasure);
  const xCol = explicit ? dims[0] : amounts[0];
  const yCol = explicit ? metrics[0] : amounts[1];
  const sizeCol = explicit ? metrics[1] || null : null;
  if (!xCol || !yCol) {
    empty(node, "Choose two amounts to draw this chart.");
    return {};
  }
  const xi = cols.indexOf(xCol);
  const yi = cols.indexOf(yCol);
  const si = sizeCol ? cols.indexOf(sizeCol) : -1;
  const numericX = isNumeric(xCol);
  const dopts = dimOpts(settings);
  const mopts = metricOpts(settings);
  const kept = rows.filter((r) => toNumber(r[yi]) !== null && (!numericX || toNumber(r[xi]) !== null));
  const cats = [];
  if (!numericX) {
    const seen = new Set();
    for (const r of kept) if (!seen.has(keyOf(r[xi]))) { seen.add(keyOf(r[xi])); cats.push(r[xi]); }
    sortValues(cats, xCol);
  }
  const catPos = new Map(cats.map((v, i) => [keyOf(v), i]));
  let maxSize = 0;
  if (si >= 0) for (const r of kept) maxSize = Math.max(maxSize, Math.abs(toNumber(r[si]) || 0));
  const data = kept.map((r) => [numericX ? toNumber(r[xi]) : catPos.get(keyOf(r[xi])), toNumber(r[yi])]);
  const { chart, muted, border, base } = chartBase(ctx);
  const axis = (col, name) => ({
    type: "value",
    scale: true,
    name: name,
    nameLocation: "middle",
    nameGap: 12,
    nameTextStyle: { color: muted, fontWeight: "bold" },
    axisLabel: { color: muted, formatter: (v) => format(v, col, Object.assign({}, col === xCol ? dopts : mopts, { compact: true })) },
    splitLine: { lineStyle: { color: border, type: "dashed" } },
  });
  const xTitle = settings["graph.x_axis.title_text"] !== undefined ? settings["graph.x_axis.title_text"] : title(xCol);
  const yTitle = settings["graph.y_axis.title_text"] !== undefined ? settings["graph.y_axis.title_text"] : title(yCol);
  const xAxis = numericX ? axis(xCol, xTitle)
    : { type: "category", data: cats.map((v) => format(v, xCol, dopts)), name: xTitle, nameLocation: "middle", nameGap: 12,
      nameTextStyle: { color: muted, fontWeight: "bold" }, axisLabel: { color: muted, hideOverlap: true } };
  xAxis.show = settings["graph.x_axis.axis_enabled"] !== false;
  const yAxis = axis(yCol, yTitle);
  yAxis.show = settings["graph.y_axis.axis_enabled"] !== false;
  const scale = settings["graph.y_axis.scale"];
  if (scale === "log") yAxis.type = "log";
  const range = L.valueAxis(data.map((p) => p[1]), {
    scale: scale === "log" ? "log" : "linear",
    includeZero: false,
    autoRange: settings["graph.y_axis.auto_range"],
    min: settingNumber(settings, "graph.y_axis.min"),
    max: settingNumber(settings, "graph.y_axis.max"),
  });
  if (settings["graph.y_axis.auto_range"] === false || scale === "log") {
    if (range.min !== undefined) yAxis.min = range.min;
    if (range.max !== undefined) yAxis.max = range.max;
  }
  const pointColor = seriesSettings(settings, yCol.name).color || colorFor(settings, yCol.name, 0, ctx.pal);
  const option = Object.assign(base, {
    grid: { left: 8, right: 16, top: 12, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "all" },
    xAxis: xAxis,
    yAxis: yAxis,
    series: [{
      type: "scatter",
      name: title(yCol),
      data: data,
      symbolSize: si < 0 ? 9 : (v, p) => 6 + 30 * Math.sqrt(Math.abs(toNumber(kept[p.dataIndex][si]) || 0) / (maxSize || 1)),
      itemStyle: { color: pointColor, opacity: 0.8 },
    }],
  });
  option.tooltip.trigger = "item";
  option.tooltip.formatter = (p) => {
    const r = kept[p.dataIndex];
    let html = tooltipLine("", title(xCol), format(r[xi], xCol, dopts)) + tooltipLine("", title(yCol), format(r[yi], yCol, mopts));
    if (si >= 0) html += tooltipLine("", title(sizeCol), format(r[si], sizeCol, mopts));
    return html;
  };
  chart.setOption(option);
  chart.on("click", (p) => {
    const r = kept[p.dataIndex];
    if (!r) return;
    dispatchDrill(node, { column: yCol, value: r[yi], row: r, dimensions: [{ column: xCol, value: r[xi] }] }, p.event && p.event.event);
  });
  return { chart };
}
