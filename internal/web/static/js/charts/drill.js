// Sightline drill-through, shared by the question page and dashboards: the
// field references of the query wire format, ad-hoc question links, and the
// actions a click on a chart point, a bar, a slice, a table cell or a number
// offers (View these records, Filter by this value, Zoom in, Break out by,
// View details), each a new ad-hoc question built from the clicked
// question's query. The server runs every drilled question through the same
// permission and sandbox checks as any other, so a drill never widens what a
// person sees.

import { baseType } from "../expr/parser.js";
import { format } from "./format.js";
import { clone } from "../shared/values.js";
import { NUMERIC, TEMPORAL } from "../shared/types.js";

export const FINER = { year: "quarter", quarter: "month", month: "week", week: "day", day: "hour", hour: "minute" };

export function kindOf(base) {
  if (NUMERIC.includes(base)) return "number";
  if (TEMPORAL.includes(base)) return "date";
  if (base === "type/Boolean") return "bool";
  if (base === "type/Text") return "text";
  return "other";
}

// ---- ad-hoc question links ----

export function b64urlEncode(s) {
  const bytes = new TextEncoder().encode(s);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// adHocURL is the link of an unsaved question: /question?q=<base64url of
// {"dataset_query", "display", "visualization_settings"}>.
export function adHocURL(query, display, settings) {
  const state = { dataset_query: query, display: display || "", visualization_settings: settings || {} };
  return "/question?q=" + b64urlEncode(JSON.stringify(state));
}

// ---- field references ----

export function isRef(x, kind) { return Array.isArray(x) && x[0] === (kind || "field"); }
export function refOpts(r) { return (isRef(r) && r[2]) || {}; }

export function withOpts(r, add) {
  const o = Object.assign({}, refOpts(r), add);
  for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === null) delete o[k];
  return ["field", r[1], Object.keys(o).length ? o : null];
}

export function plainRef(r) {
  if (!isRef(r)) return r;
  return withOpts(r, { "temporal-unit": undefined, binning: undefined });
}

export function sameRef(a, b) { return JSON.stringify(plainRef(a)) === JSON.stringify(plainRef(b)); }

export function filterList(q) {
  const f = q && q.filter;
  if (!f) return [];
  return f[0] === "and" ? f.slice(1) : [f];
}

export function setFilters(q, list) {
  if (!list.length) delete q.filter;
  else q.filter = list.length === 1 ? list[0] : ["and"].concat(list);
}

export function addFilters(q, filters) {
  setFilters(q.query, filterList(q.query).concat(filters));
}

// guessBase is the type a custom column computes, from its formula and
// the columns before it (through the formula language where the page
// loads it); text when it cannot tell.
export function guessBase(e, cols) {
  {
    const b = baseType(e, cols || []);
    return b === "type/*" ? "type/Text" : b;
  }
  if (Array.isArray(e) && ["+", "-", "*", "/"].includes(e[0])) return "type/Float";
  if (Array.isArray(e) && e[0] === "concat") return "type/Text";
  if (typeof e === "number") return "type/Float";
  return "type/Text";
}

