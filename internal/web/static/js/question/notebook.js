// Sightline's question page: the notebook editor (data, joins, custom
// columns, filters, summaries, sort, limit), the SQL editor with
// {{variables}}, the result drawn by charts/viz.js with a visualization
// picker, drill-through into new ad-hoc questions, saving and downloads.
//
// The question is kept in the query wire format (the same JSON the API
// takes), so what the editor shows, what runs and what is saved or put in a
// link are one object. Ad-hoc questions live in the URL as
// /question?q=<base64url of {"dataset_query", "display",
// "visualization_settings"}>; /question#<same> is read too.

import * as X from "../expr/parser.js";
import * as ExprEditor from "../expr/editor.js";
import * as Viz from "../charts/viz.js";
import { attach } from "../charts/settings.js";
import { kindOf, adHocURL, isRef, refOpts, withOpts, sameRef, filterList, setFilters } from "../charts/drill.js";
import * as D from "../charts/drill.js";
import { api } from "../shared/api.js";
import { elem } from "../shared/dom.js";
import { clone, slug } from "../shared/values.js";

const $ = (id) => document.getElementById(id);

const UNITS = ["minute", "hour", "day", "week", "month", "quarter", "year", "day-of-week", "month-of-year"];
const AGGS = [
  ["count", "Count of rows", false], ["distinct", "Number of distinct values of", true], ["sum", "Sum of", true],
  ["avg", "Average of", true], ["min", "Minimum of", true], ["max", "Maximum of", true],
  ["cum-count", "Cumulative count of rows", false], ["cum-sum", "Cumulative sum of", true],
];
const AGG_NAMES = { count: "Count", distinct: "Distinct values of", sum: "Sum of", avg: "Average of", min: "Min of",
  max: "Max of", "cum-count": "Cumulative count", "cum-sum": "Cumulative sum of", median: "Median of", percentile: "Percentile of" };

