// Dashboard filters: their values in the page URL and in API requests,
// the filter clauses they add to each card's query, and the widgets of the
// filter bar (dates, categories with their value lists).

import * as Drill from "../charts/drill.js";
import { dashboardURL } from "./common.js";
import { api } from "../shared/api.js";
import { el } from "../shared/dom.js";
import { clone } from "../shared/values.js";
import { MONTHS } from "../shared/calendar.js";

// ---- filter values: the URL form and the API form ----

export function defaultStrings(d) {
  if (d === undefined || d === null || d === "") return [];
  if (Array.isArray(d)) return d.reduce((acc, x) => acc.concat(defaultStrings(x)), []);
  return [String(d)];
}

// urlValues reads each filter's values from the query string; a filter
// the URL does not name takes its default.
export function urlValues(params, search) {
  const q = new URLSearchParams(search);
  const out = {};
  for (const p of params) {
    out[p.id] = q.has(p.slug) ? q.getAll(p.slug).map((s) => s.trim()).filter((s) => s !== "") : defaultStrings(p.default);
    // A required filter always has a value: its default when the URL empties it.
    if (p.required && !out[p.id].length) out[p.id] = defaultStrings(p.default);
  }
  return out;
}

// apiValue mirrors filterValues in dashboard_page.go.
export function apiValue(p, vals) {
  if (!vals || !vals.length) return null;
  const t = p.type || "";
  if (t === "date/range" && vals.length >= 2) return vals[0] + "~" + vals[1];
  if (t.indexOf("date") === 0) return vals[0];
  if (t.indexOf("number/") === 0 || t === "number") {
    const nums = vals.map(Number).filter((n) => !isNaN(n));
    return nums.length ? nums : null;
  }
  return vals.slice();
}

export function apiValues(params, values) {
  const out = [];
  for (const p of params) {
    const v = apiValue(p, values[p.id]);
    if (v !== null) out.push({ id: p.id, value: v });
  }
  return out;
}

// ---- filter values as filter clauses ----
// A question opened from a dashboard card (drill-through) carries the
// dashboard's filter values as filters of its own, written as the server
// reads a filter value (query/params.go), so that the new question shows
// the rows the card showed and its filters can be seen and changed.

const UNIT_NAMES = ["minute", "hour", "day", "week", "month", "quarter", "year"];

// dateClause turns a date filter value on ref into a clause, or null.
function dateClause(ref, s) {
  let m;
  s = String(s || "");
  if ((m = /^(past|next|last)(\d{1,6})(minute|hour|day|week|month|quarter|year)s(~?)$/.exec(s))) {
    const c = ["time-interval", ref, (m[1] === "next" ? 1 : -1) * Number(m[2]), m[3]];
    if (m[4]) c.push({ "include-current": true });
    return c;
  }
  if (s === "today") return ["time-interval", ref, "current", "day"];
  if (s === "yesterday") return ["time-interval", ref, -1, "day"];
  if ((m = /^(this|last|next)(\w+)$/.exec(s)) && UNIT_NAMES.indexOf(m[2]) >= 0) {
    return ["time-interval", ref, m[1] === "this" ? "current" : m[1] === "last" ? -1 : 1, m[2]];
  }
  const unit = (u) => ["field", ref[1], Object.assign({}, ref[2] || {}, { "temporal-unit": u })];
  if ((m = /^Q([1-4])-(\d{4})$/.exec(s))) return ["=", unit("quarter"), m[2] + "-" + pad2(3 * Number(m[1]) - 2) + "-01"];
  if (/^\d{4}-\d{2}$/.test(s)) return ["=", unit("month"), s + "-01"];
  if (s.indexOf("~") >= 0) {
    const [lo, hi] = s.split("~");
    if (lo && hi) return ["between", ref, lo, hi];
    if (hi) return ["<=", ref, hi];
    if (lo) return [">=", ref, lo];
    return null;
  }
  return s ? ["=", ref, s] : null;
}

