// The table, object detail and pivot table renderers.

import * as L from "./logic.js";
import * as TF from "./tableformat.js";
import { compare, dimOpts, dimensionsOf, dispatchDrill, findCol, keyOf, metricOpts, pickColumns, sortValues } from "./common.js";
import { el } from "../shared/dom.js";
import { format, isMeasure, isNumeric, title, toNumber } from "./format.js";

// ---- table ----

// renderTable draws an HTML table sortable by its headers (click again to
// reverse), paginated by table.page_size (default 25), whose cells
// dispatch drill events. table.columns orders the columns and hides those
// with enabled: false (the vendor's [{name, enabled}]; a bare list of
// names shows just those); columns it leaves out follow, shown. A
// column_settings entry's column_title renames a header, and its
// show_mini_bar draws a bar in each numeric cell, proportional to the
// value within the column's range (zero included).
// table.column_formatting colours cells and rows (chartlogic's
// tableFormatting; only hex colours reach the style).
export function renderTable(ctx) {
  const { node, cols, rows, settings } = ctx;
  const pageSize = Math.max(1, parseInt(settings["table.page_size"], 10) || 25);
  let shown = cols.map((c, i) => i);
  if (Array.isArray(settings["table.columns"])) {
    const list = settings["table.columns"];
    const named = list.map((n) => cols.indexOf(findCol(cols, typeof n === "string" ? n : n && n.name)));
    if (list.every((n) => typeof n === "string")) {
      const picked = named.filter((i) => i >= 0);
      if (picked.length) shown = picked;
    } else {
      const listed = new Set(named);
      const picked = named.filter((i, k) => i >= 0 && !(list[k] && list[k].enabled === false));
      shown = picked.concat(shown.filter((i) => !listed.has(i)));
    }
  }
  const order = rows.map((r, i) => i);
  const state = { sort: -1, desc: false, page: 0 };
  const opts = dimOpts(settings);
  const formatting = TF.tableFormatting(settings["table.column_formatting"], cols, rows);
  const bars = cols.map((col, ci) => {
    const own = L.columnSettings(settings.column_settings, col);
    return own && own.show_mini_bar === true && isNumeric(col) ? TF.miniBarExtent(rows.map((r) => r[ci])) : null;
  });

  const wrap = el("div", "viz-table-wrap");
  const table = el("table", "viz-table");
  const thead = el("thead");
  const headRow = el("tr");
  const tbody = el("tbody");
  const pager = el("div", "viz-pager");
  const info = el("span", "viz-pager-info");
  const prev = el("button", "viz-prev", "\u2039");
  const next = el("button", "viz-next", "\u203a");
  prev.type = next.type = "button";
  prev.setAttribute("aria-label", "Previous page");
  next.setAttribute("aria-label", "Next page");
  pager.append(info, prev, next);

  const headers = shown.map((ci) => {
    const col = cols[ci];
    const th = el("th");
    th.scope = "col";
    if (isMeasure(col)) th.classList.add("viz-num");
    const own = L.columnSettings(settings.column_settings, col);
    const b = el("button", "viz-sort", own && own.column_title ? String(own.column_title) : title(col));
    b.type = "button";
    b.addEventListener("click", () => {
      state.desc = state.sort === ci ? !state.desc : false;
      state.sort = ci;
      order.sort((x, y) => compare(rows[x][ci], rows[y][ci], col) * (state.desc ? -1 : 1) || x - y);
      state.page = 0;
      draw();
    });
    th.appendChild(b);
    headRow.appendChild(th);
    return th;
  });
  thead.appendChild(headRow);
  table.append(thead, tbody);
  wrap.appendChild(table);

  function cell(ri, ci) {
    const col = cols[ci];
    const v = rows[ri][ci];
    const td = el("td");
    td.dataset.row = String(ri);
    td.dataset.col = String(ci);
    td.tabIndex = -1;
    if (isMeasure(col)) td.classList.add("viz-num");
    if (v === null || v === undefined) td.classList.add("viz-null");
    const text = format(v, col, opts);
    if (typeof v === "string" && col.semantic_type === "type/URL" && /^https?:\/\//i.test(v)) {
      const a = el("a", "", text);
      a.href = v;
      a.rel = "noopener noreferrer";
      a.target = "_blank";
      td.appendChild(a);
    } else if (typeof v === "string" && col.semantic_type === "type/Email" && v.indexOf("@") > 0) {
      const a = el("a", "", text);
      a.href = "mailto:" + v;
      td.appendChild(a);
    } else if (bars[ci] && TF.miniBar(v, bars[ci])) {
      td.classList.add("viz-has-bar");
      const bar = TF.miniBar(v, bars[ci]);
      const track = el("span", "viz-minibar");
      const fill = el("span", "viz-minibar-fill" + (bar.negative ? " viz-minibar-neg" : ""));
      fill.style.left = (bar.start * 100).toFixed(2) + "%";
      fill.style.width = (bar.width * 100).toFixed(2) + "%";
      track.appendChild(fill);
      const box = el("span", "viz-minibar-cell");
      box.append(el("span", "viz-minibar-text", text), track);
      td.appendChild(box);
    } else {
      td.textContent = text;
    }
    const color = formatting.cellColor(ri, ci);
    if (color) {
      td.style.backgroundColor = color;
      td.classList.add("viz-formatted");
    }
    return td;
  }

  function draw() {
    const pages = Math.max(1, Math.ceil(rows.length / pageSize));
    state.page = Math.min(state.page, pages - 1);
    const from = state.page * pageSize;
    const to = Math.min(rows.length, from + pageSize);
    const frag = document.createDocumentFragment();
    for (let k = from; k < to; k++) {
      const tr = el("tr");
      const rowColor = formatting.rowColor(order[k]);
      if (rowColor) {
        tr.style.backgroundColor = rowColor;
        tr.classList.add("viz-formatted");
      }
      for (const ci of shown) tr.appendChild(cell(order[k], ci));
      frag.appendChild(tr);
    }
    tbody.replaceChildren(frag);
    headers.forEach((th, i) => {
      const sorted = shown[i] === state.sort;
      th.setAttribute("aria-sort", sorted ? (state.desc ? "descending" : "ascending") : "none");
      th.classList.toggle("viz-sorted", sorted);
      th.classList.toggle("viz-desc", sorted && state.desc);
    });
    const n = format(rows.length, { base_type: "type/Integer" });
    info.textContent = pages > 1 ? "Rows " + (from + 1) + "\u2013" + to + " of " + n : n + (rows.length === 1 ? " row" : " rows");
    prev.hidden = next.hidden = pages <= 1;
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
  }

  prev.addEventListener("click", () => { state.page--; draw(); });
  next.addEventListener("click", () => { state.page++; draw(); });
  function activate(td, ev) {
    const ri = +td.dataset.row;
    const col = cols[+td.dataset.col];
    dispatchDrill(node, { column: col, value: rows[ri][+td.dataset.col], row: rows[ri], dimensions: col.source === "aggregation" ? dimensionsOf(cols, rows[ri]) : [] }, ev);
  }
  tbody.addEventListener("click", (ev) => {
    const td = ev.target.closest("td");
    if (!td || ev.target.closest("a")) return;
    activate(td, ev);
  });
  tbody.addEventListener("keydown", (ev) => {
    const td = ev.target.closest("td");
    if (td && (ev.key === "Enter" || ev.key === " ")) {
      ev.preventDefault();
      activate(td, null);
    }
  });
  node.append(wrap, pager);
  draw();
  return {};
}