// columns lists the columns of a structured query's source: the table's
// fields, explicit join fields, fields reached through foreign keys
// ("Account → Plan") and custom columns. Each is {ref, label, base,
// semantic, id}. m is the database metadata (see metadata); a saved
// question as the source takes its columns from opts.cardCols, a Map of
// question id to result columns.
export function columns(m, q, opts) {
  opts = opts || {};
  const out = [];
  if (!q) return out;
  const src = q["source-table"];
  if (typeof src === "string" && src.startsWith("card__")) {
    for (const c of (opts.cardCols && opts.cardCols.get(+src.slice(6))) || []) {
      out.push({ ref: ["field", c.name, { "base-type": c.base_type }], label: c.display_name || c.name, base: c.base_type, semantic: c.semantic_type });
    }
  } else if (m && src) {
    const t = m.table(src);
    for (const f of (t && t.fields) || []) {
      if (f.visibility_type === "hidden") continue;
      out.push({ ref: ["field", f.id, null], label: f.display_name, base: f.base_type, semantic: f.semantic_type, id: f.id });
    }
    if (!opts.noJoins) {
      for (const j of q.joins || []) {
        const jt = typeof j["source-table"] === "number" ? m.table(j["source-table"]) : null;
        for (const f of (jt && jt.fields) || []) {
          out.push({ ref: ["field", f.id, { "join-alias": j.alias }], label: j.alias + " → " + f.display_name, base: f.base_type, semantic: f.semantic_type, id: f.id });
        }
      }
      for (const fk of (t && t.fields) || []) {
        if (!fk.fk_target_field_id) continue;
        const target = m.field(fk.fk_target_field_id);
        if (!target) continue;
        const via = fk.display_name.replace(/ ID$/i, "") || fk.display_name;
        for (const f of target.table.fields || []) {
          if (f.visibility_type === "hidden") continue;
          out.push({ ref: ["field", f.id, { "source-field": fk.id }], label: via + " → " + f.display_name, base: f.base_type, semantic: f.semantic_type, id: f.id, implicit: true });
        }
      }
    }
  }
  for (const name of Object.keys(q.expressions || {})) {
    out.push({ ref: ["expression", name], label: name, base: guessBase(q.expressions[name], out), semantic: "" });
  }
  return out;
}

// metadata indexes GET /api/database/ID/metadata: {tables, table(id),
// field(id)}; each field knows its table.
export function metadata(md) {
  const tables = (md.tables || []).filter((t) => t.visibility_type !== "hidden");
  const tById = new Map();
  const fById = new Map();
  for (const t of md.tables || []) {
    tById.set(t.id, t);
    for (const f of t.fields || []) fById.set(f.id, Object.assign({ table: t }, f));
  }
  return { tables, table: (id) => tById.get(id), field: (id) => fById.get(id) };
}

// ---- filters for clicked values ----

// dayText is a date value's calendar date as it came back: the first ten
// characters of "2024-03-01T00:00:00Z".
function dayText(v) { return String(v).slice(0, 10); }

function lastDay(y, m) { return new Date(Date.UTC(y, m, 0)).getUTCDate(); }

function pad2(n) { return String(n).padStart(2, "0"); }

// bucketFilter is the filter selecting one breakout value: a date range
// for a date bucket, a range for a bin, equality otherwise. width(ref,
// value) finds a bin's width when the reference does not say it.
export function bucketFilter(ref, value, width) {
  const o = refOpts(ref);
  if (value === null || value === undefined) return ["is-null", plainRef(ref)];
  const unit = o["temporal-unit"];
  if (unit && !unit.includes("-of-")) {
    const d = dayText(value);
    const [y, mo, day] = d.split("-").map(Number);
    switch (unit) {
      case "year": return ["between", plainRef(ref), y + "-01-01", y + "-12-31"];
      case "quarter": return ["between", plainRef(ref), d, y + "-" + pad2(mo + 2) + "-" + pad2(lastDay(y, mo + 2))];
      case "month": return ["between", plainRef(ref), d, y + "-" + pad2(mo) + "-" + pad2(lastDay(y, mo))];
      case "week": {
        const end = new Date(Date.UTC(y, mo - 1, day + 6));
        return ["between", plainRef(ref), d, end.toISOString().slice(0, 10)];
      }
      case "day": return ["=", plainRef(ref), d];
      default: return ["=", ref, String(value).replace(/Z$|[+-]\d\d:\d\d$/, "")];
    }
  }
  if (unit) return ["=", ref, value];
  if (o.binning) {
    const w = width ? width(ref, value) : 0;
    if (w) return ["and", [">=", plainRef(ref), value], ["<", plainRef(ref), value + w]];
  }
  return ["=", ref, value];
}

// ---- drill actions ----

// Drill answers clicks on one question's result. ctx is {query (the
// question's dataset_query), result (its API answer: {data: {cols,
// rows}}), meta (a promise of the database's metadata, or null), cardCols
// (see columns)}.
function Drill(ctx) {
  this.ctx = ctx;
}