// filterClause turns one filter's values into a clause on ref, or null.
function filterClause(p, ref, vals) {
  const t = p.type || "";
  const v = apiValue(p, vals);
  if (v === null) return null;
  if (t.indexOf("date") === 0) return dateClause(ref, v);
  if (t === "number/between") return v.length === 2 ? ["between", ref, v[0], v[1]] : null;
  if (t === "number/>=" || t === "number/<=") return [t.slice(7), ref, v[0]];
  if (t === "number/!=") return ["!="].concat([ref], v);
  if (t.indexOf("number") === 0) return ["="].concat([ref], v);
  const op = t.slice(7);
  if (["contains", "does-not-contain", "starts-with", "ends-with"].indexOf(op) >= 0) {
    const parts = v.map((x) => [op, ref, x, { "case-sensitive": false }]);
    if (parts.length === 1) return parts[0];
    return [op === "does-not-contain" ? "and" : "or"].concat(parts);
  }
  return [t === "string/!=" ? "!=" : "="].concat([ref], v);
}

// cardQuery is a dashboard card's question with the dashboard's filter
// values added: as filters where the filter is wired to a column, as
// parameters otherwise (a SQL variable), which the server applies.
export function cardQuery(dc, params, values) {
  const q = clone(dc.card.dataset_query);
  const extra = [];
  // A filter wired to several columns keeps the rows where any matches.
  const byParam = {};
  for (const m of dc.parameter_mappings || []) {
    const p = params.find((x) => x.id === m.parameter_id);
    if (!p) continue;
    const t = m.target;
    const ref = Array.isArray(t) && t[0] === "dimension" && Array.isArray(t[1]) && t[1][0] === "field" ? t[1] : null;
    const c = ref && q.type !== "native" ? filterClause(p, ref, values[p.id]) : null;
    if (c) (byParam[p.id] = byParam[p.id] || []).push(c);
    else if (apiValue(p, values[p.id]) !== null) extra.push({ id: p.id, type: p.type, target: t, value: apiValue(p, values[p.id]) });
  }
  const clauses = Object.keys(byParam).map((id) => (byParam[id].length > 1 ? ["or"].concat(byParam[id]) : byParam[id][0]));
  if (clauses.length) Drill.addFilters(q, clauses);
  if (extra.length) q.parameters = (q.parameters || []).concat(extra);
  return q;
}

// writeURL puts the filter values in the address bar so that a link
// reproduces the view. Other query parameters (the tab) are kept.
export function writeURL(params, values) {
  const q = new URLSearchParams(window.location.search);
  for (const p of params) {
    q.delete(p.slug);
    const vals = values[p.id] || [];
    const def = defaultStrings(p.default);
    if (JSON.stringify(vals) === JSON.stringify(def)) continue;
    if (!vals.length) q.append(p.slug, "");
    for (const v of vals) q.append(p.slug, v);
  }
  const s = q.toString();
  window.history.replaceState(null, "", window.location.pathname + (s ? "?" + s : "") + window.location.hash);
}

// ---- filter widgets ----

// ---- date filter values ----
// The API's date values (query/params.go): relative ("past30days",
// "next2weeks~" including the current week, "thismonth", "lastyear",
// "today"), a day "2024-03-05", a range "A~B" (either end may be
// missing), a month "2024-03" and a quarter "Q1-2024".

const DATE_UNITS = ["day", "week", "month", "quarter", "year"];
const UNIT_RE = "(minute|hour|day|week|month|quarter|year)";

