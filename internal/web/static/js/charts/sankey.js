// Sightline's sankey chart: draws display "sankey" flows
// from a source column's values to a target column's values, each link as
// wide as the sum of the value column over its rows.
//
// Settings (the reference vendor's keys): sankey.source, sankey.target and
// sankey.value name the columns (defaults: the first two category columns
// and the first amount); sankey.node_align "left" (default), "right" or
// "justify"; sankey.show_edge_labels shows each link's value;
// sankey.label_value_formatting "auto" (default: compact once values reach
// ten thousand), "compact" or "full"; sankey.edge_color "gray" (default),
// "source" or "target". A result whose links loop back, or with more nodes
// than sankeylogic.js allows, shows why instead of a chart.

import * as S from "./sankeylogic.js";
import { el } from "../shared/dom.js";
import { colorFor, dimOpts, dispatchDrill, metricOpts } from "./common.js";
import { chartBase, tooltipLine } from "./echarts.js";
import { format, title } from "./format.js";

const ALIGN = ["left", "right", "justify"];

function problem(node, message) {
  node.appendChild(el("div", "viz-empty viz-sankey-problem", message));
  return {};
}

export function renderSankey(ctx) {
  const { node, cols, rows, settings } = ctx;
  const c = S.sankeyColumns(cols, settings);
  if (!c.source || !c.target || !c.value || c.source === c.target) {
    return problem(node, "A sankey needs a source and a target column and an amount.");
  }
  const si = cols.indexOf(c.source);
  const ti = cols.indexOf(c.target);
  const vi = cols.indexOf(c.value);
  const graph = S.sankeyGraph(rows, si, ti, vi);
  const why = S.sankeyProblem(graph);
  if (why) return problem(node, why);

  const dopts = dimOpts(settings);
  const mopts = metricOpts(settings);
  const style = settings["sankey.label_value_formatting"];
  const biggest = graph.nodes.reduce((m, n) => Math.max(m, n.value), 0);
  const compact = style === "compact" || (style !== "full" && biggest >= 10000);
  const amount = (v) => format(v, c.value, Object.assign({}, mopts, { compact: compact }));
  // A node is labelled by the column it first appeared in as a source,
  // else as a target.
  const sources = new Set(graph.links.map((l) => l.source));
  const label = new Map(graph.nodes.map((n) => [n.name, format(n.first, sources.has(n.name) ? c.source : c.target, dopts)]));
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));

  const { chart, text, muted, base } = chartBase(ctx);
  const edge = settings["sankey.edge_color"];
  const option = Object.assign(base, {
    series: [{
      type: "sankey",
      name: title(c.value),
      left: 8,
      right: 120,
      top: 12,
      bottom: 12,
      nodeAlign: ALIGN.indexOf(settings["sankey.node_align"]) >= 0 ? settings["sankey.node_align"] : "left",
      nodeGap: 10,
      draggable: false,
      emphasis: { focus: "adjacency" },
      data: graph.nodes.map((n, i) => ({ name: n.name, itemStyle: { color: colorFor(settings, n.name, i, ctx.pal) } })),
      links: graph.links.map((l) => ({ source: l.source, target: l.target, value: l.value })),
      label: { color: text, fontSize: 12, lineHeight: 15, formatter: (p) => label.get(p.name) + "\n" + amount(byName.get(p.name).value) },
      labelLayout: { hideOverlap: true },
      edgeLabel: { show: settings["sankey.show_edge_labels"] === true, color: muted, formatter: (p) => amount(p.value) },
      lineStyle: { color: edge === "source" || edge === "target" ? edge : muted, opacity: 0.35, curveness: 0.5 },
    }],
  });
  option.tooltip.trigger = "item";
  option.tooltip.formatter = (p) => {
    if (p.dataType === "edge") return tooltipLine("", label.get(p.data.source) + " \u2192 " + label.get(p.data.target), amount(p.data.value));
    const n = byName.get(p.name);
    return tooltipLine(p.marker || "", label.get(p.name), n ? amount(n.value) : "");
  };
  chart.setOption(option);
  chart.on("click", (p) => {
    const ev = p.event && p.event.event;
    if (p.dataType === "edge") {
      const l = graph.links[p.dataIndex];
      if (!l) return;
      const r = l.rows[0];
      dispatchDrill(node, { column: c.value, value: l.value, row: r,
        dimensions: [{ column: c.source, value: r[si] }, { column: c.target, value: r[ti] }] }, ev);
      return;
    }
    const n = graph.nodes[p.dataIndex];
    if (!n) return;
    const col = sources.has(n.name) ? c.source : c.target;
    const r = graph.links.find((l) => l.source === n.name || l.target === n.name).rows[0];
    dispatchDrill(node, { column: col, value: n.first, row: r, dimensions: [{ column: col, value: n.first }] }, ev);
  });
  return { chart };
}