function humanize(s) {
  return String(s).replace(/[_\-.]+/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").trim().toLowerCase()
    .replace(/\b\w/g, (c) => c.toUpperCase()).replace(/\bId\b/g, "ID");
}

function unitLabel(u) { return humanize(u).replace("Of", "of"); }
// ---- encoding of ad-hoc questions ----

function b64urlDecode(s) {
  s = s.replace(/-/g, "+").replace(/_/g, "/");
  while (s.length % 4) s += "=";
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}

// ---- state ----

const S = {
  mode: "new",
  card: null,
  query: null,
  display: "",
  settings: {},
  dirty: false,
  databases: [],
  meta: new Map(), // database id -> {tables, table(id), field(id)}
  cardCols: new Map(), // saved question id -> result columns
  editing: null, // {step, index} of the open inline editor
  preview: null, // {step, node} of the open step preview
  result: null,
  handle: null,
  actionButtons: true,
};

function sq() { return S.query && S.query.query; }
function isNative() { return S.query && S.query.type === "native"; }

function changed() {
  S.dirty = true;
  // A preview shows the question as it was: a change closes it.
  S.preview = null;
  // A saved question the person may not overwrite offers Save (as a
  // copy) once it is changed.
  const b = $("save-button");
  if (b && b.hasAttribute("data-when-modified")) b.hidden = false;
}

// ---- metadata ----

async function loadDatabases() {
  const res = await api("GET", "/api/database");
  S.databases = (res && res.data) || [];
}

async function meta(dbID) {
  if (!dbID) return null;
  if (S.meta.has(dbID)) return S.meta.get(dbID);
  const m = D.metadata(await api("GET", "/api/database/" + dbID + "/metadata"));
  S.meta.set(dbID, m);
  return m;
}

async function cardColumns(cardID) {
  if (S.cardCols.has(cardID)) return S.cardCols.get(cardID);
  const res = await api("POST", "/api/dataset", { database: S.query.database, type: "query", query: { "source-table": "card__" + cardID, limit: 1 } });
  const cols = (res && res.data && res.data.cols) || [];
  S.cardCols.set(cardID, cols);
  return cols;
}

// ---- field references ----

// columns lists what a step can pick (see SightlineDrill.columns), with
// the columns of saved questions used as a source.
function columns(m, q, opts) {
  return D.columns(m, q, Object.assign({ cardCols: S.cardCols }, opts));
}

function findCol(cols, r) {
  if (isRef(r, "expression")) return cols.find((c) => isRef(c.ref, "expression") && c.ref[1] === r[1]);
  return cols.find((c) => isRef(c.ref) && sameRef(c.ref, r));
}

function refLabel(cols, r) {
  if (isRef(r, "aggregation")) return aggLabel(cols, (sq().aggregation || [])[r[1]]);
  const c = findCol(cols, r);
  let s = c ? c.label : isRef(r) ? String(r[1]) : "?";
  const o = refOpts(r);
  if (o["temporal-unit"]) s += ": " + unitLabel(o["temporal-unit"]);
  if (o.binning) s += ": " + (o.binning.strategy === "bin-width" ? "bins of " + o.binning["bin-width"] : (o.binning["num-bins"] || "auto") + " bins");
  return s;
}

function aggLabel(cols, a) {
  if (!a) return "?";
  if (a[0] === "aggregation-options") return (a[2] && a[2]["display-name"]) || aggLabel(cols, a[1]);
  if (!AGG_NAMES[a[0]]) return formatExpression(a, cols);
  const name = AGG_NAMES[a[0]];
  if (a[0] === "count" || (a[0] === "cum-count" && a.length < 2)) return name;
  return name + " " + refLabel(cols, a[1]);
}

// ---- filters ----

const OPS = {
  text: [["=", "Is"], ["!=", "Is not"], ["contains", "Contains"], ["does-not-contain", "Does not contain"],
    ["starts-with", "Starts with"], ["ends-with", "Ends with"], ["is-empty", "Is empty"], ["not-empty", "Not empty"]],
  number: [["=", "Equal to"], ["!=", "Not equal to"], [">", "Greater than"], ["<", "Less than"],
    ["between", "Between"], ["is-null", "Is empty"], ["not-null", "Not empty"]],
  date: [["previous", "Previous"], ["next", "Next"], ["current", "Current"], ["between", "Between"],
    ["=", "On"], ["<", "Before"], [">", "After"], ["is-null", "Is empty"], ["not-null", "Not empty"]],
  bool: [["=", "Is"], ["is-null", "Is empty"], ["not-null", "Not empty"]],
  other: [["=", "Is"], ["!=", "Is not"], ["is-null", "Is empty"], ["not-null", "Not empty"]],
};

// filterParts reads a filter clause into {op, ref, values} for the editor.
function filterParts(f) {
  if (f[0] === "time-interval") {
    const n = f[2];
    if (n === "current") return { op: "current", ref: f[1], values: [], unit: f[3] };
    const num = n === "last" ? -1 : n === "next" ? 1 : +n;
    return { op: num < 0 ? "previous" : "next", ref: f[1], values: [Math.abs(num)], unit: f[3] };
  }
  return { op: f[0], ref: f[1], values: f.slice(2).filter((v) => !(v && typeof v === "object" && !Array.isArray(v))) };
}

function buildFilter(op, ref, values, unit) {
  switch (op) {
    case "previous": return ["time-interval", ref, -Math.max(1, parseInt(values[0], 10) || 1), unit || "day"];
    case "next": return ["time-interval", ref, Math.max(1, parseInt(values[0], 10) || 1), unit || "day"];
    case "current": return ["time-interval", ref, "current", unit || "day"];
    case "is-empty": case "not-empty": case "is-null": case "not-null": return [op, ref];
    case "contains": case "does-not-contain": case "starts-with": case "ends-with":
      return [op, ref, values[0], { "case-sensitive": false }];
    case "between": return ["between", ref, values[0], values[1]];
    default: return [op, ref].concat(values);
  }
}

function describeFilter(cols, f) {
  if (f[0] === "and" || f[0] === "or" || f[0] === "not") return "Custom filter";
  const p = filterParts(f);
  const c = findCol(cols, p.ref);
  const kind = c ? kindOf(c.base) : "other";
  const ops = OPS[kind] || OPS.other;
  const opLabel = (ops.find((o) => o[0] === p.op) || [p.op, p.op])[1];
  const label = refLabel(cols, p.ref);
  if (p.op === "previous" || p.op === "next") return label + " " + opLabel.toLowerCase() + " " + p.values[0] + " " + unitLabel(p.unit).toLowerCase() + (p.values[0] === 1 ? "" : "s");
  if (p.op === "current") return label + " is this " + unitLabel(p.unit).toLowerCase();
  if (p.op === "between") return label + " between " + p.values[0] + " and " + p.values[1];
  if (!p.values.length) return label + " " + opLabel.toLowerCase();
  return label + " " + opLabel.toLowerCase() + " " + p.values.join(", ");
}

// ---- custom column expressions ----

// Formulas of custom columns and metrics are read and written by
// the expression language (expr/parser.js), typed into its editor (expr/editor.js).
function formatExpression(e, cols) {
  return X.format(e, cols);
}

// ---- the notebook ----

function select(attrs, options, value) {
  const s = elem("select", attrs);
  for (const o of options) {
    if (o.group) {
      const g = elem("optgroup", { label: o.group });
      for (const x of o.options) g.append(elem("option", { value: x.value, text: x.label }));
      s.append(g);
    } else {
      s.append(elem("option", { value: o.value, text: o.label }));
    }
  }
  if (value !== undefined) s.value = value;
  return s;
}

function colOptions(cols) {
  const own = [];
  const groups = new Map();
  cols.forEach((c, i) => {
    const arrow = c.label.indexOf(" → ");
    if (arrow > 0 && !isRef(c.ref, "expression")) {
      const g = c.label.slice(0, arrow);
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push({ value: String(i), label: c.label });
    } else {
      own.push({ value: String(i), label: c.label });
    }
  });
  return own.concat([...groups].map(([g, options]) => ({ group: g, options })));
}

function step(id, title, body, addLabel, onAdd) {
  return elem("div", { class: "nb-step", id: "step-" + id },
    elem("div", { class: "nb-step-title", text: title }),
    elem("div", { class: "nb-step-body" }, body,
      addLabel ? elem("button", { type: "button", class: "nb-add", id: "add-" + id, text: addLabel, onclick: onAdd }) : null));
}

function pill(text, onEdit, onRemove, cls) {
  return elem("span", { class: "nb-pill " + (cls || "") },
    elem("button", { type: "button", class: "nb-pill-text", text: text, onclick: onEdit }),
    onRemove ? elem("button", { type: "button", class: "nb-pill-x", "aria-label": "Remove " + text, text: "×", onclick: onRemove }) : null);
}

function open(stepName, index) {
  S.editing = { step: stepName, index: index };
  renderNotebook();
}

function closeEditor() {
  S.editing = null;
  renderNotebook();
}

function editing(stepName, index) {
  return S.editing && S.editing.step === stepName && S.editing.index === index;
}

function editorBox(title, fields, onDone, doneLabel) {
  const err = elem("div", { class: "nb-error", role: "alert", hidden: true });
  const box = elem("form", { class: "nb-editor" },
    elem("div", { class: "nb-editor-title", text: title }), fields, err,
    elem("div", { class: "nb-editor-actions" },
      elem("button", { type: "button", class: "btn btn-small", text: "Cancel", onclick: closeEditor }),
      elem("button", { type: "submit", class: "btn btn-small btn-primary nb-done", text: doneLabel || "Done" })));
  box.addEventListener("submit", (ev) => {
    ev.preventDefault();
    try {
      onDone();
      S.editing = null;
      changed();
      renderNotebook();
    } catch (e) {
      err.textContent = e.message;
      err.hidden = false;
    }
  });
  return box;
}

async function renderNotebook() {
  const nb = $("notebook");
  if (!nb || isNative()) return;
  const q = sq();
  const m = await meta(S.query.database);
  const src = q && q["source-table"];
  if (typeof src === "string" && src.startsWith("card__")) {
    try { await cardColumns(+src.slice(6)); } catch (e) { showError(e.message); }
  }
  const cols = columns(m, q);
  const parts = [dataStep(m)];
  if (src) {
    parts.push(joinStep(m, q, cols), expressionStep(q, cols), filterStep(q, cols), summarizeStep(q, cols), sortStep(q, cols), limitStep(q));
    for (const p of parts) withPreview(p);
  }
  nb.replaceChildren(...parts);
  const first = nb.querySelector(".nb-editor select, .nb-editor input");
  if (first && S.editing && S.editing.focus !== false) first.focus();
}

function dataStep(m) {
  const q = sq() || {};
  const dbSel = select({ id: "nb-database", "aria-label": "Database" },
    [{ value: "", label: "Pick a database" }].concat(S.databases.map((d) => ({ value: String(d.id), label: d.name }))),
    S.query.database ? String(S.query.database) : "");
  dbSel.addEventListener("change", () => {
    S.query = { database: +dbSel.value || null, type: "query", query: {} };
    S.editing = null;
    changed();
    renderNotebook();
  });
  const tables = m ? m.tables.slice().sort((a, b) => a.display_name.localeCompare(b.display_name)) : [];
  const src = q["source-table"];
  const tableSel = select({ id: "nb-table", "aria-label": "Table" },
    [{ value: "", label: m ? "Pick a table" : "—" }].concat(tables.map((t) => ({ value: String(t.id), label: t.display_name }))),
    typeof src === "number" ? String(src) : "");
  tableSel.disabled = !m;
  tableSel.addEventListener("change", () => {
    S.query.query = tableSel.value ? { "source-table": +tableSel.value } : {};
    S.editing = null;
    changed();
    renderNotebook();
  });
  const cardSearch = elem("input", { type: "search", id: "nb-card-search", placeholder: "or search saved questions…", "aria-label": "Search saved questions" });
  const found = elem("div", { class: "nb-card-results" });
  let timer = 0;
  cardSearch.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = cardSearch.value.trim();
      if (!text) { found.replaceChildren(); return; }
      const res = await api("GET", "/api/search?models=card&q=" + encodeURIComponent(text));
      found.replaceChildren(...(res.data || []).filter((c) => !S.query.database || c.database_id === S.query.database).slice(0, 12).map((c) =>
        elem("button", { type: "button", class: "linklike", text: c.name, onclick: () => {
          S.query = { database: c.database_id || S.query.database, type: "query", query: { "source-table": "card__" + c.id } };
          changed();
          renderNotebook();
        } })));
    }, 200);
  });
  let label = null;
  if (typeof src === "string") label = elem("span", { class: "nb-pill nb-source" }, "Saved question #" + src.slice(6));
  return elem("div", { class: "nb-step", id: "step-data" },
    elem("div", { class: "nb-step-title", text: "Data" }),
    elem("div", { class: "nb-step-body nb-data" }, dbSel, tableSel, label, cardSearch, found));
}