// parseDateValue reads a date value into its parts, or returns null.
function parseDateValue(v) {
  v = String(v || "").trim();
  let m;
  if (v === "today") return { mode: "relative", dir: "this", unit: "day", named: true };
  if (v === "yesterday") return { mode: "relative", dir: "past", n: 1, unit: "day", named: true };
  if ((m = new RegExp("^(past|next|last)(\\d{1,6})" + UNIT_RE + "s(~?)$").exec(v))) {
    return { mode: "relative", dir: m[1] === "next" ? "next" : "past", n: Number(m[2]), unit: m[3], current: m[4] === "~" };
  }
  if ((m = new RegExp("^(this|last|next)" + UNIT_RE + "$").exec(v))) {
    return { mode: "relative", dir: m[1] === "this" ? "this" : m[1] === "last" ? "past" : "next", n: 1, unit: m[2], named: true };
  }
  if ((m = /^Q([1-4])-(\d{4})$/.exec(v))) return { mode: "quarter", q: Number(m[1]), year: Number(m[2]) };
  if ((m = /^(\d{4})-(\d{2})$/.exec(v)) && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    return { mode: "month", year: Number(m[1]), month: Number(m[2]) };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return { mode: "single", date: v };
  if (v.indexOf("~") >= 0) {
    const [from, to] = v.split("~");
    if (from || to) return { mode: "range", from: from, to: to };
  }
  return null;
}

// dayLabel writes "2024-03-05" as "Mar 5, 2024".
function dayLabel(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return s;
  return MONTHS[Number(m[2]) - 1].slice(0, 3) + " " + Number(m[3]) + ", " + m[1];
}

// dateLabel is a date value in words: "Previous 30 days", "March 2024",
// "Jan 1, 2024 – Mar 31, 2024". A value it cannot read is shown as is.
export function dateLabel(v) {
  const d = parseDateValue(v);
  if (!d) return String(v || "");
  switch (d.mode) {
    case "relative": {
      const special = { today: "Today", thisday: "Today", yesterday: "Yesterday", lastday: "Yesterday", nextday: "Tomorrow" };
      if (special[v]) return special[v];
      if (d.named) return (d.dir === "this" ? "This " : d.dir === "past" ? "Last " : "Next ") + d.unit;
      const span = d.n === 1 ? d.unit : d.n.toLocaleString("en-US") + " " + d.unit + "s";
      const now = d.unit === "day" ? "today" : "this " + d.unit;
      return (d.dir === "next" ? "Next " : "Previous ") + span + (d.current ? ", including " + now : "");
    }
    case "single":
      return dayLabel(d.date);
    case "range":
      if (d.from && d.to) return dayLabel(d.from) + " \u2013 " + dayLabel(d.to);
      return d.from ? "On or after " + dayLabel(d.from) : "On or before " + dayLabel(d.to);
    case "month":
      return MONTHS[d.month - 1] + " " + d.year;
    case "quarter":
      return "Q" + d.q + " " + d.year;
  }
  return String(v);
}

// DATE_MODES are the parts of the date picker each filter type offers;

// any other date type (date/all-options) offers all of them.
const DATE_MODES = { "date/single": ["single"], "date/range": ["range"], "date/relative": ["relative"],
  "date/month-year": ["month"], "date/quarter-year": ["quarter"] };
const ALL_DATE_MODES = ["relative", "single", "range", "month", "quarter"];
const MODE_NAMES = { relative: "Relative", single: "Date", range: "Range", month: "Month", quarter: "Quarter" };
const DATE_PRESETS = ["today", "yesterday", "past7days", "past30days", "thisweek", "thismonth", "lastmonth", "thisyear", "lastyear"];

function pad2(n) { return (n < 10 ? "0" : "") + n; }

function widgetOf(p) {
  const t = p.type || "";
  if (t === "date/single") return "date";
  if (t === "date/range") return "date-range";
  if (t === "date/relative") return "relative";
  if (t === "date/month-year") return "month";
  if (t === "date/quarter-year") return "quarter";
  if (t.indexOf("date") === 0) return "text";
  if (t === "number/between") return "number-range";
  if (t.indexOf("number") === 0) return "number";
  if (t === "category") return "category";
  return "text";
}

function input(type, value, label) {
  const i = el("input");
  i.type = type;
  if (type === "number") i.step = "any";
  i.value = value || "";
  if (label) i.setAttribute("aria-label", label);
  return i;
}

export function selectOf(options, value, label) {
  const s = el("select");
  for (const [v, text] of options) {
    const o = el("option", null, text);
    o.value = v;
    s.appendChild(o);
  }
  s.value = value || "";
  if (label) s.setAttribute("aria-label", label);
  return s;
}

// buildFilter makes one filter's widget; change(vals) reports new values.
// fieldValues(p) resolves to the values of a category filter's column.
export function buildFilter(p, vals, change, fieldValues) {
  const box = el("div", "dash-filter");
  box.dataset.id = p.id;
  box.dataset.slug = p.slug;
  box.dataset.type = p.type;
  box.classList.toggle("active", vals.length > 0);
  const id = "filter-" + p.slug;
  const label = el("label", null, p.name);
  label.htmlFor = id;
  box.appendChild(label);
  const w = widgetOf(p);
  box.dataset.widget = w;
  const set = (v) => { box.classList.toggle("active", v.length > 0); change(v); };
  if ((p.type || "").indexOf("date") === 0) {
    buildDate(box, p, vals, set, id);
  } else if (w === "number" || w === "text") {
    const i = input(w, vals.join(w === "text" && p.multiple ? ", " : ""), null);
    i.id = id;
    if (w === "text") i.placeholder = p.multiple ? "Values separated by commas" : p.name;
    i.addEventListener("change", () => {
      const s = i.value.trim();
      set(s === "" ? [] : (p.multiple && w === "text" ? s.split(",").map((x) => x.trim()).filter(Boolean) : [s]));
    });
    box.appendChild(i);
  } else if (w === "number-range") {
    const a = input("number", vals[0] || "", p.name + " from");
    const b = input("number", vals[1] || "", p.name + " to");
    a.id = id;
    const pair = el("div", "dash-pair");
    pair.append(a, el("span", "muted", "–"), b);
    const fire = () => {
      if (!a.value && !b.value) return set([]);
      if (a.value && b.value) set([a.value, b.value]);
    };
    a.addEventListener("change", fire);
    b.addEventListener("change", fire);
    box.appendChild(pair);
  } else {
    buildCategory(box, p, vals, set, fieldValues, id);
  }
  return box;
}

// buildDate shows a date filter's value in words on a button that opens
// a small picker: relative dates (previous or next N days, weeks,
// months, quarters or years, or the current one), a day, a range, a
// month or a quarter, as the filter's type allows. Apply writes the
// API's form of the value.
function buildDate(box, p, vals, set, id) {
  const modes = DATE_MODES[p.type] || ALL_DATE_MODES;
  let value = p.type === "date/range" && vals.length >= 2 ? vals[0] + "~" + vals[1] : vals[0] || "";
  const d = el("details", "dash-date");
  const sum = el("summary", "dash-date-summary");
  sum.id = id;
  const panel = el("div", "dash-date-panel");
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", p.name);
  d.append(sum, panel);
  box.appendChild(d);
  const show = () => {
    sum.textContent = value ? dateLabel(value) : "Any time";
    sum.dataset.value = value;
    sum.title = value ? sum.textContent : "Choose dates";
  };
  show();
  const choose = (v) => {
    value = v;
    show();
    d.open = false;
    set(v ? [v] : []);
  };

  const now = new Date();
  const field = (label, node) => {
    const l = el("label", "dash-date-field", label);
    l.appendChild(node);
    return l;
  };
  const yearInput = (y) => {
    const i = input("number", String(y), "Year");
    i.min = "1900";
    i.max = "2999";
    i.step = "1";
    i.className = "dash-date-year";
    return i;
  };

  // Each form returns its node and read(), the value or null when a
  // field needs fixing.
  const forms = {
    relative: (cur) => {
      const c = cur && cur.mode === "relative" ? cur : { dir: "past", n: 30, unit: "day" };
      const wrap = el("div", "dash-date-form");
      const chips = el("div", "dash-date-presets");
      for (const v of DATE_PRESETS) {
        const b = el("button", "dash-date-preset", dateLabel(v));
        b.type = "button";
        b.dataset.value = v;
        b.addEventListener("click", () => choose(v));
        chips.appendChild(b);
      }
      const dir = selectOf([["past", "Previous"], ["next", "Next"], ["this", "Current"]], c.dir, "Direction");
      const n = input("number", String(c.n || 30), "How many");
      n.min = "1";
      n.step = "1";
      n.className = "dash-date-n";
      const unit = selectOf(DATE_UNITS.map((u) => [u, u]), DATE_UNITS.indexOf(c.unit) >= 0 ? c.unit : "day", "Unit");
      const incl = el("input");
      incl.type = "checkbox";
      incl.checked = !!c.current;
      const inclText = el("span");
      const inclLabel = el("label", "dash-date-check");
      inclLabel.append(incl, inclText);
      const sync = () => {
        const plural = dir.value !== "this" && Number(n.value) !== 1;
        Array.from(unit.options).forEach((o) => { o.textContent = o.value + (plural ? "s" : ""); });
        n.hidden = dir.value === "this";
        inclLabel.hidden = dir.value === "this";
        inclText.textContent = " Include " + (unit.value === "day" ? "today" : "this " + unit.value);
      };
      dir.addEventListener("change", sync);
      n.addEventListener("input", sync);
      unit.addEventListener("change", sync);
      sync();
      const row = el("div", "dash-date-row");
      row.append(dir, n, unit);
      wrap.append(chips, row, inclLabel);
      return {
        node: wrap,
        read: () => {
          if (dir.value === "this") return unit.value === "day" ? "today" : "this" + unit.value;
          const k = Number(n.value);
          if (!Number.isInteger(k) || k < 1 || k > 999999) { n.focus(); return null; }
          return dir.value + k + unit.value + "s" + (incl.checked ? "~" : "");
        },
      };
    },
    single: (cur) => {
      const i = input("date", cur && cur.mode === "single" ? cur.date : "", "Date");
      return { node: field("On", i), read: () => (i.value ? i.value : (i.focus(), null)) };
    },
    range: (cur) => {
      const c = cur && cur.mode === "range" ? cur : {};
      const a = input("date", c.from || "", "From");
      const b = input("date", c.to || "", "To");
      const wrap = el("div", "dash-date-row");
      wrap.append(field("From", a), field("To", b));
      return {
        node: wrap,
        read: () => {
          if (!a.value && !b.value) { a.focus(); return null; }
          const [lo, hi] = a.value && b.value && a.value > b.value ? [b.value, a.value] : [a.value, b.value];
          return lo + "~" + hi;
        },
      };
    },
    month: (cur) => {
      const c = cur && cur.mode === "month" ? cur : { year: now.getFullYear(), month: now.getMonth() + 1 };
      const m = selectOf(MONTHS.map((name, i) => [String(i + 1), name]), String(c.month), "Month");
      const y = yearInput(c.year);
      const wrap = el("div", "dash-date-row");
      wrap.append(m, y);
      return { node: wrap, read: () => (/^\d{4}$/.test(y.value) ? y.value + "-" + pad2(Number(m.value)) : (y.focus(), null)) };
    },
    quarter: (cur) => {
      const c = cur && cur.mode === "quarter" ? cur : { year: now.getFullYear(), q: Math.floor(now.getMonth() / 3) + 1 };
      const q = selectOf([["1", "Q1"], ["2", "Q2"], ["3", "Q3"], ["4", "Q4"]], String(c.q), "Quarter");
      const y = yearInput(c.year);
      const wrap = el("div", "dash-date-row");
      wrap.append(q, y);
      return { node: wrap, read: () => (/^\d{4}$/.test(y.value) ? "Q" + q.value + "-" + y.value : (y.focus(), null)) };
    },
  };

  // The panel is drawn each time it opens, from the current value: on
  // the summary's click, before the details element opens, so that no
  // earlier drawing shows for a moment.
  const draw = () => {
    const cur = parseDateValue(value);
    let mode = cur && modes.indexOf(cur.mode) >= 0 ? cur.mode : modes[0];
    let form = null;
    const body = el("div", "dash-date-body");
    const tabs = el("div", "dash-date-modes");
    const pick = (m) => {
      mode = m;
      form = forms[m](cur);
      body.replaceChildren(form.node);
      tabs.querySelectorAll("button").forEach((b) => b.classList.toggle("active", b.dataset.mode === m));
    };
    if (modes.length > 1) {
      for (const m of modes) {
        const b = el("button", "dash-date-mode", MODE_NAMES[m]);
        b.type = "button";
        b.dataset.mode = m;
        b.addEventListener("click", () => pick(m));
        tabs.appendChild(b);
      }
    }
    const foot = el("div", "dash-date-foot");
    const clear = el("button", "btn btn-small dash-date-clear", "Clear");
    clear.type = "button";
    clear.addEventListener("click", () => choose(""));
    const apply = el("button", "btn btn-small btn-primary dash-date-apply", "Apply");
    apply.type = "button";
    apply.addEventListener("click", () => {
      const v = form.read();
      if (v !== null) choose(v);
    });
    foot.append(clear, apply);
    panel.replaceChildren(tabs, body, foot);
    tabs.hidden = modes.length < 2;
    pick(mode);
  };
  sum.addEventListener("click", () => { if (!d.open) draw(); });
  d.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && d.open) { d.open = false; sum.focus(); }
    if (e.key === "Enter" && e.target.tagName === "INPUT") {
      e.preventDefault();
      const apply = panel.querySelector(".dash-date-apply");
      if (apply) apply.click();
    }
  });
  document.addEventListener("click", (e) => { if (d.open && !d.contains(e.target)) d.open = false; });
}