Drill.prototype.sq = function () { return this.ctx.query && this.ctx.query.query; };

Drill.prototype.baseQuery = function () {
  const q = clone(this.ctx.query);
  delete q.native;
  if (q.parameters && !q.parameters.length) delete q.parameters;
  return q;
};

// binWidth finds a binned breakout's width: its own setting, or the
// smallest gap between the values in the result.
Drill.prototype.binWidth = function (ref) {
  const b = refOpts(ref).binning;
  if (b && b.strategy === "bin-width") return b["bin-width"];
  const data = this.ctx.result.data;
  const i = data.cols.findIndex((c) => c.source === "breakout" && c.binning_info === undefined && c.id === ref[1]);
  const vals = [...new Set(data.rows.map((r) => r[i]).filter((v) => typeof v === "number"))].sort((a, b) => a - b);
  let w = 0;
  for (let k = 1; k < vals.length; k++) { const g = vals[k] - vals[k - 1]; if (g > 0 && (!w || g < w)) w = g; }
  return w;
};

Drill.prototype.bucket = function (ref, value) {
  return bucketFilter(ref, value, (r) => this.binWidth(r));
};

// breakoutRef finds the query breakout behind a result column.
Drill.prototype.breakoutRef = function (col) {
  const q = this.sq();
  const cols = this.ctx.result.data.cols.filter((c) => c.source === "breakout");
  const i = cols.findIndex((c) => c === col || (c.name === col.name && c.display_name === col.display_name));
  return i >= 0 ? (q.breakout || [])[i] : null;
};

Drill.prototype.dimFilters = function (dims) {
  const out = [];
  for (const d of dims || []) {
    const ref = this.breakoutRef(d.column);
    if (ref) out.push(this.bucket(ref, d.value));
  }
  return out;
};

Drill.prototype.columnRef = function (col) {
  if (col.source === "breakout") return this.breakoutRef(col);
  if (col.source === "aggregation") return null;
  if (col.id) return ["field", col.id, null];
  if (col.source === "expression") return ["expression", col.name];
  return null;
};

// actions lists what a click offers. Each action is {label, id, query,
// display} for a new question, or {label, id, sub} whose sub() lists
// further {label, query, display}. A SQL question offers none: its
// columns are not references the drilled question could filter.
Drill.prototype.actions = async function (detail) {
  const acts = [];
  const ctx = this.ctx;
  const q = this.sq();
  if (!ctx.query || ctx.query.type === "native" || !q || !ctx.result) return acts;
  const col = detail.column || {};
  const dims = detail.dimensions || [];
  const summarized = (q.aggregation || []).length > 0 || (q.breakout || []).length > 0;
  const m = ctx.meta ? await Promise.resolve(ctx.meta).catch(() => null) : null;
  if (summarized && (col.source === "aggregation" || dims.length)) {
    const n = this.baseQuery();
    delete n.query.aggregation;
    delete n.query.breakout;
    delete n.query["order-by"];
    delete n.query.limit;
    addFilters(n, this.dimFilters(dims));
    acts.push({ label: "View these records", id: "drill-underlying", query: n, display: "table" });
  }
  const ref = this.columnRef(col);
  const value = detail.value;
  if (ref && col.source !== "aggregation") {
    const n = this.baseQuery();
    addFilters(n, [col.source === "breakout" ? this.bucket(ref, value) : value === null ? ["is-null", ref] : ["=", ref, value]]);
    acts.push({ label: "Filter by this value", id: "drill-filter", query: n, display: "" });
  }
  const withRef = dims.map((d) => ({ d, ref: this.breakoutRef(d.column) })).filter((x) => x.ref);
  const dateDim = withRef.find((x) => FINER[refOpts(x.ref)["temporal-unit"]]);
  const binDim = withRef.find((x) => refOpts(x.ref).binning);
  if (dateDim) {
    const n = this.baseQuery();
    const unit = refOpts(dateDim.ref)["temporal-unit"];
    n.query.breakout = n.query.breakout.map((b) => JSON.stringify(b) === JSON.stringify(dateDim.ref) ? withOpts(b, { "temporal-unit": FINER[unit] }) : b);
    addFilters(n, [this.bucket(dateDim.ref, dateDim.d.value)]);
    acts.push({ label: "Zoom in", id: "drill-zoom", query: n, display: "" });
  } else if (binDim) {
    const n = this.baseQuery();
    addFilters(n, [this.bucket(binDim.ref, binDim.d.value)]);
    acts.push({ label: "Zoom in", id: "drill-zoom", query: n, display: "" });
  }
  if (summarized && dims.length) {
    acts.push({ label: "Break out by…", id: "drill-breakout", sub: () => {
      const cols = columns(m, q, { cardCols: ctx.cardCols }).filter((c) => !(q.breakout || []).some((b) => sameRef(b, c.ref)));
      return cols.map((c) => {
        const n = this.baseQuery();
        addFilters(n, this.dimFilters(dims));
        n.query.breakout = [kindOf(c.base) === "date" ? withOpts(c.ref, { "temporal-unit": "month" }) : c.ref];
        delete n.query["order-by"];
        return { label: c.label, query: n, display: "" };
      });
    } });
  }
  if ((col.semantic_type === "type/PK" || col.semantic_type === "type/FK") && value !== null && value !== undefined && m && col.id) {
    const f = m.field(col.id);
    const pk = col.semantic_type === "type/FK" && f && f.fk_target_field_id ? m.field(f.fk_target_field_id) : f;
    if (pk) {
      acts.push({ label: "View details", id: "drill-details", display: "table",
        query: { database: ctx.query.database, type: "query", query: { "source-table": pk.table.id, filter: ["=", ["field", pk.id, null], value] } } });
    }
  }
  return acts;
};