function joinStep(m, q, cols) {
  const joins = q.joins || [];
  const own = columns(m, q, { noJoins: true });
  const body = elem("div", { class: "nb-items" });
  joins.forEach((j, i) => {
    if (editing("join", i)) { body.append(joinEditor(m, q, own, i)); return; }
    const t = typeof j["source-table"] === "number" ? m.table(j["source-table"]) : null;
    const cond = j.condition || [];
    const text = (j.strategy || "left-join").replace("-join", "") + " join " + (t ? t.display_name : j.alias) + " on " +
      refLabel(own, cond[1]) + " = " + (t && isRef(cond[2]) ? ((m.field(cond[2][1]) || {}).display_name || "?") : "?");
    body.append(pill(text, () => open("join", i), () => { joins.splice(i, 1); if (!joins.length) delete q.joins; changed(); renderNotebook(); }));
  });
  if (editing("join", joins.length)) body.append(joinEditor(m, q, own, joins.length));
  return step("join", "Join data", body, "+ Join", () => open("join", joins.length));
}

function joinEditor(m, q, own, i) {
  const j = (q.joins || [])[i] || {};
  const tables = m.tables.filter((t) => t.id !== q["source-table"]);
  const tSel = select({ class: "nb-join-table", "aria-label": "Table to join" }, tables.map((t) => ({ value: String(t.id), label: t.display_name })), j["source-table"] ? String(j["source-table"]) : undefined);
  const strat = select({ "aria-label": "Join type" }, [["left-join", "Left join"], ["inner-join", "Inner join"], ["right-join", "Right join"], ["full-join", "Full join"]].map(([v, l]) => ({ value: v, label: l })), j.strategy || "left-join");
  const left = select({ class: "nb-join-left", "aria-label": "Column of the data" }, colOptions(own));
  const right = elem("select", { class: "nb-join-right", "aria-label": "Column of the joined table" });
  const fillRight = () => {
    const t = m.table(+tSel.value);
    right.replaceChildren(...((t && t.fields) || []).map((f) => elem("option", { value: String(f.id), text: f.display_name })));
    // Guess the condition: a foreign key of the source pointing at the joined table's key.
    const fk = own.findIndex((c) => c.id && (m.field(c.id) || {}).fk_target_field_id && m.field(m.field(c.id).fk_target_field_id).table.id === +tSel.value);
    if (fk >= 0 && !j.condition) {
      left.value = String(fk);
      right.value = String(m.field(own[fk].id).fk_target_field_id);
    }
  };
  tSel.addEventListener("change", fillRight);
  fillRight();
  if (j.condition) {
    const li = own.findIndex((c) => sameRef(c.ref, j.condition[1]));
    if (li >= 0) left.value = String(li);
    if (isRef(j.condition[2])) right.value = String(j.condition[2][1]);
  }
  return editorBox("Join", [elem("label", null, "Table ", tSel), elem("label", null, "Type ", strat),
    elem("div", { class: "nb-row" }, left, elem("span", { text: "=" }), right)], () => {
    const t = m.table(+tSel.value);
    if (!t) throw new Error("Pick a table to join.");
    const taken = (q.joins || []).filter((x, k) => k !== i).map((x) => x.alias);
    let alias = t.display_name;
    for (let n = 2; taken.includes(alias); n++) alias = t.display_name + " " + n;
    const join = { "source-table": t.id, alias: alias, strategy: strat.value, fields: "all",
      condition: ["=", own[+left.value].ref, ["field", +right.value, { "join-alias": alias }]] };
    q.joins = q.joins || [];
    q.joins[i] = join;
  });
}

function expressionStep(q, cols) {
  const names = Object.keys(q.expressions || {});
  const body = elem("div", { class: "nb-items" });
  names.forEach((name, i) => {
    if (editing("expression", i)) { body.append(expressionEditor(q, cols, name, i)); return; }
    body.append(pill(name + " = " + formatExpression(q.expressions[name], cols), () => open("expression", i), () => {
      delete q.expressions[name];
      if (!Object.keys(q.expressions).length) delete q.expressions;
      changed();
      renderNotebook();
    }));
  });
  if (editing("expression", names.length)) body.append(expressionEditor(q, cols, "", names.length));
  return step("expression", "Custom column", body, "+ Custom column", () => open("expression", names.length));
}

function expressionEditor(q, cols, name, i) {
  const usable = cols.filter((c) => !(isRef(c.ref, "expression") && c.ref[1] === name));
  const formula = ExprEditor.create({ columns: usable, mode: "expression", placeholder: "[Payment] * 1.2 or concat([Plan], \" plan\")", value: name ? formatExpression(q.expressions[name], cols) : "" });
  const nameIn = elem("input", { class: "nb-expr-name", "aria-label": "Column name", placeholder: "Name", value: name });
  const hint = elem("div", { class: "muted small", text: "Type a function or [ for a column: case, concat, round, datetimeDiff, regexExtract… (see Expressions in the docs)" });
  return editorBox("Custom column", [formula.element, hint, nameIn], () => {
    const n = nameIn.value.trim();
    if (!n) throw new Error("Give the column a name.");
    const e = formula.read();
    const next = {};
    for (const [k, v] of Object.entries(q.expressions || {})) next[k === name ? n : k] = k === name ? e : v;
    if (!name) next[n] = e;
    q.expressions = next;
  });
}

function filterStep(q, cols) {
  const list = filterList(q);
  const body = elem("div", { class: "nb-items" });
  list.forEach((f, i) => {
    if (editing("filter", i)) { body.append(filterEditor(q, cols, i)); return; }
    body.append(pill(describeFilter(cols, f), () => open("filter", i), () => { list.splice(i, 1); setFilters(q, list); changed(); renderNotebook(); }, "nb-filter"));
  });
  if (editing("filter", list.length)) body.append(filterEditor(q, cols, list.length));
  return step("filter", "Filter", body, "+ Add filter", () => open("filter", list.length));
}