// buildCategory shows a drop-down of the column's values: a select for
// one value, a list of check boxes for several. The box's data-values
// turns "loaded" once the values are in.
function buildCategory(box, p, vals, set, fieldValues, id) {
  if (!p.multiple) {
    const s = selectOf([["", "All"]].concat(vals.map((v) => [v, v])), vals[0], null);
    s.id = id;
    s.addEventListener("change", () => set(s.value ? [s.value] : []));
    box.appendChild(s);
    fieldValues(p).then((list) => {
      const cur = s.value;
      const opts = [["", "All"]].concat(list.map((v) => [v, v]));
      for (const v of vals) if (list.indexOf(v) < 0) opts.push([v, v]);
      s.replaceChildren();
      for (const [v, text] of opts) {
        const o = el("option", null, text);
        o.value = v;
        s.appendChild(o);
      }
      s.value = cur;
      box.dataset.values = "loaded";
    });
    return;
  }
  const d = el("details", "dash-multi");
  const sum = el("summary", null, vals.length ? vals.join(", ") : "All");
  sum.id = id;
  const list = el("div", "dash-multi-list");
  d.append(sum, list);
  box.appendChild(d);
  const chosen = new Set(vals);
  const fill = (all) => {
    list.replaceChildren();
    const seen = new Set();
    for (const v of all.concat(vals)) {
      if (seen.has(v)) continue;
      seen.add(v);
      const l = el("label");
      const c = el("input");
      c.type = "checkbox";
      c.value = v;
      c.checked = chosen.has(v);
      c.addEventListener("change", () => {
        if (c.checked) chosen.add(v); else chosen.delete(v);
        const now = Array.from(chosen);
        sum.textContent = now.length ? now.join(", ") : "All";
        set(now);
      });
      l.append(c, document.createTextNode(v));
      list.appendChild(l);
    }
    if (!seen.size) list.appendChild(el("span", "muted small", "No values"));
  };
  fill([]);
  fieldValues(p).then((all) => { fill(all); box.dataset.values = "loaded"; });
  document.addEventListener("click", (e) => { if (!d.contains(e.target)) d.removeAttribute("open"); });
}

