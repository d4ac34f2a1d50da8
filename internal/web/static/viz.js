// Sightline's visualizations: window.SightlineViz draws a query result as a
// table, a number, a pivot table or an ECharts chart, formats values by their
// column's types, and reports clicks on data as "sightline:drill" events.
//
// Plain ES2017 with no build step and no eval, so it runs under the strict
// Content-Security-Policy. It needs chartlogic.js (the pure tick, axis and
// number-format logic) loaded first; charts also need the global `echarts`
// (6.x); tables, numbers and pivots do not.
//
//   const handle = SightlineViz.render(el, result, settings);
//   handle.resize(); handle.dispose();
//
// result is {cols: [{name, display_name, base_type, semantic_type, source,
// unit?}], rows: [[...]]} (or the API's {data: {cols, rows}}); settings are
// the card's visualization settings, described at each renderer below.
(function (global) {
  "use strict";

  // L is the pure chart logic of chartlogic.js.
  const L = global.SightlineChartLogic;
  if (!L) throw new Error("viz.js needs chartlogic.js loaded first");

  const NUMERIC = ["type/Integer", "type/BigInteger", "type/Float", "type/Decimal"];
  const INTEGER = ["type/Integer", "type/BigInteger"];
  const TEMPORAL = ["type/Date", "type/DateTime", "type/DateTimeWithTZ"];
  const TRUNCATING = ["minute", "hour", "day", "week", "month", "quarter", "year"];
  const EXTRACTING = ["minute-of-hour", "hour-of-day", "day-of-week", "day-of-month", "day-of-year",
    "week-of-year", "month-of-year", "quarter-of-year"];
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  const EMPTY = "\u2014";

  // PALETTE is the default series palette; the first colour is replaced by
  // the page's --brand CSS variable when it is set.
  const PALETTE = ["#2f6fde", "#88bf4d", "#a989c5", "#ef8c8c", "#f9d45c", "#f2a86f", "#5cb8b2",
    "#7172ad", "#e27fbf", "#6c8e9e", "#c9a25d", "#9bc4f0"];

  // ROW_CHART_MIN_CATEGORIES is how many categories make autoDisplay choose
  // a horizontal "row" chart instead of columns: long lists read better
  // top to bottom.
  const ROW_CHART_MIN_CATEGORIES = 21;

  // DISPLAYS lists every display render understands.
  const DISPLAYS = ["table", "number", "trend", "progress", "gauge", "line", "area", "bar", "stacked-bar",
    "row", "combo", "pie", "donut", "scatter", "funnel", "waterfall", "pivot", "map", "map-pin", "sankey", "object"];

  // handles remembers the visualization drawn in each element, so drawing
  // again into the same element first disposes of the old one.
  const handles = new WeakMap();

  // ---- column types ----

  function has(list, v) { return list.indexOf(v) >= 0; }

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

  function isExtraction(col) { return has(EXTRACTING, unitOf(col)); }

  function isTemporal(col) {
    if (!col) return false;
    const u = unitOf(col);
    if (has(EXTRACTING, u)) return false;
    return has(TEMPORAL, col.base_type) || has(TRUNCATING, u);
  }

  function isNumeric(col) { return !!col && has(NUMERIC, col.base_type) && !isExtraction(col); }

  function isID(col) { return !!col && (col.semantic_type === "type/PK" || col.semantic_type === "type/FK"); }

  // isMeasure reports whether a column holds amounts worth charting (not ids).
  function isMeasure(col) { return isNumeric(col) && !isID(col); }

  function isCoordinate(col) {
    return !!col && (col.semantic_type === "type/Latitude" || col.semantic_type === "type/Longitude");
  }

  function title(col) { return col ? (col.display_name || col.name || "") : ""; }

  // ---- values ----

  // toNumber reads a number that may arrive as a JSON string (decimals and
  // big integers from some drivers); anything else is null.
  function toNumber(v) {
    if (typeof v === "number") return isFinite(v) ? v : null;
    if (typeof v === "string" && /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
    return null;
  }

  // numberOr is v as a number, or fallback when v is not one.
  function numberOr(v, fallback) {
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
  function format(value, col, opts) {
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

  // ---- choosing a display ----

  function unwrap(result) {
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
  function autoDisplay(result) {
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

  // ---- shared helpers ----

  function keyOf(v) { return v === null || v === undefined ? "\u0000null" : typeof v + ":" + String(v); }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  function findCol(cols, name) {
    return cols.find((c) => c.name === name) || cols.find((c) => c.display_name === name) || null;
  }

  // pickColumns resolves graph.dimensions and graph.metrics to columns.
  // Without them, breakouts are the dimensions and aggregations the
  // metrics; for raw rows, the first date or text column is the dimension
  // and the remaining amounts are the metrics.
  function pickColumns(cols, settings) {
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
  function sortValues(values, col) {
    if (isTemporal(col) || isNumeric(col) || isExtraction(col)) {
      values.sort((a, b) => compare(a, b, col));
    }
    return values;
  }

  // compare orders two cell values; nulls go last.
  function compare(a, b, col) {
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

  function cssVar(node, name, fallback) {
    const v = global.getComputedStyle(node).getPropertyValue(name).trim();
    return v || fallback;
  }

  // palette is the chart palette set in Appearance (--chart-1..N), or else
  // the default palette led by the page's --brand colour.
  function palette(node) {
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
  function colorFor(settings, key, i, pal) {
    const custom = settings["graph.colors"];
    if (custom && typeof custom === "object" && custom[key]) return custom[key];
    return pal[i % pal.length];
  }

  function dispatchDrill(node, detail, ev) {
    if (ev && typeof ev.clientX === "number") {
      detail.clientX = ev.clientX;
      detail.clientY = ev.clientY;
    }
    node.dispatchEvent(new CustomEvent("sightline:drill", { bubbles: true, detail: detail }));
  }

  // dimensionsOf lists a row's breakout values, for drill-through.
  function dimensionsOf(cols, row) {
    return cols.filter((c) => c.source === "breakout").map((c) => ({ column: c, value: row[cols.indexOf(c)] }));
  }

  // metricOpts are the format options for metric values (the number.*
  // settings apply); dimOpts those for dimension values (unit applies).
  function metricOpts(settings) {
    const o = Object.assign({}, settings);
    delete o.unit;
    return o;
  }

  function dimOpts(settings) {
    return { unit: settings.unit, column_settings: settings.column_settings, locale: settings.locale };
  }

  function empty(node, message) {
    node.appendChild(el("div", "viz-empty", message || "No results"));
  }

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
  function renderTable(ctx) {
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
    const formatting = L.tableFormatting(settings["table.column_formatting"], cols, rows);
    const bars = cols.map((col, ci) => {
      const own = L.columnSettings(settings.column_settings, col);
      return own && own.show_mini_bar === true && isNumeric(col) ? L.miniBarExtent(rows.map((r) => r[ci])) : null;
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
      } else if (bars[ci] && L.miniBar(v, bars[ci])) {
        td.classList.add("viz-has-bar");
        const bar = L.miniBar(v, bars[ci]);
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
  function renderObject(ctx) {
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
  function renderPivot(ctx) {
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

  // ---- scalars ----

  // scalarColumn is scalar.field, the first metric or the first number.
  function scalarColumn(cols, settings) {
    const named = settings["scalar.field"] && findCol(cols, settings["scalar.field"]);
    if (named) return named;
    const { metrics } = pickColumns(cols, settings);
    return metrics[0] || cols.find(isNumeric) || cols[0];
  }

  // fitText makes a scalar fit its box: first by shrinking the type down to
  // 60% of its size, then by switching to compact notation (1.2M).
  function fitText(box, valueEl, full, compact) {
    valueEl.style.fontSize = "";
    valueEl.textContent = full;
    const room = box.clientWidth - 16;
    const need = valueEl.scrollWidth;
    if (need <= room || room <= 0) return;
    const ratio = room / need;
    if (ratio >= 0.6 || compact === full) {
      valueEl.style.fontSize = parseFloat(global.getComputedStyle(valueEl).fontSize) * Math.max(ratio, 0.6) + "px";
      return;
    }
    valueEl.textContent = compact;
  }

  // renderNumber shows the first row's value of one column, big, with
  // number.prefix, number.suffix and number.decimals; clicking it drills.
  function renderNumber(ctx) {
    const { node, cols, rows, settings } = ctx;
    const col = scalarColumn(cols, settings);
    const idx = cols.indexOf(col);
    const v = rows[0][idx];
    const box = el("div", "viz-scalar");
    const value = el("div", "viz-scalar-value");
    const label = el("div", "viz-scalar-label", settings["card.title"] || title(col));
    const full = format(v, col, metricOpts(settings));
    const compact = format(v, col, Object.assign(metricOpts(settings), { compact: true }));
    value.title = full;
    value.tabIndex = 0;
    value.addEventListener("click", (ev) => dispatchDrill(node, { column: col, value: v, row: rows[0], dimensions: dimensionsOf(cols, rows[0]) }, ev));
    box.append(value, label);
    node.appendChild(box);
    const fit = () => fitText(box, value, full, compact);
    fit();
    return { resize: fit };
  }

  // renderTrend shows the last row's value and its change from the row
  // before, as an up or down percentage; trend.higher_is_better: false
  // colours a fall as good.
  function renderTrend(ctx) {
    const { node, cols, rows, settings } = ctx;
    const { dims } = pickColumns(cols, settings);
    const col = scalarColumn(cols, settings);
    const dim = dims.find((d) => d !== col) || null;
    const mi = cols.indexOf(col);
    const last = rows[rows.length - 1];
    const prev = rows.length > 1 ? rows[rows.length - 2] : null;
    const mopts = metricOpts(settings);
    const box = el("div", "viz-scalar viz-trend");
    const value = el("div", "viz-scalar-value");
    const full = format(last[mi], col, mopts);
    const compact = format(last[mi], col, Object.assign({}, mopts, { compact: true }));
    value.title = full;
    const period = el("div", "viz-scalar-label", dim ? format(last[cols.indexOf(dim)], dim, dimOpts(settings)) : title(col));
    const change = el("div", "viz-trend-change");
    const now = toNumber(last[mi]);
    const before = prev ? toNumber(prev[mi]) : null;
    if (now === null || before === null) {
      change.textContent = prev ? "No comparison" : "No previous value";
      change.classList.add("viz-trend-flat");
    } else {
      const arrow = el("span", "viz-trend-pct");
      if (before === 0) {
        arrow.textContent = now === 0 ? "0%" : "N/A";
        change.classList.add("viz-trend-flat");
      } else {
        const pct = ((now - before) / Math.abs(before)) * 100;
        const dir = pct > 0 ? "up" : pct < 0 ? "down" : "flat";
        const good = settings["trend.higher_is_better"] === false ? dir === "down" : dir === "up";
        arrow.textContent = (dir === "up" ? "\u25b2 " : dir === "down" ? "\u25bc " : "") + format(Math.abs(pct), null, { decimals: Math.abs(pct) < 10 ? 1 : 0 }) + "%";
        change.classList.add("viz-trend-" + dir);
        if (dir !== "flat") change.classList.add(good ? "viz-good" : "viz-bad");
      }
      const vs = el("span", "viz-trend-vs", " vs. " + (dim ? format(prev[cols.indexOf(dim)], dim, dimOpts(settings)) : "previous") + ": " + format(prev[mi], col, mopts));
      change.append(arrow, vs);
    }
    value.addEventListener("click", (ev) => dispatchDrill(node, { column: col, value: last[mi], row: last, dimensions: dimensionsOf(cols, last) }, ev));
    box.append(value, period, change);
    node.appendChild(box);
    const fit = () => fitText(box, value, full, compact);
    fit();
    return { resize: fit };
  }

  // renderProgress shows a value against progress.goal as a bar.
  function renderProgress(ctx) {
    const { node, cols, rows, settings } = ctx;
    const col = scalarColumn(cols, settings);
    const v = rows[0][cols.indexOf(col)];
    const n = toNumber(v) || 0;
    const goal = toNumber(settings["progress.goal"]) || 0;
    const mopts = metricOpts(settings);
    const ratio = goal > 0 ? n / goal : n >= goal ? 1 : 0;
    const box = el("div", "viz-progress");
    const value = el("div", "viz-progress-value", format(v, col, mopts));
    const bar = el("div", "viz-progress-bar");
    const fill = el("div", "viz-progress-fill");
    fill.style.width = Math.max(0, Math.min(1, ratio)) * 100 + "%";
    if (settings["progress.color"]) fill.style.background = settings["progress.color"];
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", String(goal));
    bar.setAttribute("aria-valuenow", String(n));
    bar.appendChild(fill);
    if (ratio > 1) {
      box.classList.add("viz-progress-exceeded");
      const mark = el("div", "viz-progress-goal");
      mark.style.left = (1 / ratio) * 100 + "%";
      fill.style.width = "100%";
      bar.appendChild(mark);
    }
    const foot = el("div", "viz-progress-foot");
    const pct = el("span", "viz-progress-pct", ratio > 1 ? "Goal exceeded" : format(ratio * 100, null, { decimals: 0 }) + "% of goal");
    foot.append(pct, el("span", "viz-progress-target", "Goal " + format(goal, col, mopts)));
    value.addEventListener("click", (ev) => dispatchDrill(node, { column: col, value: v, row: rows[0], dimensions: [] }, ev));
    box.append(value, bar, foot);
    node.appendChild(box);
    return {};
  }

  // ---- ECharts ----

  function reducedMotion() {
    return !!(global.matchMedia && global.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  // chartBase makes the chart and the options every chart shares.
  function chartBase(ctx) {
    if (!global.echarts) throw new Error("ECharts is not loaded");
    const box = el("div", "viz-chart");
    ctx.node.appendChild(box);
    const renderer = ctx.settings.renderer === "svg" ? "svg" : "canvas";
    const chart = global.echarts.init(box, null, { renderer: renderer });
    const text = cssVar(ctx.node, "--text", "#2e353b");
    const muted = cssVar(ctx.node, "--muted", "#6b7780");
    const border = cssVar(ctx.node, "--border", "#e1e5ea");
    const base = {
      animation: ctx.settings.animation !== false && !reducedMotion(),
      color: ctx.pal,
      textStyle: { fontFamily: global.getComputedStyle(ctx.node).fontFamily, color: text },
      aria: { enabled: true },
      tooltip: { confine: true, backgroundColor: "#fff", borderColor: border, textStyle: { color: text } },
    };
    return { chart, text, muted, border, base };
  }

  function tooltipLine(marker, name, value) {
    return '<div class="viz-tip-line">' + marker + '<span class="viz-tip-name">' + esc(name) + '</span> <b class="viz-tip-value">' + esc(value) + "</b></div>";
  }

  // cartesianData gathers categories (the x dimension's distinct values) and
  // series (one per metric, or one per value of a second dimension), with
  // the row behind each point for drill-through. Rows sharing an x (and
  // series) value are summed.
  function cartesianData(cols, rows, dims, metrics) {
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
  function histogramData(cols, rows, x, metrics, settings) {
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
  function splitAxes(d, settings, never) {
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
  function seriesType(display, settings, s, i) {
    const chosen = settings["graph.series_displays"] && settings["graph.series_displays"][s.key];
    if (chosen) return chosen;
    if (display === "combo") return i === 0 ? "bar" : "line";
    if (display === "line" || display === "area") return display;
    return "bar";
  }

  // seriesSettings is the series_settings entry of a series (keyed by the
  // metric's column name, or by the value of the splitting dimension).
  function seriesSettings(settings, key) {
    const all = settings.series_settings;
    const own = all && typeof all === "object" ? all[key] : null;
    return own && typeof own === "object" ? own : {};
  }

  // settingNumber reads a numeric setting, or null.
  function settingNumber(settings, key) {
    const v = settings[key];
    if (v === null || v === undefined || v === "") return null;
    return toNumber(v);
  }

  // stackExtent is every value an axis must show: each value, or for
  // stacks the running positive and negative totals of each category.
  function stackExtent(datas, stacked) {
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
  function renderCartesian(ctx) {
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
  function renderWaterfall(ctx) {
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

  // renderPie draws pie and donut charts of the first metric by the first
  // dimension. Slices under pie.slice_threshold percent (default 2.5) are
  // gathered into "Other"; pie.show_legend: false hides the legend. A
  // donut shows the total in its hole.
  function renderPie(ctx) {
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

  // renderScatter draws one point per row: x is the first dimension (or the
  // first amount when there are no dimensions), y the first metric, and a
  // second metric, when present, sizes the bubbles. map-pin draws
  // longitude against latitude the same way, without a base map. The y
  // axis follows graph.y_axis.scale (log), graph.y_axis.auto_range with
  // graph.y_axis.min / max, and the axis titles and axis_enabled keys;
  // series_settings[y column].color colours the points.
  function renderScatter(ctx) {
    const { node, cols, rows, settings, display } = ctx;
    let xCol;
    let yCol;
    let sizeCol = null;
    if (display === "map-pin") {
      xCol = cols.find((c) => c.semantic_type === "type/Longitude");
      yCol = cols.find((c) => c.semantic_type === "type/Latitude");
    } else {
      const { dims, metrics } = pickColumns(cols, settings);
      const explicit = Array.isArray(settings["graph.dimensions"]) || cols.some((c) => c.source === "breakout");
      const amounts = cols.filter(isMeasure);
      xCol = explicit ? dims[0] : amounts[0];
      yCol = explicit ? metrics[0] : amounts[1];
      if (explicit) sizeCol = metrics[1] || null;
    }
    if (!xCol || !yCol) {
      empty(node, display === "map-pin" ? "This chart needs latitude and longitude columns." : "Choose two amounts to draw this chart.");
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
    if (display !== "map-pin") {
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
    }
    const pointColor = (display !== "map-pin" && seriesSettings(settings, yCol.name).color) || colorFor(settings, yCol.name, 0, ctx.pal);
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

  // renderFunnel draws the first metric by the first dimension's steps in
  // row order, labelled with each step's share of the first.
  function renderFunnel(ctx) {
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
  function renderGauge(ctx) {
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

  // ---- region maps ----

  // REGIONS are the region maps: the shapes file (built by
  // scripts/assets.sh into static/vendor) and the column semantic type each
  // suits. aspect is ECharts' aspectScale: the world is in longitude and
  // latitude, the states already projected (Albers USA).
  const REGIONS = {
    world_countries: { file: "vendor/geo-world.json", semantic: "type/Country", aspect: 0.75 },
    us_states: { file: "vendor/geo-us-states.json", semantic: "type/State", aspect: 1 },
  };

  // staticBase is the URL of the static directory, from where viz.js itself
  // was loaded.
  const staticBase = (() => {
    const s = global.document && global.document.currentScript;
    return s && s.src ? s.src.replace(/[^/]*$/, "") : "/static/";
  })();

  // shapes caches, per region map, the promise of its index: the name each
  // value matches, once the shapes are registered with ECharts.
  const shapes = {};

  function regionKey(v) {
    return String(v).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  }

  // loadShapes fetches the shapes of a region map the first time one is
  // drawn, registers them with ECharts as "sightline-<region>" and resolves
  // to a Map from regionKey of each code and name to the feature's name.
  function loadShapes(region) {
    if (!shapes[region]) {
      shapes[region] = global.fetch(staticBase + REGIONS[region].file, { credentials: "same-origin" })
        .then((res) => {
          if (!res.ok) throw new Error("the map shapes could not be loaded (" + res.status + ")");
          return res.json();
        })
        .then((geo) => {
          global.echarts.registerMap("sightline-" + region, geo);
          const index = new Map();
          for (const f of geo.features) {
            const p = f.properties;
            for (const k of [p.iso2, p.iso3, p.code, p.name].concat(p.names || [])) {
              if (k && !index.has(regionKey(k))) index.set(regionKey(k), p.name);
            }
          }
          return index;
        });
      shapes[region].catch(() => { delete shapes[region]; });
    }
    return shapes[region];
  }

  // regionColumn finds the column a region map shades by: graph.dimensions'
  // first when it suits, else the first country or state column, else (when
  // map.region is set) the first breakout. It returns {col, region} or null.
  function regionColumn(cols, settings) {
    settings = settings || {};
    const forced = REGIONS[settings["map.region"]] ? settings["map.region"] : "";
    const regionOf = (c) => {
      if (forced) return forced;
      for (const r of Object.keys(REGIONS)) if (c.semantic_type === REGIONS[r].semantic) return r;
      return "";
    };
    const named = Array.isArray(settings["graph.dimensions"]) ? findCol(cols, settings["graph.dimensions"][0]) : null;
    const candidates = (named ? [named] : [])
      .concat(cols.filter((c) => c.semantic_type === "type/Country" || c.semantic_type === "type/State"))
      .concat(forced ? cols.filter((c) => c.source === "breakout") : []);
    for (const c of candidates) {
      const region = regionOf(c);
      if (region) return { col: c, region: region };
    }
    return null;
  }

  // fitsRegionMap reports whether a result suits a region map: one country
  // or state column and an amount to shade by.
  function fitsRegionMap(result, settings) {
    const { cols } = unwrap(result);
    const rc = regionColumn(cols, settings);
    if (!rc) return false;
    return pickColumns(cols, Object.assign({}, settings, { "graph.dimensions": [rc.col.name] })).metrics.length > 0;
  }

  // shadeBands splits values into up to n bands holding about as many
  // values each, so that a few large values do not leave the rest pale:
  // [{min, max, next, last}], where a band holds min <= v < next (v <= max
  // for the last).
  function shadeBands(values, n) {
    const sorted = values.slice().sort((a, b) => a - b);
    if (!sorted.length) return [{ min: 0, max: 0, next: 0, last: true }];
    const edges = [sorted[0]];
    for (let i = 1; i < n; i++) {
      const q = sorted[Math.floor((i * sorted.length) / n)];
      if (q > edges[edges.length - 1]) edges.push(q);
    }
    return edges.map((lo, i) => {
      const last = i === edges.length - 1;
      const next = last ? sorted[sorted.length - 1] : edges[i + 1];
      const inside = sorted.filter((v) => v >= lo && (last ? v <= next : v < next));
      return { min: lo, max: inside[inside.length - 1], next: next, last: last };
    });
  }

  // renderRegionMap shades the countries of the world (map.region
  // "world_countries") or the US states ("us_states") by the first metric,
  // summed per region, in up to five bands of about as many regions each.
  // The region comes from the country or state column's semantic type
  // unless map.region says. Values match a region by code
  // (ISO 3166-1 alpha-2 or alpha-3, or the postal code of a state) or by
  // English name, ignoring case and accents; rows that match none are
  // counted in a note under the map. The shapes load on first use; the
  // handle's ready promise settles once the map is drawn.
  function renderRegionMap(ctx) {
    const { node, cols, rows, settings } = ctx;
    const rc = regionColumn(cols, settings);
    const metric = rc ? pickColumns(cols, Object.assign({}, settings, { "graph.dimensions": [rc.col.name] })).metrics[0] : null;
    if (!rc || !metric) {
      empty(node, "This map needs a country or state column and an amount.");
      return {};
    }
    const dim = rc.col;
    const di = cols.indexOf(dim);
    const mi = cols.indexOf(metric);
    const mopts = metricOpts(settings);
    const { chart, muted, border, base } = chartBase(ctx);
    const note = el("div", "viz-map-note");
    note.hidden = true;
    note.style.cssText = "flex:none;font-size:.78rem;color:" + muted + ";padding:2px 8px 0;";
    node.appendChild(note);
    const ready = loadShapes(rc.region).then((index) => {
      if (chart.isDisposed()) return;
      const regions = new Map();
      let unknown = 0;
      for (const r of rows) {
        const name = r[di] === null || r[di] === undefined ? undefined : index.get(regionKey(r[di]));
        if (!name) { unknown++; continue; }
        let g = regions.get(name);
        if (!g) { g = { name: name, value: 0, rows: [] }; regions.set(name, g); }
        g.value += toNumber(r[mi]) || 0;
        g.rows.push(r);
      }
      const data = Array.from(regions.values());
      note.textContent = unknown ? unknown.toLocaleString("en-US") + (unknown === 1 ? " row with an unknown region" : " rows with unknown regions") : "";
      note.hidden = !unknown;
      const copts = Object.assign({}, mopts, { compact: true });
      const bands = shadeBands(data.map((d) => d.value), 5);
      const pieces = bands.map((b) => {
        const label = format(b.min, metric, copts) + (b.min === b.max ? "" : " \u2013 " + format(b.max, metric, copts));
        return b.last ? { gte: b.min, lte: b.max, label: label } : { gte: b.min, lt: b.next, label: label };
      });
      const option = Object.assign(base, {
        visualMap: {
          type: "piecewise",
          pieces: pieces,
          showLabel: false,
          text: [format(bands[bands.length - 1].max, metric, copts), format(bands[0].min, metric, copts)],
          orient: "horizontal",
          left: "center",
          bottom: 0,
          itemWidth: 14,
          itemHeight: 10,
          itemGap: 8,
          inRange: { color: [colorFor(settings, metric.name, 0, ctx.pal)], colorAlpha: [0.3, 1] },
          textStyle: { color: muted, fontSize: 11 },
        },
        series: [{
          type: "map",
          map: "sightline-" + rc.region,
          name: title(metric),
          aspectScale: REGIONS[rc.region].aspect,
          roam: false,
          selectedMode: false,
          left: 8,
          right: 8,
          top: 8,
          bottom: 28,
          label: { show: false },
          itemStyle: { areaColor: border, borderColor: "#fff", borderWidth: 0.5 },
          emphasis: { label: { show: false }, itemStyle: { borderColor: muted, borderWidth: 1 } },
          data: data.map((d) => ({ name: d.name, value: d.value })),
        }],
      });
      option.tooltip.trigger = "item";
      option.tooltip.formatter = (p) => {
        const d = regions.get(p.name);
        return tooltipLine("", p.name, d ? format(d.value, metric, mopts) : EMPTY);
      };
      chart.setOption(option);
      chart.on("click", (p) => {
        const d = regions.get(p.name);
        if (!d) return;
        const r = d.rows[0];
        dispatchDrill(node, { column: metric, value: d.value, row: r, dimensions: [{ column: dim, value: r[di] }] }, p.event && p.event.event);
      });
    }).catch((err) => {
      if (chart.isDisposed()) return;
      chart.dispose();
      node.replaceChildren(el("div", "viz-error", "This map could not be drawn: " + (err && err.message ? err.message : String(err))));
    });
    return { chart, ready };
  }

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
    "map-pin": renderScatter,
    map: renderRegionMap,
    funnel: renderFunnel,
    waterfall: renderWaterfall,
    object: renderObject,
  };

  // added holds the renderers other scripts register (sankey.js,
  // pinmap.js); they take precedence over the built-in ones.
  const added = {};

  // KIT is what a registered renderer may use of this file, passed as
  // ctx.kit: the column tests, value formatting, the ECharts base,
  // tooltips, colours, drill events, empty states and the region maps'
  // shapes.
  const KIT = Object.freeze({
    el: el, format: format, title: title, toNumber: toNumber, isNumeric: isNumeric, isMeasure: isMeasure,
    chartBase: chartBase, tooltipLine: tooltipLine, colorFor: colorFor, dispatchDrill: dispatchDrill, empty: empty,
    metricOpts: metricOpts, dimOpts: dimOpts, loadShapes: loadShapes, regions: REGIONS,
  });

  // register adds a renderer for display, a function of the drawing
  // context {node, cols, rows, settings, display, pal, kit} that returns
  // {chart, ready?, resize?} like the built-in ones.
  function register(display, renderer) {
    if (typeof renderer !== "function") throw new Error("register needs a renderer function");
    added[display] = renderer;
  }

  // canonicalDisplay is Sightline's name for a visualization named either
  // way: the reference vendor's "scalar" and "smartscalar" are "number" and
  // "trend", and its "map" with "map.type" "pin" is "map-pin".
  function canonicalDisplay(display, settings) {
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
  // a broken chart.
  function render(node, result, settings) {
    const old = handles.get(node);
    if (old) old.dispose();
    settings = settings || {};
    const { cols, rows } = unwrap(result);
    let display = canonicalDisplay(settings.display, settings) || autoDisplay({ cols, rows });
    if (!added[display] && !RENDERERS[display]) display = "table";
    node.replaceChildren();
    node.classList.add("viz");
    node.dataset.display = display;
    const ctx = { node, cols, rows, settings, display, pal: palette(node), kit: KIT };
    let inner = {};
    if (!rows.length || !cols.length) {
      empty(node);
    } else {
      try {
        inner = (added[display] || RENDERERS[display])(ctx) || {};
      } catch (err) {
        const box = node.querySelector(".viz-chart");
        const stray = box && global.echarts && global.echarts.getInstanceByDom(box);
        if (stray) stray.dispose();
        node.replaceChildren(el("div", "viz-error", "This visualization could not be drawn: " + (err && err.message ? err.message : String(err))));
        if (global.console) global.console.error(err);
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
        frame = global.requestAnimationFrame(() => { frame = 0; resize(); });
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
        if (frame) global.cancelAnimationFrame(frame);
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

  global.SightlineViz = Object.freeze({
    render: render,
    autoDisplay: autoDisplay,
    canonicalDisplay: canonicalDisplay,
    fitsRegionMap: fitsRegionMap,
    format: format,
    register: register,
    displays: DISPLAYS.slice(),
    palette: PALETTE.slice(),
  });
})(window);
