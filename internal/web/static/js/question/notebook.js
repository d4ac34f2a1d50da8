// The notebook editor of the question page: data, joins, custom columns,
// filters, summaries, sort and limit as steps, each with its editor and a
// preview of its rows.

import * as ExprEditor from "../expr/editor.js";
import { filterList, isRef, kindOf, refOpts, sameRef, setFilters, withOpts } from "../charts/drill.js";
import { AGGS, OPS, UNITS, aggLabel, buildFilter, cardColumns, columns, describeFilter, filterParts, formatExpression, meta, refLabel, simpleFilter, unitLabel } from "./model.js";
import { showError, wireQuery } from "./result.js";
import { $, S, changed, isNative, sq } from "./state.js";
import { api } from "../shared/api.js";
import { elem } from "../shared/dom.js";

// ---- the notebook ----

export function select(attrs, options, value) {
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

export function open(stepName, index) {
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

export async function renderNotebook() {
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
  const custom = list[i] !== undefined && !simpleFilter(cols, list[i]);
  const cur = list[i] && !custom ? filterParts(list[i]) : null;
  const colSel = select({ class: "nb-filter-column", "aria-label": "Column to filter" },
    colOptions(cols).concat([{ value: "formula", label: "Custom expression" }]));
  // A filter written as a formula: any true/false expression, such as
  // [Total] > 50 AND (contains([Category], "Gizmo") OR isNull([Discount])).
  const formula = ExprEditor.create({ columns: cols, mode: "filter", label: "Filter formula",
    placeholder: "[Total] > 50 AND contains([Category], \"Gizmo\")", value: custom ? formatExpression(list[i], cols) : "" });
  if (custom) colSel.value = "formula";
  if (cur) {
    const ci = cols.findIndex((c) => sameRef(c.ref, cur.ref) || (isRef(cur.ref, "expression") && isRef(c.ref, "expression") && c.ref[1] === cur.ref[1]));
    if (ci >= 0) colSel.value = String(ci);
  }
  const opSel = elem("select", { class: "nb-filter-op", "aria-label": "Operator" });
  const vals = elem("div", { class: "nb-values" });
  const col = () => cols[+colSel.value];
  const isFormula = () => colSel.value === "formula";
  const fillOps = () => {
    formula.element.hidden = !isFormula();
    opSel.hidden = isFormula();
    vals.hidden = isFormula();
    if (isFormula()) return;
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
  return editorBox("Filter", [colSel, opSel, vals, formula.element], () => {
    if (isFormula()) {
      const next = filterList(q);
      next[i] = formula.read();
      setFilters(q, next);
      return;
    }
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
  const formula = ExprEditor.create({ columns: cols, mode: "aggregation", label: "Metric formula", placeholder: "Sum([Total]) / Count or CountIf([Total] > 100)", value: custom ? formatExpression(a, cols) : "" });
  const named = a && a[0] === "aggregation-options" && a[2] ? a[2]["display-name"] || a[2].name || "" : "";
  const nameIn = elem("input", { class: "nb-metric-name", "aria-label": "Metric name", placeholder: "Name (optional)", value: named });
  const nums = cols.filter((c) => kindOf(c.base) === "number");
  const colSel = elem("select", { class: "nb-agg-column", "aria-label": "Column" });
  const fill = () => {
    formula.element.hidden = opSel.value !== "formula";
    nameIn.hidden = opSel.value !== "formula";
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
  return editorBox("Metric", [opSel, colSel, formula.element, nameIn], () => {
    if (opSel.value === "formula") {
      const e = formula.read();
      const n = nameIn.value.trim();
      q.aggregation = q.aggregation || [];
      q.aggregation[i] = n ? ["aggregation-options", e, { name: n, "display-name": n }] : e;
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