function filterEditor(q, cols, i) {
  const list = filterList(q);
  const cur = list[i] ? filterParts(list[i]) : null;
  const colSel = select({ class: "nb-filter-column", "aria-label": "Column to filter" }, colOptions(cols));
  if (cur) {
    const ci = cols.findIndex((c) => sameRef(c.ref, cur.ref) || (isRef(cur.ref, "expression") && isRef(c.ref, "expression") && c.ref[1] === cur.ref[1]));
    if (ci >= 0) colSel.value = String(ci);
  }
  const opSel = elem("select", { class: "nb-filter-op", "aria-label": "Operator" });
  const vals = elem("div", { class: "nb-values" });
  const col = () => cols[+colSel.value];
  const fillOps = () => {
    const ops = OPS[kindOf(col().base)] || OPS.other;
    opSel.replaceChildren(...ops.map(([v, l]) => elem("option", { value: v, text: l })));
    if (cur && ops.some((o) => o[0] === cur.op)) opSel.value = cur.op;
    fillValues();
  };
  const fillValues = () => {
    const c = col();
    const kind = kindOf(c.base);
    const op = opSel.value;
    const initial = cur && cur.op === op ? cur.values : [];
    vals.replaceChildren();
    if (["is-empty", "not-empty", "is-null", "not-null"].includes(op)) return;
    if (op === "previous" || op === "next" || op === "current") {
      if (op !== "current") vals.append(elem("input", { type: "number", min: "1", class: "nb-value", "aria-label": "How many", value: initial[0] || 30 }));
      const unit = select({ class: "nb-unit", "aria-label": "Unit" }, ["minute", "hour", "day", "week", "month", "quarter", "year"].map((u) => ({ value: u, label: unitLabel(u) + (op === "current" ? "" : "s") })), (cur && cur.unit) || "day");
      vals.append(unit);
      return;
    }
    const type = kind === "number" ? "number" : kind === "date" ? "date" : "text";
    const n = op === "between" ? 2 : 1;
    if (kind === "bool") {
      vals.append(select({ class: "nb-value", "aria-label": "Value" }, [{ value: "true", label: "True" }, { value: "false", label: "False" }], String(initial[0] !== false)));
      return;
    }
    for (let k = 0; k < n; k++) {
      vals.append(elem("input", { type: type, class: "nb-value", "aria-label": k ? "And" : "Value", value: initial[k] === undefined ? "" : initial[k], step: type === "number" ? "any" : null, list: "nb-values-list" }));
    }
    // Category columns offer their values.
    if ((op === "=" || op === "!=") && c.id && kind === "text") {
      api("GET", "/api/field/" + c.id + "/values").then((res) => {
        const list = elem("datalist", { id: "nb-values-list" }, ...(res.values || []).map((v) => elem("option", { value: String(v[0]) })));
        vals.append(list);
        if ((res.values || []).length && (res.values || []).length <= 30) {
          vals.append(elem("div", { class: "nb-chips" }, ...(res.values || []).map((v) => elem("button", { type: "button", class: "nb-chip", text: String(v[0]), onclick: () => { vals.querySelector(".nb-value").value = String(v[0]); } }))));
        }
      }).catch(() => {});
    }
  };
  colSel.addEventListener("change", () => { fillOps(); });
  opSel.addEventListener("change", fillValues);
  fillOps();
  return editorBox("Filter", [colSel, opSel, vals], () => {
    const c = col();
    const kind = kindOf(c.base);
    const op = opSel.value;
    const inputs = [...vals.querySelectorAll(".nb-value")].map((x) => x.value);
    const unit = vals.querySelector(".nb-unit");
    let values = inputs;
    if (kind === "number") values = inputs.map((v) => { if (v === "" || isNaN(+v)) throw new Error("Type a number."); return +v; });
    else if (kind === "bool") values = inputs.map((v) => v === "true");
    else if (op !== "previous" && op !== "next" && op !== "current" && inputs.some((v) => v === "")) throw new Error("Type a value.");
    if ((op === "=" || op === "!=") && kind === "text") values = inputs[0].split(",").map((v) => v.trim()).filter(Boolean);
    const f = buildFilter(op, c.ref, values, unit && unit.value);
    const next = filterList(q);
    next[i] = f;
    setFilters(q, next);
  }, cur ? "Update filter" : "Add filter");
}

function summarizeStep(q, cols) {
  const aggs = q.aggregation || [];
  const brs = q.breakout || [];
  const metrics = elem("div", { class: "nb-items" });
  aggs.forEach((a, i) => {
    if (editing("metric", i)) { metrics.append(metricEditor(q, cols, i)); return; }
    metrics.append(pill(aggLabel(cols, a), () => open("metric", i), () => { aggs.splice(i, 1); if (!aggs.length) delete q.aggregation; dropAggSorts(q); changed(); renderNotebook(); }, "nb-metric"));
  });
  if (editing("metric", aggs.length)) metrics.append(metricEditor(q, cols, aggs.length));
  metrics.append(elem("button", { type: "button", class: "nb-add", id: "add-metric", text: "+ Metric", onclick: () => open("metric", aggs.length) }));
  const groups = elem("div", { class: "nb-items" });
  brs.forEach((b, i) => {
    if (editing("breakout", i)) { groups.append(breakoutEditor(q, cols, i)); return; }
    groups.append(pill(refLabel(cols, b), () => open("breakout", i), () => { brs.splice(i, 1); if (!brs.length) delete q.breakout; changed(); renderNotebook(); }, "nb-breakout"));
  });
  if (editing("breakout", brs.length)) groups.append(breakoutEditor(q, cols, brs.length));
  groups.append(elem("button", { type: "button", class: "nb-add", id: "add-breakout", text: "+ Group by", onclick: () => open("breakout", brs.length) }));
  return elem("div", { class: "nb-step", id: "step-summarize" },
    elem("div", { class: "nb-step-title", text: "Summarize" }),
    elem("div", { class: "nb-step-body nb-summarize" },
      elem("div", { class: "nb-half" }, elem("div", { class: "muted small", text: "Metrics" }), metrics),
      elem("div", { class: "nb-by muted", text: "by" }),
      elem("div", { class: "nb-half" }, elem("div", { class: "muted small", text: "Group by" }), groups)));
}

function dropAggSorts(q) {
  if (!q["order-by"]) return;
  q["order-by"] = q["order-by"].filter((o) => !isRef(o[1], "aggregation") || o[1][1] < (q.aggregation || []).length);
  if (!q["order-by"].length) delete q["order-by"];
}

function metricEditor(q, cols, i) {
  const a = (q.aggregation || [])[i];
  const custom = a && !AGGS.some((x) => x[0] === a[0]);
  const opSel = select({ class: "nb-agg-op", "aria-label": "Metric" }, AGGS.map(([v, l]) => ({ value: v, label: l })).concat([{ value: "formula", label: "Custom expression" }]), custom ? "formula" : a ? a[0] : "count");
  const formula = ExprEditor.create({ columns: cols, mode: "aggregation", label: "Metric formula", placeholder: "CountIf([Total] > 100) or StandardDeviation([Total])", value: custom ? formatExpression(a, cols) : "" });
  const nums = cols.filter((c) => kindOf(c.base) === "number");
  const colSel = elem("select", { class: "nb-agg-column", "aria-label": "Column" });
  const fill = () => {
    formula.element.hidden = opSel.value !== "formula";
    const need = opSel.value !== "formula" && AGGS.find((x) => x[0] === opSel.value)[2];
    const pool = opSel.value === "distinct" || opSel.value === "min" || opSel.value === "max" ? cols : nums;
    colSel.replaceChildren(...colOptions(pool).map((o) => o.group ? elem("optgroup", { label: o.group }, ...o.options.map((x) => elem("option", { value: x.value, text: x.label }))) : elem("option", { value: o.value, text: o.label })));
    colSel.hidden = !need;
    colSel.pool = pool;
    if (a && a[1]) {
      const k = pool.findIndex((c) => JSON.stringify(c.ref) === JSON.stringify(a[1]));
      if (k >= 0) colSel.value = String(k);
    }
  };
  opSel.addEventListener("change", fill);
  fill();
  return editorBox("Metric", [opSel, colSel, formula.element], () => {
    if (opSel.value === "formula") {
      q.aggregation = q.aggregation || [];
      q.aggregation[i] = formula.read();
      return;
    }
    const need = AGGS.find((x) => x[0] === opSel.value)[2];
    const agg = [opSel.value];
    if (need) {
      const c = colSel.pool[+colSel.value];
      if (!c) throw new Error("Pick a column.");
      agg.push(c.ref);
    }
    q.aggregation = q.aggregation || [];
    q.aggregation[i] = agg;
  });
}