// fieldOfTarget reads the field id of ["dimension", ["field", 12, null]].
function fieldOfTarget(t) {
  if (!Array.isArray(t) || t[0] !== "dimension" || !Array.isArray(t[1])) return 0;
  const ref = t[1];
  return ref[0] === "field" && typeof ref[1] === "number" ? ref[1] : 0;
}

// valuesList reads the values of a field or filter values answer.
function valuesList(r) {
  return (r.values || []).map((v) => (Array.isArray(v) ? v[0] : v)).filter((v) => v !== null).map(String);
}

// valuesLoader returns fieldValues for a list of dashcards. On a saved
// dashboard, dashboardURL() names it and the server lists the filter's
// values the way the dashboard's questions run, so that people who may
// only view dashboards get them too and a SQL field filter gets its
// field's. Without it (an X-ray, or filters being edited and not yet
// saved) the values come from the first column the filter is wired to.
// linked(p), when given, is the query string of the values of the
// filters that limit p's choices (see linkedQuery).
export function valuesLoader(getCards, dashboardURL, linked) {
  const cache = {};
  return function (p) {
    const base = dashboardURL ? dashboardURL() : "";
    if (base) {
      const qs = linked ? linked(p) : "";
      const key = "param:" + p.id + qs;
      if (!cache[key]) {
        cache[key] = api("GET", base + "/params/" + encodeURIComponent(p.id) + "/values" + qs).then(valuesList).catch(() => []);
      }
      return cache[key];
    }
    let field = 0;
    for (const dc of getCards()) {
      for (const m of dc.parameter_mappings || []) {
        if (!field && m.parameter_id === p.id) field = fieldOfTarget(m.target);
      }
    }
    if (!field) return Promise.resolve([]);
    if (!cache[field]) {
      cache[field] = api("GET", "/api/field/" + field + "/values").then(valuesList).catch(() => []);
    }
    return cache[field];
  };
}