// ---- object detail ----

// renderObject shows one record at a time as label and value pairs, in
// table.columns order (hidden columns left out) with column_title
// renames; with several rows, Previous and Next buttons (and the arrow
// keys) step through them. A value dispatches a drill event like a
// table cell.
export function renderObject(ctx) {
  const { node, cols, rows, settings } = ctx;
  const opts = dimOpts(settings);
  let shown = cols.map((c, i) => i);
  if (Array.isArray(settings["table.columns"])) {
    const list = settings["table.columns"];
    const named = list.map((n) => cols.indexOf(findCol(cols, typeof n === "string" ? n : n && n.name)));
    const listed = new Set(named);
    const picked = named.filter((i, k) => i >= 0 && !(list[k] && list[k].enabled === false));
    shown = picked.concat(shown.filter((i) => !listed.has(i)));
  }
  const state = { row: 0 };
  const wrap = el("div", "viz-object");
  const list = el("dl", "viz-object-fields");
  const pager = el("div", "viz-pager viz-object-pager");
  const info = el("span", "viz-pager-info");
  const prev = el("button", "viz-object-prev", "\u2039 Previous");
  const next = el("button", "viz-object-next", "Next \u203a");
  prev.type = next.type = "button";
  pager.append(info, prev, next);
  wrap.tabIndex = 0;
  wrap.setAttribute("aria-label", "Record details");
  wrap.appendChild(list);

  function draw() {
    const row = rows[state.row];
    const frag = document.createDocumentFragment();
    for (const ci of shown) {
      const col = cols[ci];
      const own = L.columnSettings(settings.column_settings, col);
      const dt = el("dt", "viz-object-label", own && own.column_title ? String(own.column_title) : title(col));
      const dd = el("dd", "viz-object-value", format(row[ci], col, opts));
      dd.dataset.col = String(ci);
      if (row[ci] === null || row[ci] === undefined) dd.classList.add("viz-null");
      frag.append(dt, dd);
    }
    list.replaceChildren(frag);
    const n = format(rows.length, { base_type: "type/Integer" });
    info.textContent = "Item " + format(state.row + 1, { base_type: "type/Integer" }) + " of " + n;
    prev.hidden = next.hidden = rows.length <= 1;
    prev.disabled = state.row === 0;
    next.disabled = state.row >= rows.length - 1;
  }
  function go(step) {
    const to = Math.max(0, Math.min(rows.length - 1, state.row + step));
    if (to === state.row) return;
    state.row = to;
    draw();
  }
  prev.addEventListener("click", () => go(-1));
  next.addEventListener("click", () => go(1));
  wrap.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowLeft") { ev.preventDefault(); go(-1); }
    if (ev.key === "ArrowRight") { ev.preventDefault(); go(1); }
  });
  list.addEventListener("click", (ev) => {
    const dd = ev.target.closest("dd");
    if (!dd) return;
    const ci = +dd.dataset.col;
    const row = rows[state.row];
    dispatchDrill(node, { column: cols[ci], value: row[ci], row: row, dimensions: [] }, ev);
  });
  node.append(wrap, pager);
  draw();
  return {};
}