function breakoutEditor(q, cols, i) {
  const b = (q.breakout || [])[i];
  const colSel = select({ class: "nb-breakout-column", "aria-label": "Column to group by" }, colOptions(cols));
  if (b) {
    const k = cols.findIndex((c) => sameRef(c.ref, b) || (isRef(b, "expression") && isRef(c.ref, "expression") && c.ref[1] === b[1]));
    if (k >= 0) colSel.value = String(k);
  }
  const opt = elem("span");
  const fill = () => {
    const c = cols[+colSel.value];
    const kind = kindOf(c.base);
    const o = b && sameRef(b, c.ref) ? refOpts(b) : {};
    if (kind === "date") {
      opt.replaceChildren(select({ class: "nb-unit", "aria-label": "Group dates by" }, UNITS.map((u) => ({ value: u, label: "by " + unitLabel(u).toLowerCase() })), o["temporal-unit"] || "month"));
    } else if (kind === "number" && !isRef(c.ref, "expression") && c.semantic !== "type/PK" && c.semantic !== "type/FK") {
      const cur = o.binning ? (o.binning.strategy === "num-bins" ? "n" + o.binning["num-bins"] : "w" + o.binning["bin-width"]) : "";
      opt.replaceChildren(select({ class: "nb-bins", "aria-label": "Binning" }, [{ value: "", label: "Don't bin" }, { value: "n10", label: "10 bins" }, { value: "n50", label: "50 bins" }, { value: "n100", label: "100 bins" }, { value: "w10", label: "Bins of 10" }, { value: "w100", label: "Bins of 100" }], cur));
    } else {
      opt.replaceChildren();
    }
  };
  colSel.addEventListener("change", fill);
  fill();
  return editorBox("Group by", [colSel, opt], () => {
    const c = cols[+colSel.value];
    let ref = c.ref;
    const unit = opt.querySelector(".nb-unit");
    const bins = opt.querySelector(".nb-bins");
    if (unit) ref = withOpts(ref, { "temporal-unit": unit.value });
    if (bins && bins.value) {
      ref = withOpts(ref, { binning: bins.value[0] === "n" ? { strategy: "num-bins", "num-bins": +bins.value.slice(1) } : { strategy: "bin-width", "bin-width": +bins.value.slice(1) } });
    }
    q.breakout = q.breakout || [];
    q.breakout[i] = ref;
  });
}

// sortable lists what a sort can use: after summarizing, the groups and
// metrics; otherwise every column.
function sortable(q, cols) {
  if (!(q.aggregation || []).length && !(q.breakout || []).length) return cols;
  const out = (q.breakout || []).map((b) => ({ ref: b, label: refLabel(cols, b) }));
  (q.aggregation || []).forEach((a, i) => out.push({ ref: ["aggregation", i], label: aggLabel(cols, a) }));
  return out;
}

function sortStep(q, cols) {
  const list = q["order-by"] || [];
  const body = elem("div", { class: "nb-items" });
  const pool = sortable(q, cols);
  list.forEach((o, i) => {
    if (editing("sort", i)) { body.append(sortEditor(q, pool, i)); return; }
    const c = pool.find((p) => JSON.stringify(p.ref) === JSON.stringify(o[1]));
    body.append(pill((c ? c.label : refLabel(cols, o[1])) + (o[0] === "desc" ? " ↓" : " ↑"), () => open("sort", i), () => { list.splice(i, 1); if (!list.length) delete q["order-by"]; changed(); renderNotebook(); }));
  });
  if (editing("sort", list.length)) body.append(sortEditor(q, pool, list.length));
  return step("sort", "Sort", body, "+ Sort", () => open("sort", list.length));
}

function sortEditor(q, pool, i) {
  const o = (q["order-by"] || [])[i];
  const colSel = select({ class: "nb-sort-column", "aria-label": "Sort by" }, pool.map((c, k) => ({ value: String(k), label: c.label })));
  if (o) {
    const k = pool.findIndex((p) => JSON.stringify(p.ref) === JSON.stringify(o[1]));
    if (k >= 0) colSel.value = String(k);
  }
  const dir = select({ class: "nb-sort-dir", "aria-label": "Direction" }, [{ value: "asc", label: "Ascending" }, { value: "desc", label: "Descending" }], o ? o[0] : "asc");
  return editorBox("Sort", [colSel, dir], () => {
    q["order-by"] = q["order-by"] || [];
    q["order-by"][i] = [dir.value, pool[+colSel.value].ref];
  });
}

function limitStep(q) {
  const input = elem("input", { type: "number", min: "1", id: "nb-limit", "aria-label": "Row limit", placeholder: "No limit", value: q.limit || "" });
  input.addEventListener("change", () => {
    const n = parseInt(input.value, 10);
    if (n > 0) q.limit = n; else delete q.limit;
    changed();
  });
  return step("limit", "Row limit", input);
}

// ---- step previews ----

// PREVIEW_ROWS is how many rows a step's preview shows.
const PREVIEW_ROWS = 10;

// STEP_CLAUSES lists, per notebook step, the clauses of the steps that
// come after it: a preview runs the query without them.
const STEP_CLAUSES = {
  data: ["joins", "expressions", "filter", "aggregation", "breakout", "order-by", "limit"],
  join: ["expressions", "filter", "aggregation", "breakout", "order-by", "limit"],
  expression: ["filter", "aggregation", "breakout", "order-by", "limit"],
  filter: ["aggregation", "breakout", "order-by", "limit"],
  summarize: ["order-by", "limit"],
  sort: ["limit"],
  limit: [],
};

// previewQuery is the question run up to and including stepName, capped
// at PREVIEW_ROWS rows. The server checks it like any other run.
function previewQuery(stepName) {
  const q = wireQuery();
  for (const k of STEP_CLAUSES[stepName]) delete q.query[k];
  q.query.limit = Math.min(q.query.limit || PREVIEW_ROWS, PREVIEW_ROWS);
  return q;
}

// withPreview adds a Preview button to a step and, when that step's
// preview is open, the preview under it.
function withPreview(node) {
  const name = node.id.replace(/^step-/, "");
  if (!STEP_CLAUSES[name]) return;
  const title = node.querySelector(".nb-step-title");
  title.append(elem("button", { type: "button", class: "btn btn-small nb-preview-button", "aria-label": "Preview " + title.textContent,
    text: "Preview", onclick: () => preview(name) }));
  if (S.preview && S.preview.step === name) node.append(S.preview.node);
}