// linkedQuery is the query string ("?account=28&account=31") of the
// current values of the filters that limit p's choices
// (p.filteringParameters), "" for none.
export function linkedQuery(params, values, p) {
  const q = new URLSearchParams();
  for (const id of p.filteringParameters || []) {
    if (!params.some((o) => o.id === id && o.id !== p.id)) continue;
    for (const v of values[id] || []) q.append(id, v);
  }
  const s = q.toString();
  return s ? "?" + s : "";
}

export function renderFilters(bar, params, values, onChange, fieldValues, extra) {
  bar.replaceChildren();
  const boxes = {};
  const draw = (p) => {
    // Clearing a required filter puts its default back, and the widgets
    // are drawn again to show it.
    const f = buildFilter(p, values[p.id] || [], (v) => {
      const reset = p.required && !(v && v.length);
      values[p.id] = reset ? defaultStrings(p.default) : v;
      onChange(p);
      if (reset) {
        renderFilters(bar, params, values, onChange, fieldValues, extra);
        return;
      }
      // The filters whose choices this one limits list them again.
      for (const o of params) {
        if (o.id !== p.id && (o.filteringParameters || []).indexOf(p.id) >= 0 && boxes[o.id]) boxes[o.id].replaceWith(draw(o));
      }
    }, fieldValues);
    if (p.required) f.classList.add("dash-filter-required");
    if (extra) extra(f, p);
    boxes[p.id] = f;
    return f;
  };
  for (const p of params) bar.appendChild(draw(p));
  bar.hidden = params.length === 0 && !document.body.classList.contains("dash-editing");
}
