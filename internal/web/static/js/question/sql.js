// The SQL editor of the question page and its {{variables}}, each with a
// type and a value typed next to the query.

import { humanize, meta } from "./model.js";
import { select } from "./notebook.js";
import { run } from "./result.js";
import { $, S, changed } from "./state.js";
import { elem } from "../shared/dom.js";

// ---- the SQL editor ----

const VAR_RE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function syncVariables() {
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

export async function renderVariables() {
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

export function renderSQLEditor() {
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