// preview runs the question up to stepName and shows the first rows (or
// the error) under that step, replacing any other step's preview.
async function preview(stepName) {
  const box = elem("div", { class: "nb-preview", role: "region", "aria-label": "Preview", "aria-busy": "true" },
    elem("div", { class: "nb-preview-head" },
      elem("span", { class: "muted small nb-preview-status", text: "Running…" }),
      elem("button", { type: "button", class: "nb-pill-x nb-preview-close", "aria-label": "Close the preview", text: "×", onclick: closePreview })));
  const mine = { step: stepName, node: box };
  S.preview = mine;
  renderNotebook();
  const status = box.querySelector(".nb-preview-status");
  try {
    const res = await api("POST", "/api/dataset", previewQuery(stepName));
    if (S.preview !== mine) return;
    const data = (res && res.data) || { cols: [], rows: [] };
    const rows = (data.rows || []).slice(0, PREVIEW_ROWS);
    status.textContent = rows.length ? "First " + rows.length + (rows.length === 1 ? " row" : " rows") : "No rows";
    box.append(elem("div", { class: "nb-preview-scroll" }, elem("table", { class: "nb-preview-table" },
      elem("thead", null, elem("tr", null, (data.cols || []).map((c) => elem("th", { text: c.display_name || c.name })))),
      elem("tbody", null, rows.map((r) => elem("tr", null, r.map((v) => elem("td", { text: v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v) }))))))));
  } catch (e) {
    if (S.preview !== mine) return;
    status.replaceWith(elem("div", { class: "nb-error nb-preview-error", role: "alert", text: e.message }));
  } finally {
    box.removeAttribute("aria-busy");
  }
}

function closePreview() {
  S.preview = null;
  renderNotebook();
}

// ---- the SQL editor ----

const VAR_RE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

function syncVariables() {
  const n = S.query.native;
  const names = [];
  for (const m of n.query.matchAll(VAR_RE)) if (!names.includes(m[1])) names.push(m[1]);
  const tags = {};
  for (const name of names) {
    tags[name] = (n["template-tags"] || {})[name] || { name: name, "display-name": humanize(name), type: "text" };
  }
  n["template-tags"] = tags;
  S.query.parameters = (S.query.parameters || []).filter((p) => names.includes(p.target[1][1]));
}

function paramFor(name) {
  return (S.query.parameters || []).find((p) => p.target[1][1] === name);
}

function setParam(tag, value) {
  const name = tag.name;
  S.query.parameters = (S.query.parameters || []).filter((p) => p.target[1][1] !== name);
  if (value === "" || value === null || value === undefined) return;
  const type = tag.type === "number" ? "number/=" : tag.type === "date" ? "date/single" : tag.type === "dimension" ? (tag["widget-type"] || "category") : "category";
  S.query.parameters.push({ type: type, target: [tag.type === "dimension" ? "dimension" : "variable", ["template-tag", name]],
    value: tag.type === "number" ? +value : tag.type === "dimension" && type === "category" ? String(value).split(",").map((s) => s.trim()) : value });
}

async function renderVariables() {
  const box = $("sql-variables");
  const tags = S.query.native["template-tags"] || {};
  const m = await meta(S.query.database).catch(() => null);
  const rows = Object.values(tags).map((tag) => {
    const p = paramFor(tag.name);
    const cur = p ? (Array.isArray(p.value) ? p.value.join(", ") : p.value) : "";
    const type = select({ class: "var-type", "aria-label": "Type of " + tag.name }, [["text", "Text"], ["number", "Number"], ["date", "Date"], ["dimension", "Field filter"]].map(([v, l]) => ({ value: v, label: l })), tag.type);
    const input = elem("input", { class: "var-value", name: "var-" + tag.name, "aria-label": tag["display-name"] || tag.name, type: tag.type === "number" ? "number" : tag.type === "date" ? "date" : "text", step: tag.type === "number" ? "any" : null, value: cur, placeholder: tag.type === "dimension" ? "Value (commas for several)" : "" });
    type.addEventListener("change", () => {
      tag.type = type.value;
      if (tag.type !== "dimension") { delete tag.dimension; delete tag["widget-type"]; }
      setParam(tag, "");
      changed();
      renderVariables();
    });
    input.addEventListener("change", () => { setParam(tag, input.value); changed(); });
    const extra = [];
    if (tag.type === "dimension" && m) {
      const opts = [{ value: "", label: "Map to a column…" }];
      for (const t of m.tables) opts.push({ group: t.display_name, options: (t.fields || []).map((f) => ({ value: String(f.id), label: t.display_name + " → " + f.display_name })) });
      const fieldSel = select({ class: "var-field", "aria-label": "Column for " + tag.name }, opts, tag.dimension ? String(tag.dimension[1]) : "");
      const widget = select({ class: "var-widget", "aria-label": "Filter type of " + tag.name }, [["category", "Is"], ["string/contains", "Contains"], ["number/between", "Between (numbers, comma)"], ["date/relative", "Relative date (past30days)"], ["date/single", "On date"]].map(([v, l]) => ({ value: v, label: l })), tag["widget-type"] || "category");
      fieldSel.addEventListener("change", () => { tag.dimension = fieldSel.value ? ["field", +fieldSel.value, null] : undefined; changed(); });
      widget.addEventListener("change", () => { tag["widget-type"] = widget.value; setParam(tag, input.value); changed(); });
      if (!tag["widget-type"]) tag["widget-type"] = "category";
      extra.push(fieldSel, widget);
    }
    return elem("div", { class: "sql-var", "data-name": tag.name }, elem("code", { text: "{{" + tag.name + "}}" }), type, ...extra, input);
  });
  box.replaceChildren(...rows);
}

function renderSQLEditor() {
  const dbSel = $("sql-database");
  dbSel.replaceChildren(...S.databases.map((d) => elem("option", { value: String(d.id), text: d.name })));
  if (!S.query.database && S.databases.length) S.query.database = S.databases[0].id;
  dbSel.value = String(S.query.database || "");
  dbSel.addEventListener("change", () => { S.query.database = +dbSel.value; changed(); renderVariables(); });
  const text = $("sql-text");
  text.value = S.query.native.query || "";
  let timer = 0;
  text.addEventListener("input", () => {
    S.query.native.query = text.value;
    changed();
    clearTimeout(timer);
    timer = setTimeout(() => { syncVariables(); renderVariables(); }, 250);
  });
  text.addEventListener("keydown", (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") { ev.preventDefault(); run(); }
  });
  syncVariables();
  renderVariables();
}

// ---- running and drawing ----

function showError(msg) {
  const e = $("question-error");
  e.textContent = msg || "";
  e.hidden = !msg;
}

function runnable() {
  if (!S.query || !S.query.database) return false;
  if (isNative()) return !!(S.query.native.query || "").trim();
  return !!(sq() && sq()["source-table"]);
}

function wireQuery() {
  const q = clone(S.query);
  if (!isNative()) delete q.native;
  if (isNative()) {
    delete q.query;
    for (const t of Object.values(q.native["template-tags"] || {})) if (t.type === "dimension" && !t.dimension) throw new Error("Map the field filter {{" + t.name + "}} to a column.");
  }
  if (q.parameters && !q.parameters.length) delete q.parameters;
  return q;
}

let runSeq = 0;

async function run() {
  if (isNative()) {
    syncVariables();
    renderVariables();
  }
  if (!runnable()) {
    showError(isNative() ? "Write some SQL first." : "Pick your data first.");
    return;
  }
  const seq = ++runSeq;
  showError("");
  $("run-status").textContent = "Running…";
  $("question").classList.add("running");
  let body;
  try {
    body = wireQuery();
  } catch (e) {
    showError(e.message);
    $("run-status").textContent = "";
    $("question").classList.remove("running");
    return;
  }
  try {
    const res = await api("POST", "/api/dataset", body);
    if (seq !== runSeq) return;
    S.result = res;
    draw();
    $("run-status").textContent = "";
    if (S.mode !== "saved") history.replaceState(null, "", adHocURL(body, S.display, S.settings));
    updateTitle();
  } catch (e) {
    if (seq !== runSeq) return;
    $("run-status").textContent = "";
    showError(e.message);
  } finally {
    if (seq === runSeq) $("question").classList.remove("running");
  }
}