// ---- pivot ----

// renderPivot draws rows = first dimension, columns = second dimension,
// cells = first metric, with row and column totals (pivot.show_totals:
// false hides them). With one dimension the metrics become the columns.
export function renderPivot(ctx) {
  const { node, cols, rows, settings } = ctx;
  const { dims, metrics } = pickColumns(cols, settings);
  if (!dims.length || !metrics.length) return renderTable(ctx);
  const rowCol = dims[0];
  const colCol = dims[1] || null;
  const ri = cols.indexOf(rowCol);
  const ci = colCol ? cols.indexOf(colCol) : -1;
  const measures = colCol ? [metrics[0]] : metrics;
  const totals = settings["pivot.show_totals"] !== false;
  const dopts = dimOpts(settings);
  const mopts = metricOpts(settings);

  const rowVals = [];
  const rowSeen = new Map();
  const colVals = [];
  const colSeen = new Map();
  const cells = new Map();
  const addTo = (map, k, v) => map.set(k, (map.get(k) || 0) + v);
  const rowTotals = new Map();
  const colTotals = new Map();
  let grand = 0;
  rows.forEach((r, idx) => {
    const rk = keyOf(r[ri]);
    if (!rowSeen.has(rk)) { rowSeen.set(rk, idx); rowVals.push(r[ri]); }
    const pairs = colCol ? [[r[ci], r[cols.indexOf(measures[0])]]] : measures.map((m) => [m.name, r[cols.indexOf(m)]]);
    for (const [cv, mv] of pairs) {
      const ck = keyOf(cv);
      if (!colSeen.has(ck)) { colSeen.set(ck, idx); colVals.push(cv); }
      const n = toNumber(mv);
      if (n === null) continue;
      addTo(cells, rk + "\u0001" + ck, n);
      addTo(rowTotals, rk, n);
      addTo(colTotals, ck, n);
      grand += n;
    }
  });
  sortValues(rowVals, rowCol);
  if (colCol) sortValues(colVals, colCol);

  const measureOf = (cv) => (colCol ? measures[0] : findCol(cols, cv));
  const table = el("table", "viz-pivot");
  const head = el("tr");
  const corner = el("th", "viz-pivot-corner", colCol ? title(rowCol) + " / " + title(colCol) : title(rowCol));
  head.appendChild(corner);
  for (const cv of colVals) {
    const th = el("th", "viz-num", colCol ? format(cv, colCol, dopts) : title(findCol(cols, cv)));
    th.scope = "col";
    head.appendChild(th);
  }
  if (totals && colCol) head.appendChild(el("th", "viz-num viz-total", "Row totals"));
  const thead = el("thead");
  thead.appendChild(head);
  const tbody = el("tbody");
  for (const rv of rowVals) {
    const rk = keyOf(rv);
    const tr = el("tr");
    const th = el("th", "", format(rv, rowCol, dopts));
    th.scope = "row";
    tr.appendChild(th);
    for (const cv of colVals) {
      const k = rk + "\u0001" + keyOf(cv);
      const td = el("td", "viz-num viz-cell", cells.has(k) ? format(cells.get(k), measureOf(cv), mopts) : "");
      td.tabIndex = -1;
      td.addEventListener("click", (ev) => {
        const src = rows[rowSeen.get(rk)];
        const dimensions = [{ column: rowCol, value: rv }];
        if (colCol) dimensions.push({ column: colCol, value: cv });
        dispatchDrill(node, { column: measureOf(cv), value: cells.has(k) ? cells.get(k) : null, row: src, dimensions: dimensions }, ev);
      });
      tr.appendChild(td);
    }
    if (totals && colCol) tr.appendChild(el("td", "viz-num viz-total", format(rowTotals.get(rk) || 0, measures[0], mopts)));
    tbody.appendChild(tr);
  }
  table.append(thead, tbody);
  if (totals) {
    const tfoot = el("tfoot");
    const tr = el("tr", "viz-grand");
    const th = el("th", "", "Grand totals");
    th.scope = "row";
    tr.appendChild(th);
    for (const cv of colVals) tr.appendChild(el("td", "viz-num viz-total", format(colTotals.get(keyOf(cv)) || 0, measureOf(cv), mopts)));
    if (colCol) tr.appendChild(el("td", "viz-num viz-total viz-grand-total", format(grand, measures[0], mopts)));
    tfoot.appendChild(tr);
    table.appendChild(tfoot);
  }
  const wrap = el("div", "viz-table-wrap");
  wrap.appendChild(table);
  node.appendChild(wrap);
  return {};
}
