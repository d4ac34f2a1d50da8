// Sightline's sankey logic without a page: which columns a sankey chart
// draws, the nodes and links it draws from a result's rows, and the two
// reasons it refuses to draw (a cycle, too many nodes). Pure functions of
// their arguments (no DOM, no ECharts), checked by node's own test runner
// (internal/web/jstest); sankey.js draws with them.

import { NUMERIC } from "../shared/types.js";

// MAX_NODES is the most distinct nodes a sankey draws: past it the
// chart would be an unreadable tangle, and ECharts' layout slows down.
const MAX_NODES = 100;

function isNumber(col) { return !!col && NUMERIC.indexOf(col.base_type) >= 0; }
function isID(col) { return !!col && (col.semantic_type === "type/PK" || col.semantic_type === "type/FK"); }

// isCategory reports whether a column's values name nodes: text,
// booleans and other non-numeric values, dates included.
function isCategory(col) { return !!col && !isNumber(col); }

function named(cols, name) {
  if (typeof name !== "string" || !name) return null;
  return cols.find((c) => c.name === name) || null;
}

// sankeyColumns picks the source, target and value columns: the ones
// sankey.source, sankey.target and sankey.value name when the result has
// them, else the first two category columns and the first number that
// is not an id. A column it cannot find is null.
function sankeyColumns(cols, settings) {
  cols = cols || [];
  settings = settings || {};
  let source = named(cols, settings["sankey.source"]);
  let target = named(cols, settings["sankey.target"]);
  let value = named(cols, settings["sankey.value"]);
  const cats = cols.filter(isCategory);
  if (!source) source = cats.find((c) => c !== target) || null;
  if (!target) target = cats.find((c) => c !== source) || null;
  if (!value) value = cols.find((c) => isNumber(c) && !isID(c) && c !== source && c !== target) || null;
  return { source: source, target: target, value: value };
}

// nodeKey is the identity of a node: rows name the same node when the
// text of their values is the same, whichever column it comes from.
function nodeKey(v) { return String(v); }

// findCycle returns the names of the nodes of one cycle among links
// ([{source, target}] by node name), first node repeated at the end
// ("A", "B", "A"), or null when the links have none. A link from a node
// to itself is a cycle of one.
function findCycle(links) {
  const next = new Map();
  for (const l of links) {
    if (!next.has(l.source)) next.set(l.source, []);
    next.get(l.source).push(l.target);
  }
  const state = new Map(); // 1 on the current path, 2 done
  for (const start of next.keys()) {
    if (state.get(start)) continue;
    // An explicit stack keeps deep chains from overflowing the call stack.
    const path = [start];
    const iters = [0];
    state.set(start, 1);
    while (path.length) {
      const node = path[path.length - 1];
      const outs = next.get(node) || [];
      const i = iters[iters.length - 1];
      if (i >= outs.length) {
        state.set(node, 2);
        path.pop();
        iters.pop();
        continue;
      }
      iters[iters.length - 1] = i + 1;
      const to = outs[i];
      const s = state.get(to);
      if (s === 1) return path.slice(path.indexOf(to)).concat([to]);
      if (!s) {
        state.set(to, 1);
        path.push(to);
        iters.push(0);
      }
    }
  }
  return null;
}

// sankeyGraph turns rows into a sankey's nodes and links. si, ti and vi
// are the indexes of the source, target and value columns. Rows with the
// same source and target are summed into one link, which keeps its rows;
// rows without a source or target, or whose value is not a positive
// number, are skipped and counted. It returns {nodes: [{name, value,
// first}], links: [{source, target, value, rows}], skipped, cycle,
// tooMany}: cycle is findCycle's answer, tooMany the node count when it
// passes maxNodes (default MAX_NODES), else 0. A node's value is the
// larger of what flows in and what flows out; first is the row value
// that first named it, for formatting.
function sankeyGraph(rows, si, ti, vi, maxNodes) {
  const limit = maxNodes > 0 ? maxNodes : MAX_NODES;
  const nodes = new Map();
  const links = new Map();
  let skipped = 0;
  const node = (v) => {
    const k = nodeKey(v);
    let n = nodes.get(k);
    if (!n) { n = { name: k, first: v, in: 0, out: 0 }; nodes.set(k, n); }
    return n;
  };
  for (const r of rows || []) {
    const s = r[si];
    const t = r[ti];
    const v = toNumber(r[vi]);
    if (s === null || s === undefined || s === "" || t === null || t === undefined || t === "" || v === null || !(v > 0)) {
      skipped++;
      continue;
    }
    const a = node(s);
    const b = node(t);
    a.out += v;
    b.in += v;
    const k = JSON.stringify([a.name, b.name]);
    let l = links.get(k);
    if (!l) { l = { source: a.name, target: b.name, value: 0, rows: [] }; links.set(k, l); }
    l.value += v;
    l.rows.push(r);
  }
  const linkList = Array.from(links.values());
  return {
    nodes: Array.from(nodes.values()).map((n) => ({ name: n.name, value: Math.max(n.in, n.out), first: n.first })),
    links: linkList,
    skipped: skipped,
    cycle: findCycle(linkList),
    tooMany: nodes.size > limit ? nodes.size : 0,
  };
}

// toNumber reads a number that may arrive as a JSON string; anything
// else is null.
function toNumber(v) {
  if (typeof v === "number") return isFinite(v) ? v : null;
  if (typeof v === "string" && /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
  return null;
}

// sankeyProblem is the message a sankey shows instead of a chart, or ""
// when it can draw graph.
function sankeyProblem(graph, limit) {
  if (graph.tooMany) {
    return "This sankey has " + graph.tooMany.toLocaleString("en-US") + " nodes; it draws at most " + (limit || MAX_NODES) +
      ". Filter the question or group its values to draw fewer.";
  }
  if (graph.cycle) {
    return "A sankey cannot draw flows that loop back: " + graph.cycle.join(" \u2192 ") + ". Remove one of these links to draw it.";
  }
  if (!graph.links.length) return "No rows have a source, a target and a positive value to draw.";
  return "";
}

// fitsSankey reports whether a result has what a sankey needs: two
// category columns and a number.
function fitsSankey(cols, settings) {
  const c = sankeyColumns(cols, settings);
  return !!(c.source && c.target && c.value && c.source !== c.target);
}

export { MAX_NODES, sankeyColumns, sankeyGraph, sankeyProblem, findCycle, fitsSankey };