function draw() {
  if (!S.result || !Viz) return;
  const data = S.result.data;
  const auto = Viz.autoDisplay(data);
  const display = S.display || auto;
  $("result-placeholder").hidden = true;
  const node = $("viz");
  S.handle = Viz.render(node, data, Object.assign({}, S.settings, { display: display }));
  node.dataset.rowCount = String(S.result.row_count);
  if ((display === "line" || display === "area") && S.handle && S.handle.chart) axisClicks(S.handle.chart, node, data);
  const picker = $("viz-picker");
  picker.options[0].textContent = "Automatic (" + auto + ")";
  // A region map is offered only for a country or state column and an
  // amount (or while it is the chosen display).
  const region = picker.querySelector('option[value="map"]');
  if (region) region.hidden = region.disabled = display !== "map" && !Viz.fitsRegionMap(data, S.settings);
  picker.value = S.display || "";
  if (S.settingsPanel) S.settingsPanel.refresh();
  const n = S.result.row_count;
  $("row-count").textContent = data.rows_truncated ? "Showing the first " + n.toLocaleString("en-US") + " rows" : "Showing " + n.toLocaleString("en-US") + (n === 1 ? " row" : " rows");
  $("result-foot").hidden = false;
  updateShare();
}

// axisClicks makes a dense line or area chart, which draws no symbols to
// click, drillable anywhere over a date: a click in the plot area picks
// the nearest category and reports it as a drill event. A click on a
// drawn symbol is left to the chart's own event.
function axisClicks(chart, node, data) {
  const cols = data.cols;
  const bi = cols.findIndex((c) => c.source === "breakout");
  const mi = cols.findIndex((c) => c.source === "aggregation");
  if (bi < 0 || mi < 0 || cols.filter((c) => c.source === "breakout").length !== 1) return;
  let onSymbol = false;
  chart.on("click", () => { onSymbol = true; });
  chart.getZr().on("click", (ev) => {
    const p = [ev.offsetX, ev.offsetY];
    setTimeout(() => {
      if (onSymbol) { onSymbol = false; return; }
      if (!chart.containPixel("grid", p)) return;
      const at = chart.convertFromPixel({ seriesIndex: 0 }, p);
      const xs = [...new Set(data.rows.map((r) => r[bi]))].sort((a, b) => (a === null) - (b === null) || (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
      const x = xs[Math.max(0, Math.min(xs.length - 1, Math.round(at[0])))];
      const row = data.rows.find((r) => r[bi] === x);
      if (!row) return;
      const rect = chart.getDom().getBoundingClientRect();
      node.dispatchEvent(new CustomEvent("sightline:drill", { bubbles: true, detail: { column: cols[mi], value: row[mi], row: row,
        dimensions: [{ column: cols[bi], value: x }], clientX: rect.left + p[0], clientY: rect.top + p[1] } }));
    }, 0);
  });
}

function updateShare() {
  try {
    $("share-link").href = adHocURL(wireQuery(), S.display, S.settings);
  } catch (e) {
    $("share-link").removeAttribute("href");
  }
}

// title describes the question: "Invoices, Sum of Payment, Grouped by
// Date Received: Month".
async function title() {
  if (S.card && !S.dirty) return S.card.name;
  if (isNative()) return "SQL query";
  const q = sq();
  if (!q || !q["source-table"]) return "New question";
  const m = await meta(S.query.database).catch(() => null);
  const cols = columns(m, q);
  const src = q["source-table"];
  const t = typeof src === "number" && m ? m.table(src) : null;
  const parts = [t ? t.display_name : "Saved question #" + String(src).replace("card__", "")];
  if ((q.aggregation || []).length) parts.push(q.aggregation.map((a) => aggLabel(cols, a)).join(" and "));
  if ((q.breakout || []).length) parts.push("Grouped by " + q.breakout.map((b) => refLabel(cols, b)).join(" and "));
  if (filterList(q).length) parts.push("Filtered by " + filterList(q).map((f) => refLabel(cols, filterParts(f).ref)).join(" and "));
  return parts.join(", ");
}

async function updateTitle() {
  if (S.card && !S.dirty) return;
  const t = await title();
  const h = $("question-title");
  if (h) h.textContent = t;
  const crumb = $("crumb-title");
  if (crumb) crumb.textContent = t;
  document.title = t + " · " + document.title.split(" · ").slice(-1)[0];
}

// ---- drill-through ----

function closeDrill() { D.closeMenu($("drill-menu")); }

function go(query, display) {
  location.href = adHocURL(query, display || "", {});
}

async function onDrill(ev) {
  const detail = ev.detail || {};
  const drill = D.drill({ query: S.query, result: S.result, meta: meta(S.query.database), cardCols: S.cardCols });
  const acts = await drill.actions(detail);
  if (D.showMenu($("drill-menu"), detail, acts, go) && S.handle && S.handle.chart) S.handle.chart.dispatchAction({ type: "hideTip" });
}

// ---- saving ----

function openSave() {
  const d = $("save-dialog");
  $("save-error").hidden = true;
  if ($("save-replace")) $("save-replace").hidden = !S.card;
  $("save-name").value = S.card ? S.card.name : ($("question-title") || { textContent: "" }).textContent;
  $("save-description").value = S.card ? S.card.description || "" : "";
  if (!$("save-name").value || $("save-name").value === "New question") title().then((t) => { if (!$("save-name").value || $("save-name").value === "New question") $("save-name").value = t; });
  if (typeof d.showModal === "function") d.showModal(); else d.setAttribute("open", "");
}

async function save(ev) {
  ev.preventDefault();
  const err = $("save-error");
  err.hidden = true;
  let q;
  try { q = wireQuery(); } catch (e) { err.textContent = e.message; err.hidden = false; return; }
  const body = { name: $("save-name").value.trim(), description: $("save-description").value, dataset_query: q,
    display: S.display || (S.result && Viz ? Viz.autoDisplay(S.result.data) : "table"), visualization_settings: S.settings || {} };
  const mode = document.querySelector("input[name=save_mode]:checked");
  const replace = S.card && mode !== null && mode.value === "replace";
  $("save-submit").disabled = true;
  try {
    let card;
    // The dialog offers only collections the person may save into.
    body.collection_id = Number($("save-collection").value) || 0;
    if (replace) {
      body.revision = S.card.revision;
      card = await api("PUT", "/api/card/" + S.card.id, body);
    } else {
      card = await api("POST", "/api/card", body);
    }
    // A new question may go on a dashboard the person may change.
    if (!replace && $("add-dashboard-dialog")) {
      offerDashboard(card);
      return;
    }
    location.href = questionURL(card);
  } catch (e) {
    // A conflict or a refusal keeps the dialog and the question as they are.
    err.textContent = e.status === 409 ? e.message + " Copy your changes with \u201cSave as a new question\u201d, or reload to see theirs." : e.message;
    err.hidden = false;
  } finally {
    $("save-submit").disabled = false;
  }
}

function questionURL(card) { return "/question/" + card.id + "-" + slug(card.name); }

// offerDashboard asks, once a new question is saved, whether to add it
// to one of the dashboards the page lists (those the person may change).
function offerDashboard(card) {
  S.saved = card;
  $("save-dialog").close();
  $("add-dashboard-error").hidden = true;
  const d = $("add-dashboard-dialog");
  if (typeof d.showModal === "function") d.showModal(); else d.setAttribute("open", "");
}

// addToDashboard puts the saved question at the bottom of the chosen
// dashboard's first tab through PUT /api/dashboard/:id, then opens it.
async function addToDashboard(ev) {
  ev.preventDefault();
  const err = $("add-dashboard-error");
  err.hidden = true;
  const id = Number($("save-dashboard").value);
  $("add-dashboard-submit").disabled = true;
  try {
    const dash = await api("GET", "/api/dashboard/" + id);
    const tab = (dash.tabs || []).length ? dash.tabs[0].id : 0;
    const cards = (dash.dashcards || []).map((dc) => ({ id: dc.id, card_id: dc.card_id || undefined, dashboard_tab_id: dc.dashboard_tab_id || undefined,
      row: dc.row, col: dc.col, size_x: dc.size_x, size_y: dc.size_y, visualization_settings: dc.visualization_settings || {},
      parameter_mappings: dc.parameter_mappings || [] }));
    // Cards on no tab show on the first one.
    const bottom = cards.filter((dc) => !tab || !dc.dashboard_tab_id || dc.dashboard_tab_id === tab).reduce((m, dc) => Math.max(m, dc.row + dc.size_y), 0);
    cards.push({ card_id: S.saved.id, dashboard_tab_id: tab || undefined, row: bottom, col: 0, size_x: 12, size_y: 6, visualization_settings: {}, parameter_mappings: [] });
    await api("PUT", "/api/dashboard/" + id, { dashcards: cards, revision: dash.revision });
    location.href = "/dashboard/" + id;
  } catch (e) {
    err.textContent = e.message;
    err.hidden = false;
  } finally {
    $("add-dashboard-submit").disabled = false;
  }
}

// ---- downloads ----

function download(format) {
  const form = $("download-form");
  const qIn = form.querySelector("input[name=query]");
  if (S.card && !S.dirty) {
    form.action = "/api/card/" + S.card.id + "/query/" + format;
    qIn.disabled = true;
  } else {
    try { qIn.value = JSON.stringify(wireQuery()); } catch (e) { showError(e.message); return; }
    qIn.disabled = false;
    form.action = "/api/dataset/" + format;
  }
  form.querySelector("input[name=parameters]").disabled = true;
  form.submit();
  $("download-menu").open = false;
}

// ---- start ----

function showEditor(show) {
  S.editorOpen = show;
  $("question-editor").hidden = !show;
  const b = $("action-editor");
  if (b) b.setAttribute("aria-pressed", String(show));
  if (!show) return;
  if (isNative()) {
    $("sql-editor").hidden = false;
    $("notebook").hidden = true;
  } else {
    $("notebook").hidden = false;
    $("sql-editor").hidden = true;
    renderNotebook();
  }
}

export async function init() {
  const root = $("question");
  const stateEl = $("question-state");
  if (!root || !stateEl) return;
  const st = JSON.parse(stateEl.textContent || "{}");
  S.mode = st.mode;
  S.card = st.card;
  S.query = st.dataset_query;
  S.display = st.display || "";
  S.settings = st.visualization_settings || {};
  S.actionButtons = st.action_buttons !== false;
  if (S.mode === "adhoc" && !S.query && location.hash.length > 1) {
    try {
      const raw = JSON.parse(b64urlDecode(location.hash.slice(1)));
      S.query = raw.dataset_query || raw;
      S.settings = raw.visualization_settings || {};
      S.display = Viz ? Viz.canonicalDisplay(raw.display || "", S.settings) : raw.display || "";
    } catch (e) {
      showError("The question in this link is damaged.");
    }
  }
  if (!S.query) S.query = { database: null, type: "query", query: {} };
  if (S.query.type === "native") {
    S.query.native = S.query.native || { query: "", "template-tags": {} };
    S.query.native.query = S.query.native.query || "";
  } else {
    S.query.query = S.query.query || {};
  }

  const picker = $("viz-picker");
  for (const d of (Viz.displays) || []) {
    const label = d === "map" ? "Map (regions)" : d === "map-pin" ? "Map (pins)" : d.replace("-", " ").replace(/^\w/, (c) => c.toUpperCase());
    picker.append(elem("option", { value: d, text: label }));
  }
  picker.addEventListener("change", () => { S.display = picker.value; changed(); draw(); });
  // The chart settings sidebar edits S.settings (visualization_settings).
  if (attach) {
    S.settingsPanel = attach($("viz-settings"), $("viz-settings-button"), {
      result: () => S.result && S.result.data,
      display: () => S.display || (S.result && Viz ? Viz.autoDisplay(S.result.data) : "table"),
      settings: () => S.settings,
      change: (next) => { S.settings = next; changed(); draw(); },
    });
  }

  $("visualize").addEventListener("click", run);
  $("viz").addEventListener("sightline:drill", onDrill);
  document.addEventListener("click", (ev) => {
    if (!ev.target.closest("#drill-menu") && !ev.target.closest("#viz")) closeDrill();
  });
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") closeDrill(); });
  for (const b of document.querySelectorAll("#download-menu [data-format]")) b.addEventListener("click", () => download(b.dataset.format));
  $("share-link").addEventListener("click", (ev) => {
    ev.preventDefault();
    const url = new URL($("share-link").getAttribute("href") || location.href, location.href).href;
    if (navigator.clipboard) navigator.clipboard.writeText(url).catch(() => {});
    history.replaceState(null, "", url);
  });
  const saveBtn = $("save-button");
  if (saveBtn) saveBtn.addEventListener("click", openSave);
  $("save-form").addEventListener("submit", save);
  $("save-cancel").addEventListener("click", () => $("save-dialog").close());
  if ($("add-dashboard-form")) {
    $("add-dashboard-form").addEventListener("submit", addToDashboard);
    $("add-dashboard-skip").addEventListener("click", () => { location.href = questionURL(S.saved); });
    // Closing the offer (Escape) still leaves for the saved question.
    $("add-dashboard-dialog").addEventListener("cancel", () => { location.href = questionURL(S.saved); });
  }
  const ed = $("action-editor");
  if (ed) ed.addEventListener("click", () => showEditor(!S.editorOpen));
  const fb = $("action-filter");
  if (fb) fb.addEventListener("click", () => { showEditor(true); if (!isNative()) open("filter", filterList(sq()).length); });
  const sb = $("action-summarize");
  if (sb) sb.addEventListener("click", () => { showEditor(true); if (!isNative()) open("metric", (sq().aggregation || []).length); });
  if (isNative()) {
    for (const b of [fb, sb]) if (b) b.hidden = true;
  }

  try {
    await loadDatabases();
  } catch (e) {
    showError(e.message);
  }
  if (!S.query.database && S.databases.length === 1) S.query.database = S.databases[0].id;
  if (st.table_id && !isNative()) S.query.query["source-table"] = st.table_id;
  if (isNative()) renderSQLEditor();
  $("result-foot").hidden = true;
  if (S.mode === "new") {
    showEditor(true);
  } else {
    showEditor(false);
    updateTitle();
    if (runnable()) run();
  }
  // A change of the notebook after a run invites another run.
  root.addEventListener("change", () => { if (S.dirty && S.card) $("question").classList.add("modified"); });
}