// ---- the menu ----

function button(cls, text, onclick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = cls;
  b.setAttribute("role", "menuitem");
  b.textContent = text;
  b.addEventListener("click", onclick);
  return b;
}

function div(cls, text) {
  const d = document.createElement("div");
  d.className = cls;
  if (text !== undefined) d.textContent = text;
  return d;
}

// heading describes the clicked value: "March 2024 · Sum of Payment: 1,234".
export function heading(detail) {
  const fmt = (v, c) => (format(v, c, {}));
  const where = (detail.dimensions || []).map((d) => fmt(d.value, d.column)).join(", ");
  const col = detail.column;
  return (where ? where + " · " : "") + (col ? (col.display_name || col.name) + ": " + fmt(detail.value, col) : "");
}

export function closeMenu(menu) {
  menu.hidden = true;
  menu.replaceChildren();
}

// showMenu fills menu (a .drill-menu element) with acts at the click's
// position; go(query, display) opens the chosen question. extra lists
// more {label, id, run} entries shown first (a card's click behavior).
export function showMenu(menu, detail, acts, go, extra) {
  closeMenu(menu);
  extra = extra || [];
  if (!acts.length && !extra.length) return false;
  menu.append(div("drill-head", heading(detail)));
  for (const x of extra) {
    const b = button("drill-item", x.label, (e) => { e.stopPropagation(); x.run(); });
    if (x.id) b.id = x.id;
    menu.append(b);
  }
  for (const a of acts) {
    const b = button("drill-item", a.label, (e) => {
      e.stopPropagation();
      if (!a.sub) { go(a.query, a.display); return; }
      const list = div("drill-list");
      for (const s of a.sub()) list.append(button("drill-item", s.label, () => go(s.query, s.display)));
      menu.replaceChildren(div("drill-head", "Break out by"), list);
    });
    b.id = a.id;
    menu.append(b);
  }
  const x = detail.clientX || 100;
  const y = detail.clientY || 100;
  menu.style.left = Math.max(0, Math.min(x, window.innerWidth - 260)) + "px";
  menu.style.top = Math.max(0, Math.min(y + 8, window.innerHeight - 200)) + "px";
  menu.hidden = false;
  return true;
}

// drill makes the drill-through of one question's result; see Drill.
export function drill(ctx) { return new Drill(ctx); }
