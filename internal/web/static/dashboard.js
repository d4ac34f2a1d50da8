// Sightline dashboards and X-rays. The server renders a dashboard's grid as
// positioned boxes; this script runs every card in parallel (each with its
// own spinner and its own error), keeps the filter values in the page URL,
// and offers auto-refresh, full screen, duplicate and an edit mode built on
// gridstack (drag and resize on the 24-column grid, add questions, text and
// headings, filters wired to each card's columns or SQL variables).
//
// The X-ray page (/auto/dashboard/table/ID) uses the same grid and filters
// for a generated, unsaved dashboard whose cards run through /api/dataset.
//
// Plain ES2017, no eval and no inline handlers: the page's CSP forbids them.
// Needs SightlineViz (viz.js) and, for edit mode, the global GridStack.
(function () {
  "use strict";

  const GRID_COLUMNS = 24;
  const GAP = 8;
  const CONFLICT = "Someone else changed this dashboard since you opened it. Reload to see their changes; your edits are still on screen.";

  // ---- small helpers ----

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function clone(v) { return v === undefined ? undefined : JSON.parse(JSON.stringify(v)); }

  // api sends a JSON request and returns the decoded answer; a failure
  // throws an Error carrying the server's message and status.
  async function api(method, url, body, signal) {
    const opts = { method: method, credentials: "same-origin", headers: { Accept: "application/json" }, signal: signal };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const res = await fetch(url, opts);
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (!res.ok) {
      const err = new Error((data && data.message) || "The server answered " + res.status + ".");
      err.status = res.status;
      throw err;
    }
    return data;
  }

  // slug mirrors sightline.Slug: lower-case letters and digits joined by dashes.
  function slug(name) {
    let out = "";
    let dash = false;
    for (const ch of String(name || "").toLowerCase()) {
      if ((ch >= "a" && ch <= "z") || (ch >= "0" && ch <= "9")) {
        if (dash && out) out += "-";
        dash = false;
        out += ch;
      } else {
        dash = true;
      }
      if (out.length >= 80) break;
    }
    return out;
  }

  function dashboardURL(d) {
    const s = slug(d.name);
    return "/dashboard/" + d.id + (s ? "-" + s : "");
  }

  function settingsOf(v) {
    if (!v) return {};
    if (typeof v === "string") {
      try { return JSON.parse(v) || {}; } catch (e) { return {}; }
    }
    return v;
  }

  function showAlert(msg) {
    const a = document.getElementById("dash-alert");
    if (!a) return;
    a.textContent = msg || "";
    a.hidden = !msg;
  }

  // ---- filter values: the URL form and the API form ----

  function defaultStrings(d) {
    if (d === undefined || d === null || d === "") return [];
    if (Array.isArray(d)) return d.reduce((acc, x) => acc.concat(defaultStrings(x)), []);
    return [String(d)];
  }

  // urlValues reads each filter's values from the query string; a filter
  // the URL does not name takes its default.
  function urlValues(params, search) {
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
  function apiValue(p, vals) {
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

  function apiValues(params, values) {
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
  function cardQuery(dc, params, values) {
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
    if (clauses.length) window.SightlineDrill.addFilters(q, clauses);
    if (extra.length) q.parameters = (q.parameters || []).concat(extra);
    return q;
  }

  // writeURL puts the filter values in the address bar so that a link
  // reproduces the view. Other query parameters (the tab) are kept.
  function writeURL(params, values) {
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

  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December"];
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
  function dateLabel(v) {
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

  function selectOf(options, value, label) {
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
  function buildFilter(p, vals, change, fieldValues) {
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
  function valuesLoader(getCards, dashboardURL, linked) {
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
  function linkedQuery(params, values, p) {
    const q = new URLSearchParams();
    for (const id of p.filteringParameters || []) {
      if (!params.some((o) => o.id === id && o.id !== p.id)) continue;
      for (const v of values[id] || []) q.append(id, v);
    }
    const s = q.toString();
    return s ? "?" + s : "";
  }

  function renderFilters(bar, params, values, onChange, fieldValues, extra) {
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

  // ---- click behavior ----
  // A dashboard card's visualization_settings may say what a click on its
  // data does, in the vendor's keys: click_behavior for the whole card, or
  // column_settings['["name","COLUMN"]'].click_behavior for one column.
  // {type: "actionMenu"} (or none) opens the drill menu; {type: "link",
  // linkType: "dashboard" | "question" | "url", targetId, linkTemplate,
  // parameterMapping} opens another dashboard (its filters set from the
  // clicked row), a saved question or a URL; {type: "crossfilter",
  // parameterMapping} sets this dashboard's filters.

  // clickBehaviorOf finds the click behavior for a click on column col.
  function clickBehaviorOf(settings, col) {
    const cs = settings.column_settings || {};
    const own = col && cs['["name","' + col.name + '"]'];
    if (own && own.click_behavior && own.click_behavior.type) return own.click_behavior;
    const cb = settings.click_behavior;
    return cb && cb.type ? cb : null;
  }

  // rowValue is the clicked row's value of a column named name (any case).
  function rowValue(cols, row, name) {
    const i = cols.findIndex((c) => c.name === name);
    const j = i >= 0 ? i : cols.findIndex((c) => String(c.name).toLowerCase() === String(name).toLowerCase());
    return j >= 0 && row ? row[j] : undefined;
  }

  // sourceValues turns a click behavior's parameterMapping into values by
  // target filter id: a column's value from the clicked row, or the current
  // value of one of this dashboard's filters.
  function sourceValues(cb, cols, row, params, values) {
    const out = {};
    for (const k of Object.keys(cb.parameterMapping || {})) {
      const m = cb.parameterMapping[k] || {};
      const src = m.source || {};
      const target = (m.target && m.target.id) || k;
      if (src.type === "parameter") {
        const p = params.find((x) => x.id === src.id);
        if (p && (values[p.id] || []).length) out[target] = values[p.id].slice();
        continue;
      }
      const v = rowValue(cols, row, src.id);
      if (v !== undefined) out[target] = v === null ? [] : [String(v)];
    }
    return out;
  }

  // safeURL is a link opened by a click: an http or https address or a
  // path of this site; anything else (javascript:, data:, //host) is null.
  function safeURL(u) {
    const s = String(u || "").trim();
    if (/^\/(?![\/\\])/.test(s)) return s;
    if (/^https?:\/\/[^\/\\]/i.test(s)) return s;
    return null;
  }

  // fillTemplate puts the clicked row's values (by column name) and the
  // dashboard's filter values (by filter slug) into a URL template's
  // {{name}} places, URL-encoded.
  function fillTemplate(tpl, cols, row, params, values) {
    return String(tpl || "").replace(/\{\{\s*([^}]+?)\s*\}\}/g, (all, name) => {
      let v = rowValue(cols, row, name);
      if (v === undefined) {
        const p = params.find((x) => x.slug === name);
        v = p ? (values[p.id] || []).join(",") : "";
      }
      return encodeURIComponent(v === null || v === undefined ? "" : String(v));
    });
  }

  // ---- text cards ----
  // A text card is Markdown: # headings, - lists, **bold**, *italic*,
  // `code` and [links](https://…) (http, https or this site only), with
  // {{slug}} filled from the dashboard's filter of that slug. It is built
  // as DOM nodes, never as HTML, so neither the text nor a filter value can
  // add markup or script.

  // fillText puts the filters' current values into {{slug}} places.
  function fillText(text, params, values) {
    return String(text || "").replace(/\{\{\s*([^}]+?)\s*\}\}/g, (all, name) => {
      const p = (params || []).find((x) => x.slug === name || x.id === name);
      if (!p) return all;
      const vals = values[p.id] || [];
      return vals.length ? vals.map((v) => (String(p.type || "").indexOf("date") === 0 ? dateLabel(v) : v)).join(", ") : "";
    });
  }

  // inline appends a line's text with its emphasis, code and links.
  function inline(node, text) {
    const re = /(\*\*([^*]+)\*\*|\*([^*]+)\*|_([^_]+)_|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\))/;
    let rest = text;
    let m;
    while ((m = re.exec(rest))) {
      if (m.index) node.appendChild(document.createTextNode(rest.slice(0, m.index)));
      if (m[2] !== undefined) inline(node.appendChild(el("strong")), m[2]);
      else if (m[3] !== undefined || m[4] !== undefined) inline(node.appendChild(el("em")), m[3] !== undefined ? m[3] : m[4]);
      else if (m[5] !== undefined) node.appendChild(el("code", null, m[5]));
      else {
        const url = safeURL(m[7]);
        if (url) {
          const a = el("a");
          a.href = url;
          if (url[0] !== "/") { a.target = "_blank"; a.rel = "noopener noreferrer"; }
          inline(a, m[6]);
          node.appendChild(a);
        } else {
          // A link to anything else stays as it was written.
          node.appendChild(document.createTextNode(m[0]));
        }
      }
      rest = rest.slice(m.index + m[0].length);
    }
    if (rest) node.appendChild(document.createTextNode(rest));
  }

  // markdown renders a text card's Markdown into node.
  function markdown(node, text) {
    node.replaceChildren();
    let list = null;
    let para = null;
    for (const line of String(text || "").split(/\r?\n/)) {
      const h = /^(#{1,3})\s+(.*)$/.exec(line);
      const li = /^\s*[-*]\s+(.*)$/.exec(line);
      if (!line.trim()) { list = para = null; continue; }
      if (h) {
        list = para = null;
        inline(node.appendChild(el("h" + (h[1].length + 2))), h[2]);
      } else if (li) {
        para = null;
        if (!list) list = node.appendChild(el("ul"));
        inline(list.appendChild(el("li")), li[1]);
      } else {
        list = null;
        if (para) para.appendChild(el("br")); else para = node.appendChild(el("p"));
        inline(para, line);
      }
    }
  }

  // ---- cards ----

  function spinner() {
    const d = el("div", "dash-loading");
    d.appendChild(el("span", "dash-spinner"));
    const t = el("span", "visually-hidden", "Loading…");
    d.appendChild(t);
    return d;
  }

  // cardSettings merges the question's display and settings with the
  // dashboard card's own settings.
  function cardSettings(dc) {
    const card = dc.card || {};
    const s = Object.assign({}, settingsOf(card.visualization_settings), settingsOf(dc.visualization_settings));
    delete s.virtual_card;
    if (card.display && !s.display) s.display = card.display;
    return s;
  }

  // runCard loads one card into its box: its own spinner, its own error.
  // run(signal) resolves to the API answer ({data: {cols, rows}}).
  function runCard(box, dc, run) {
    const body = box.querySelector(".dash-card-body");
    if (!body) return Promise.resolve();
    if (box._abort) box._abort.abort();
    const ctl = new AbortController();
    box._abort = ctl;
    if (body._viz) { body._viz.dispose(); body._viz = null; }
    body.dataset.state = "loading";
    body.replaceChildren(spinner());
    return run(ctl.signal).then((res) => {
      if (ctl.signal.aborted) return;
      body.replaceChildren();
      const data = res && res.data ? res.data : { cols: [], rows: [] };
      const viz = el("div", "dash-viz");
      body.appendChild(viz);
      body._viz = window.SightlineViz.render(viz, data, cardSettings(dc));
      body._data = data;
      body.dataset.state = data.rows && data.rows.length ? "done" : "empty";
      body.dataset.rows = String(data.rows ? data.rows.length : 0);
      if (viz.querySelector(".viz-error")) body.dataset.state = "error";
    }).catch((err) => {
      if (ctl.signal.aborted || (err && err.name === "AbortError")) return;
      body.dataset.state = "error";
      body.replaceChildren(el("div", "dash-card-error", err && err.message ? err.message : String(err)));
      body.firstChild.setAttribute("role", "alert");
    });
  }

  // disposeViz frees the chart of a card box that leaves the page.
  function disposeViz(box) {
    const body = box.querySelector(".dash-card-body");
    if (body && body._viz) {
      body._viz.dispose();
      body._viz = null;
    }
  }

  // cardBox builds a grid box like the server's, for cards added in edit
  // mode and for X-ray cards.
  function cardBox(dc, key) {
    const box = el("div", "dash-card grid-stack-item");
    box.id = "dashcard-" + key;
    box.dataset.dashcardId = String(key);
    box.dataset.cardId = String(dc.card_id || 0);
    box.setAttribute("gs-id", String(key));
    box.setAttribute("gs-x", dc.col);
    box.setAttribute("gs-y", dc.row);
    box.setAttribute("gs-w", dc.size_x);
    box.setAttribute("gs-h", dc.size_y);
    box.style.gridColumn = (dc.col + 1) + " / span " + dc.size_x;
    box.style.gridRow = (dc.row + 1) + " / span " + dc.size_y;
    const inner = el("div", "grid-stack-item-content dash-card-inner");
    box.appendChild(inner);
    const vs = settingsOf(dc.visualization_settings);
    const virt = vs.virtual_card && vs.virtual_card.display;
    if (!dc.card_id && !dc.card) {
      const kind = virt === "heading" ? "heading" : "text";
      box.classList.add("dash-virtual", "dash-" + kind);
      inner.appendChild(el(kind === "heading" ? "h2" : "div", "dash-text-body", vs.text || ""));
      return box;
    }
    const head = el("div", "dash-card-head");
    const title = el("a", "dash-card-title", vs["card.title"] || (dc.card && dc.card.name) || "Question");
    if (dc.card_id) title.href = "/question/" + dc.card_id;
    head.appendChild(title);
    inner.appendChild(head);
    const body = el("div", "dash-card-body");
    body.dataset.state = "waiting";
    body.appendChild(spinner());
    inner.appendChild(body);
    return box;
  }

  // ---- the dashboard page ----

  function initDashboard(root) {
    const cfgEl = document.getElementById("dashboard-data");
    if (!cfgEl) return;
    const cfg = JSON.parse(cfgEl.textContent);
    const dash = cfg.dashboard;
    dash.parameters = dash.parameters || [];
    dash.dashcards = dash.dashcards || [];
    dash.tabs = dash.tabs || [];
    const rowHeight = cfg.row_height || 56;
    const grid = document.getElementById("dash-grid");
    const byKey = {};
    for (const dc of dash.dashcards) byKey[String(dc.id)] = dc;
    const values = urlValues(dash.parameters, window.location.search);
    const state = { editing: false, gs: null, nextKey: -1, nextTab: -1, tab: cfg.tab || 0, refresh: 0, timer: 0 };
    const fieldValues = valuesLoader(() => dash.dashcards, () => (state.editing ? "" : "/api/dashboard/" + dash.id),
      (p) => linkedQuery(dash.parameters, values, p));
    root.classList.add("js");

    // unusable is true for a card whose question is gone, archived or not
    // readable by the viewer.
    const unusable = (dc) => !dc.card || dc.card.archived || !dc.card.dataset_query;

    const runOne = (box) => {
      const dc = byKey[box.dataset.dashcardId];
      if (!dc || !dc.card_id) return Promise.resolve();
      // A missing, archived or restricted question keeps the server's message.
      if (dc.id > 0 && unusable(dc)) return Promise.resolve();
      if (dc.id > 0 && !state.editing) {
        const url = "/api/dashboard/" + dash.id + "/dashcard/" + dc.id + "/card/" + dc.card_id + "/query";
        return runCard(box, dc, (signal) => api("POST", url, { parameters: apiValues(dash.parameters, values) }, signal));
      }
      return runCard(box, dc, (signal) => api("POST", "/api/card/" + dc.card_id + "/query", {}, signal));
    };
    const runAll = () => {
      const boxes = Array.from(grid.querySelectorAll(".dash-card"));
      return Promise.all(boxes.map(runOne)).then(() => { root.dataset.loaded = "true"; });
    };

    const bar = document.getElementById("dash-filters") || (() => {
      const f = el("form", "dash-filters");
      f.id = "dash-filters";
      grid.parentNode.insertBefore(f, grid);
      return f;
    })();
    bar.addEventListener("submit", (e) => e.preventDefault());
    const drawFilters = () => renderFilters(bar, dash.parameters, values, () => {
      writeURL(dash.parameters, values);
      if (!state.editing) { drawTexts(); runAll(); }
    }, fieldValues, (box, p) => {
      const b = el("button", "linklike dash-filter-edit", "Edit");
      b.type = "button";
      b.setAttribute("aria-label", "Edit the filter " + p.name);
      b.addEventListener("click", (e) => { e.preventDefault(); editFilter(p); });
      box.querySelector("label").appendChild(b);
    });
    // Text cards show their Markdown with the filters' values.
    const drawTexts = () => {
      if (state.editing) return;
      grid.querySelectorAll(".dash-card.dash-text").forEach((box) => {
        const dc = byKey[box.dataset.dashcardId];
        const body = box.querySelector(".dash-text-body");
        if (dc && body) markdown(body, fillText(settingsOf(dc.visualization_settings).text, dash.parameters, values));
      });
    };
    drawFilters();
    drawTexts();
    runAll();

    // ---- drill-through ----
    // A click on a card's data opens the drill menu; each action opens a new
    // ad-hoc question in the same window (inside an embedding frame the
    // session keeps the frame's UI options) carrying the dashboard's filters.
    const menu = document.getElementById("drill-menu");
    const metaCache = {};
    const metaOf = (db) => {
      if (!db) return null;
      if (!metaCache[db]) metaCache[db] = api("GET", "/api/database/" + db + "/metadata").then(window.SightlineDrill.metadata);
      return metaCache[db];
    };
    const openQuestion = (query, display) => { window.location.assign(window.SightlineDrill.adHocURL(query, display, {})); };
    // follow carries out a click behavior for a click on a card.
    const follow = (cb, detail, data) => {
      const got = sourceValues(cb, data.cols, detail.row, dash.parameters, values);
      if (cb.type === "crossfilter") {
        for (const id of Object.keys(got)) {
          const p = dash.parameters.find((x) => x.id === id);
          if (!p) continue;
          // A second click on the value that is already set clears it.
          values[id] = JSON.stringify(values[id] || []) === JSON.stringify(got[id]) ? [] : got[id];
        }
        writeURL(dash.parameters, values);
        drawFilters();
        drawTexts();
        runAll();
        return;
      }
      if (cb.linkType === "url") {
        const url = safeURL(fillTemplate(cb.linkTemplate, data.cols, detail.row, dash.parameters, values));
        if (!url) { showAlert("This card links to an address that is not http, https or a page of this site."); return; }
        if (url[0] === "/") window.location.assign(url);
        else window.open(url, "_blank", "noopener");
        return;
      }
      if (cb.linkType === "question") {
        window.location.assign("/question/" + encodeURIComponent(cb.targetId));
        return;
      }
      if (cb.linkType === "dashboard") {
        api("GET", "/api/dashboard/" + encodeURIComponent(cb.targetId)).then((d) => {
          const q = new URLSearchParams();
          for (const p of d.parameters || []) for (const v of got[p.id] || []) q.append(p.slug, v);
          const s = q.toString();
          window.location.assign("/dashboard/" + d.id + (s ? "?" + s : ""));
        }).catch((e) => showAlert(e.message));
      }
    };

    grid.addEventListener("sightline:drill", (ev) => {
      const box = ev.target.closest(".dash-card");
      const dc = box && byKey[box.dataset.dashcardId];
      const body = box && box.querySelector(".dash-card-body");
      if (state.editing || !menu || !dc || !dc.card || !body || !body._data) return;
      const detail = ev.detail || {};
      const cb = clickBehaviorOf(settingsOf(dc.visualization_settings), detail.column);
      if (cb && cb.type !== "actionMenu") { follow(cb, detail, body._data); return; }
      if (!dc.card.dataset_query) return;
      const query = cardQuery(dc, dash.parameters, values);
      const drill = window.SightlineDrill.drill({ query: query, result: { data: body._data }, meta: metaOf(query.database) });
      drill.actions(detail).then((acts) => {
        if (window.SightlineDrill.showMenu(menu, detail, acts, openQuestion) && body._viz && body._viz.chart) body._viz.chart.dispatchAction({ type: "hideTip" });
      });
    });
    if (menu) {
      document.addEventListener("click", (ev) => {
        if (!ev.target.closest("#drill-menu") && !ev.target.closest(".dash-card-body")) window.SightlineDrill.closeMenu(menu);
      });
      document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") window.SightlineDrill.closeMenu(menu); });
    }

    // ---- downloads ----
    // Each question card's menu downloads its results (CSV, XLSX or JSON)
    // with the dashboard's current filter values; the server applies the
    // person's permissions, sandboxes and download limits.
    const download = (dc, format) => {
      const f = el("form");
      f.method = "post";
      f.hidden = true;
      f.action = "/api/dashboard/" + dash.id + "/dashcard/" + dc.id + "/card/" + dc.card_id + "/query/" + format;
      const i = el("input");
      i.type = "hidden";
      i.name = "parameters";
      i.value = JSON.stringify(apiValues(dash.parameters, values));
      f.appendChild(i);
      document.body.appendChild(f);
      f.submit();
      f.remove();
    };
    grid.querySelectorAll(".dash-card").forEach((box) => {
      const dc = byKey[box.dataset.dashcardId];
      const head = box.querySelector(".dash-card-head");
      if (!dc || !dc.card_id || !head || unusable(dc)) return;
      const m = el("details", "menu dash-download");
      const sum = el("summary", "dash-download-button", "\u2913");
      sum.title = "Download results";
      sum.setAttribute("aria-label", "Download results");
      const items = el("div", "menu-items");
      for (const [format, label] of [["csv", ".csv"], ["xlsx", ".xlsx"], ["json", ".json"]]) {
        const b = el("button", "linklike", label);
        b.type = "button";
        b.dataset.format = format;
        b.addEventListener("click", () => { m.open = false; download(dc, format); });
        items.appendChild(b);
      }
      m.append(sum, items);
      head.appendChild(m);
    });

    // Auto-refresh, full screen and duplicate.
    const setRefresh = (min) => {
      state.refresh = min;
      if (state.timer) window.clearInterval(state.timer);
      state.timer = min > 0 ? window.setInterval(() => { if (!state.editing) runAll(); }, min * 60000) : 0;
      document.querySelectorAll("[data-refresh]").forEach((b) => b.classList.toggle("active", Number(b.dataset.refresh) === min));
      root.dataset.refresh = String(min);
    };
    document.querySelectorAll("[data-refresh]").forEach((b) => b.addEventListener("click", () => {
      setRefresh(Number(b.dataset.refresh));
      const m = document.getElementById("dash-menu");
      if (m) m.removeAttribute("open");
    }));
    setRefresh(dash.auto_refresh || 0);
    const fs = document.getElementById("dash-fullscreen");
    if (fs) {
      fs.addEventListener("click", () => {
        if (document.fullscreenElement) document.exitFullscreen();
        else if (root.requestFullscreen) root.requestFullscreen().catch((e) => showAlert("Full screen is not available: " + e.message));
      });
      document.addEventListener("fullscreenchange", () => {
        fs.textContent = document.fullscreenElement ? "Exit full screen" : "Enter full screen";
      });
    }
    const dup = document.getElementById("dash-duplicate");
    if (dup) {
      dup.addEventListener("click", () => {
        api("POST", "/api/dashboard/" + dash.id + "/copy").then((d) => { window.location.assign(dashboardURL(d)); })
          .catch((e) => showAlert(e.message));
      });
    }

    // ---- edit mode ----
    const editBtn = document.getElementById("dash-edit");
    const editbar = document.getElementById("dash-editbar");
    const cardCache = {};
    const cardOf = (id) => {
      if (!cardCache[id]) cardCache[id] = api("GET", "/api/card/" + id);
      return cardCache[id];
    };
    for (const dc of dash.dashcards) if (dc.card) cardCache[dc.card_id] = Promise.resolve(dc.card);

    const decorate = (box) => {
      const dc = byKey[box.dataset.dashcardId];
      const inner = box.querySelector(".dash-card-inner");
      let head = inner.querySelector(".dash-card-head");
      if (!head) {
        head = el("div", "dash-card-head dash-card-tools");
        inner.insertBefore(head, inner.firstChild);
        const txt = inner.querySelector(".dash-text-body");
        const ta = el("textarea", "dash-edit-text");
        ta.value = settingsOf(dc.visualization_settings).text || "";
        ta.placeholder = box.classList.contains("dash-heading") ? "Heading" : "Write some text";
        ta.setAttribute("aria-label", ta.placeholder);
        ta.addEventListener("mousedown", (e) => e.stopPropagation());
        if (txt) txt.replaceWith(ta); else inner.appendChild(ta);
        head.appendChild(el("span", "muted small", box.classList.contains("dash-heading") ? "Heading" : "Text"));
        head.lastChild.style.flex = "1";
      }
      if (dc && dc.card_id && !head.querySelector(".dash-click-edit")) {
        const cb = el("button", "linklike dash-click-edit", "Click behavior");
        cb.type = "button";
        cb.setAttribute("aria-label", "Click behavior of this card");
        cb.addEventListener("click", () => editClick(dc, box));
        head.appendChild(cb);
      }
      if (!head.querySelector(".dash-remove")) {
        const rm = el("button", "dash-remove", "\u2715");
        rm.type = "button";
        rm.title = "Remove this card";
        rm.setAttribute("aria-label", "Remove this card");
        rm.addEventListener("click", () => {
          dash.dashcards = dash.dashcards.filter((x) => x !== dc);
          disposeViz(box);
          if (state.gs) state.gs.removeWidget(box);
          else box.remove();
        });
        head.appendChild(rm);
      }
      moveMenu(box);
    };

    const enterEdit = () => {
      if (state.editing) return;
      if (!window.GridStack) { showAlert("The layout editor could not be loaded."); return; }
      state.editing = true;
      document.body.classList.add("dash-editing");
      if (editbar) editbar.hidden = false;
      const actions = document.getElementById("dash-actions");
      if (actions) actions.hidden = true;
      const empty = document.getElementById("dash-empty");
      if (empty) empty.hidden = true;
      const nameEl = document.getElementById("dashboard-name");
      if (nameEl) {
        const ni = el("input", "dash-name-input");
        ni.id = "dashboard-name-input";
        ni.value = dash.name;
        ni.setAttribute("aria-label", "Dashboard name");
        nameEl.replaceWith(ni);
        const di = el("input", "dash-desc-input");
        di.id = "dashboard-description-input";
        di.value = dash.description || "";
        di.placeholder = "Add a description";
        di.setAttribute("aria-label", "Dashboard description");
        const old = document.getElementById("dashboard-description");
        if (old) old.replaceWith(di); else ni.after(di);
      }
      grid.querySelectorAll(".dash-card").forEach((box) => { box.style.gridColumn = ""; box.style.gridRow = ""; decorate(box); });
      grid.classList.add("grid-stack");
      state.gs = window.GridStack.init({
        column: GRID_COLUMNS, cellHeight: rowHeight + GAP, margin: GAP / 2, float: true, animate: false,
        minRow: 4, resizable: { handles: "se" }, draggable: { cancel: "textarea, input, button, select, a" },
      }, grid);
      root.dataset.editing = "true";
      bar.hidden = false;
      drawFilters();
      drawTabs();
    };
    if (editBtn && cfg.can_edit) {
      editBtn.hidden = false;
      editBtn.addEventListener("click", enterEdit);
    }

    const bottom = () => {
      let b = 0;
      grid.querySelectorAll(".dash-card").forEach((box) => {
        const n = box.gridstackNode;
        if (n) b = Math.max(b, n.y + n.h);
      });
      return b;
    };
    const addBox = (dc) => {
      const key = state.nextKey--;
      dc.id = key;
      dc.dashboard_tab_id = state.tab;
      byKey[String(key)] = dc;
      dash.dashcards.push(dc);
      const box = cardBox(dc, key);
      box.style.gridColumn = "";
      box.style.gridRow = "";
      grid.appendChild(box);
      decorate(box);
      state.gs.makeWidget(box);
      return box;
    };
    const addText = (kind) => {
      const box = addBox({ card_id: 0, row: bottom(), col: 0, size_x: kind === "heading" ? 24 : 12, size_y: kind === "heading" ? 1 : 3,
        parameter_mappings: [], visualization_settings: { virtual_card: { display: kind }, text: "" } });
      const ta = box.querySelector("textarea");
      if (ta) ta.focus();
    };
    const addQuestion = (id) => cardOf(id).then((card) => {
      const box = addBox({ card_id: card.id, card: card, row: bottom(), col: 0, size_x: 12, size_y: 6,
        parameter_mappings: [], visualization_settings: {} });
      runOne(box);
    }).catch((e) => showAlert(e.message));

    const bind = (id, fn) => { const b = document.getElementById(id); if (b) b.addEventListener("click", fn); };
    bind("dash-add-text", () => addText("text"));
    bind("dash-add-heading", () => addText("heading"));
    bind("dash-add-question", () => openPicker(addQuestion));
    bind("dash-add-filter", () => editFilter(null));
    bind("dash-add-tab", () => addTab());
    bind("dash-cancel", () => { window.location.assign(window.location.pathname + window.location.search); });
    bind("dash-save", () => save());

    // ---- tabs ----
    // Edit mode keeps every tab's cards in dash.dashcards and draws one tab
    // at a time. A new tab has a negative id until the save gives it the
    // next free positive one. A card without a tab, or on a tab that is
    // gone, belongs to the first tab. Deleting a tab moves its cards below
    // those of the first remaining tab; a dashboard left with one tab has
    // no tabs at all, and adding a tab to a dashboard without tabs makes
    // two: "Tab 1" with the existing cards and the new one.
    const tabOf = (dc) => {
      const tabs = dash.tabs;
      if (!tabs.length) return 0;
      return tabs.some((t) => t.id === dc.dashboard_tab_id) ? dc.dashboard_tab_id : tabs[0].id;
    };

    // syncGrid writes the positions and texts of the cards on screen back
    // into dash.dashcards.
    const syncGrid = () => {
      grid.querySelectorAll(".dash-card").forEach((box) => {
        const dc = byKey[box.dataset.dashcardId];
        const n = box.gridstackNode;
        if (!dc || !n) return;
        Object.assign(dc, { row: n.y, col: n.x, size_x: n.w, size_y: n.h });
        const ta = box.querySelector("textarea.dash-edit-text");
        if (ta) dc.visualization_settings = Object.assign(settingsOf(dc.visualization_settings), { text: ta.value });
      });
    };

    // placeBelow moves cards to a tab, below the cards already there,
    // keeping their arrangement.
    const placeBelow = (cards, tab) => {
      if (!cards.length) return;
      let floor = 0;
      for (const dc of dash.dashcards) {
        if (cards.indexOf(dc) < 0 && tabOf(dc) === tab) floor = Math.max(floor, dc.row + dc.size_y);
      }
      const top = Math.min.apply(null, cards.map((dc) => dc.row));
      for (const dc of cards) {
        dc.row = floor + dc.row - top;
        dc.dashboard_tab_id = tab;
      }
    };

    // tabURL keeps the tab on screen in the address bar.
    const tabURL = (id) => {
      const q = new URLSearchParams(window.location.search);
      if (id) q.set("tab", String(id)); else q.delete("tab");
      const s = q.toString();
      window.history.replaceState(null, "", window.location.pathname + (s ? "?" + s : "") + window.location.hash);
    };

    const missing = (box, dc) => {
      const body = box.querySelector(".dash-card-body");
      if (!body) return;
      body.dataset.state = "error";
      let msg = "This card's question no longer exists.";
      // A question the viewer may not read comes as a placeholder whose
      // name says so, without a query.
      if (dc.card) msg = dc.card.dataset_query ? "The question \u201c" + dc.card.name + "\u201d was archived." : dc.card.name;
      body.replaceChildren(el("div", "dash-card-error", msg));
    };

    // showTab draws one tab's cards in the editable grid.
    const showTab = (id) => {
      syncGrid();
      grid.querySelectorAll(".dash-card").forEach(disposeViz);
      state.gs.removeAll(true);
      state.tab = id;
      for (const dc of dash.dashcards) {
        if (tabOf(dc) !== id) continue;
        const box = cardBox(dc, dc.id);
        box.style.gridColumn = "";
        box.style.gridRow = "";
        grid.appendChild(box);
        decorate(box);
        state.gs.makeWidget(box);
        if (dc.card_id && unusable(dc)) missing(box, dc);
        else runOne(box);
      }
      tabURL(id);
      drawTabs();
      root.dataset.tab = String(id);
    };

    const tabNav = () => {
      let nav = document.getElementById("dash-tabs");
      if (!nav) {
        nav = el("nav", "tabs dash-tabs");
        nav.id = "dash-tabs";
        bar.parentNode.insertBefore(nav, bar);
      }
      return nav;
    };

    // drawTabs shows the tabs as buttons to switch, rename and delete.
    const drawTabs = () => {
      const nav = tabNav();
      nav.classList.add("dash-tabs-edit");
      nav.hidden = dash.tabs.length === 0;
      nav.replaceChildren();
      for (const t of dash.tabs) {
        const item = el("span", "dash-tab" + (t.id === state.tab ? " active" : ""));
        item.dataset.tabId = String(t.id);
        const name = el("button", "dash-tab-name", t.name);
        name.type = "button";
        if (t.id === state.tab) name.setAttribute("aria-current", "page");
        name.addEventListener("click", () => { if (t.id !== state.tab) showTab(t.id); });
        name.addEventListener("dblclick", () => renameTab(t, item));
        const tool = (cls, text, label, fn) => {
          const b = el("button", "dash-tab-tool " + cls, text);
          b.type = "button";
          b.title = label;
          b.setAttribute("aria-label", label);
          b.addEventListener("click", fn);
          return b;
        };
        item.append(name, tool("dash-tab-rename", "\u270E", "Rename the tab " + t.name, () => renameTab(t, item)),
          tool("dash-tab-delete", "\u2715", "Delete the tab " + t.name, () => deleteTab(t)));
        nav.appendChild(item);
      }
      grid.querySelectorAll(".dash-card").forEach(moveMenu);
    };

    const renameTab = (t, item) => {
      const input = el("input", "dash-tab-input");
      input.value = t.name;
      input.setAttribute("aria-label", "Tab name");
      let done = false;
      const finish = (keep) => {
        if (done) return;
        done = true;
        if (keep && input.value.trim()) t.name = input.value.trim();
        drawTabs();
      };
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter") { e.preventDefault(); finish(true); }
        if (e.key === "Escape") finish(false);
      });
      input.addEventListener("blur", () => finish(true));
      item.replaceChildren(input);
      input.focus();
      input.select();
    };

    const addTab = () => {
      if (!state.editing) return;
      syncGrid();
      const name = () => {
        let n = dash.tabs.length + 1;
        while (dash.tabs.some((t) => t.name === "Tab " + n)) n++;
        return "Tab " + n;
      };
      if (!dash.tabs.length) {
        const first = { id: state.nextTab--, name: name() };
        dash.tabs.push(first);
        for (const dc of dash.dashcards) dc.dashboard_tab_id = first.id;
      }
      const t = { id: state.nextTab--, name: name() };
      dash.tabs.push(t);
      showTab(t.id);
    };

    const deleteTab = (t) => {
      syncGrid();
      const rest = dash.tabs.filter((x) => x !== t);
      placeBelow(dash.dashcards.filter((dc) => tabOf(dc) === t.id), rest[0].id);
      dash.tabs = rest;
      if (rest.length === 1) {
        dash.tabs = [];
        for (const dc of dash.dashcards) dc.dashboard_tab_id = 0;
      }
      showTab(state.tab === t.id || !dash.tabs.length ? tabOf({}) : state.tab);
    };

    // moveMenu gives a card a drop-down of the other tabs to move it to;
    // the card goes to the left edge, below the cards already there.
    function moveMenu(box) {
      const dc = byKey[box.dataset.dashcardId];
      const head = box.querySelector(".dash-card-head");
      if (!dc || !head) return;
      let s = head.querySelector("select.dash-move");
      const others = dash.tabs.filter((t) => t.id !== tabOf(dc));
      if (!others.length) {
        if (s) s.remove();
        return;
      }
      if (!s) {
        s = el("select", "dash-move");
        s.setAttribute("aria-label", "Move this card to another tab");
        s.title = "Move to another tab";
        s.addEventListener("change", () => {
          const id = Number(s.value);
          if (!id) return;
          syncGrid();
          dc.col = 0;
          placeBelow([dc], id);
          disposeViz(box);
          state.gs.removeWidget(box);
        });
        head.insertBefore(s, head.querySelector(".dash-remove"));
      }
      s.replaceChildren();
      for (const [v, text] of [["", "Move to\u2026"]].concat(others.map((t) => [String(t.id), t.name]))) {
        const o = el("option", null, text);
        o.value = v;
        s.appendChild(o);
      }
      s.value = "";
    }

    // layout is every card of every tab as the API saves them.
    const layout = () => {
      syncGrid();
      return dash.dashcards.map((dc) => ({ id: dc.id > 0 ? dc.id : undefined, card_id: dc.card_id || undefined,
        dashboard_tab_id: tabOf(dc) || undefined, row: dc.row, col: dc.col, size_x: dc.size_x, size_y: dc.size_y,
        visualization_settings: settingsOf(dc.visualization_settings),
        parameter_mappings: (dc.parameter_mappings || []).filter((m) => dash.parameters.some((p) => p.id === m.parameter_id))
          .map((m) => ({ parameter_id: m.parameter_id, card_id: dc.card_id, target: m.target })) }));
    };

    // tabIDs maps each tab's id to the one it is saved with: new tabs get
    // the ids after the largest existing one.
    const tabIDs = () => {
      let next = dash.tabs.reduce((m, t) => Math.max(m, t.id), 0);
      return new Map(dash.tabs.map((t) => [t.id, t.id > 0 ? t.id : ++next]));
    };

    const save = () => {
      const ni = document.getElementById("dashboard-name-input");
      const di = document.getElementById("dashboard-description-input");
      const ids = tabIDs();
      const cards = layout();
      for (const c of cards) if (c.dashboard_tab_id) c.dashboard_tab_id = ids.get(c.dashboard_tab_id);
      const body = { name: ni ? ni.value : dash.name, description: di ? di.value : dash.description, parameters: dash.parameters,
        tabs: dash.tabs.map((t, i) => ({ id: ids.get(t.id), name: t.name, position: i })), dashcards: cards, revision: dash.revision };
      const btn = document.getElementById("dash-save");
      if (btn) btn.disabled = true;
      showAlert("");
      api("PUT", "/api/dashboard/" + dash.id, body).then((d) => {
        root.dataset.saved = "true";
        const q = new URLSearchParams(window.location.search);
        if (state.tab && ids.has(state.tab)) q.set("tab", String(ids.get(state.tab))); else q.delete("tab");
        const search = q.toString();
        window.location.assign(dashboardURL(d) + (search ? "?" + search : ""));
      }).catch((e) => {
        if (btn) btn.disabled = false;
        showAlert(e.status === 409 ? (e.message && e.message.indexOf("Someone else") === 0 ? e.message : CONFLICT) : e.message);
      });
    };

    // ---- the question picker ----
    const openPicker = (pick) => {
      const dlg = document.getElementById("dash-picker");
      if (!dlg) return;
      const inner = el("div", "dash-dialog-inner");
      const h = el("h2", null, "Add a saved question");
      h.id = "dash-picker-title";
      const search = el("input");
      search.type = "search";
      search.placeholder = "Search questions…";
      search.id = "dash-picker-search";
      search.setAttribute("aria-label", "Search questions");
      const crumbs = el("div", "muted small");
      const list = el("div", "dash-dialog-list");
      list.id = "dash-picker-list";
      const foot = el("div", "dash-dialog-foot");
      const close = el("button", "btn", "Close");
      close.type = "button";
      close.addEventListener("click", () => dlg.close());
      foot.appendChild(close);
      inner.append(h, search, crumbs, list, foot);
      dlg.replaceChildren(inner);
      const show = (items, back) => {
        list.replaceChildren();
        if (back) {
          const b = el("button", null, "\u2190 Back");
          b.type = "button";
          b.addEventListener("click", back);
          list.appendChild(b);
        }
        for (const it of items) {
          const b = el("button", null, (it.model === "collection" ? "\uD83D\uDCC1 " : "\uD83D\uDCCA ") + it.name);
          b.type = "button";
          b.dataset.model = it.model;
          b.dataset.id = String(it.id);
          b.addEventListener("click", () => {
            if (it.model === "collection") open(it.id, it.name, back ? null : () => open("root", "Our analytics"));
            else { dlg.close(); pick(it.id); }
          });
          list.appendChild(b);
        }
        if (!items.length) list.appendChild(el("p", "muted small", "Nothing here."));
      };
      const open = (id, name, back) => {
        crumbs.textContent = name;
        api("GET", "/api/collection/" + id + "/items?models=collection&models=card")
          .then((r) => show(r.data || [], id === "root" ? null : (back || (() => open("root", "Our analytics")))))
          .catch((e) => { list.replaceChildren(el("p", "dash-card-error", e.message)); });
      };
      let t = 0;
      search.addEventListener("input", () => {
        window.clearTimeout(t);
        t = window.setTimeout(() => {
          const q = search.value.trim();
          if (!q) { open("root", "Our analytics"); return; }
          crumbs.textContent = "Questions matching \u201c" + q + "\u201d";
          api("GET", "/api/search?models=card&q=" + encodeURIComponent(q)).then((r) => show(r.data || [], null))
            .catch((e) => { list.replaceChildren(el("p", "dash-card-error", e.message)); });
        }, 200);
      });
      open("root", "Our analytics");
      dlg.showModal();
      search.focus();
    };

    // ---- the click behavior editor ----
    // Edits the click behavior of a whole card: the drill menu, a filter of
    // this dashboard, another dashboard (its filters fed from the clicked
    // row's columns), a saved question or a URL template. The server checks
    // the ids when the dashboard is saved.
    const CLICK_KINDS = [["actionMenu", "Open the drill-through menu"], ["crossfilter", "Update a filter on this dashboard"],
      ["dashboard", "Go to another dashboard"], ["question", "Go to a saved question"], ["url", "Go to a URL"]];
    // A column (scope, a column name) may have its own click behavior,
    // saved under column_settings['["name","COLUMN"]'].click_behavior; the
    // editor's column picker switches between the card and its columns,
    // marking those that have one, and "Same as the whole card" removes a
    // column's own. Changes made before switching are kept in draft (the
    // settings being edited) until Done saves them to the card or Cancel
    // drops them.
    const columnKey = (name) => '["name","' + name + '"]';
    const editClick = (dc, box, scope, draft) => {
      const dlg = document.getElementById("dash-click-editor");
      if (!dlg) return;
      scope = scope || "";
      const vs = draft || settingsOf(dc.visualization_settings);
      const colSettings = vs.column_settings || {};
      const own = (name) => { const e = colSettings[columnKey(name)]; return e && e.click_behavior && e.click_behavior.type ? e.click_behavior : null; };
      const cur = (scope ? own(scope) : vs.click_behavior) || { type: scope ? "inherit" : "actionMenu" };
      const body = box.querySelector(".dash-card-body");
      const cols = body && body._data ? body._data.cols : [];
      const inner = el("div", "dash-dialog-inner");
      const h = el("h2", null, scope ? "When someone clicks this column" : "When someone clicks this card");
      h.id = "dash-click-title";
      const field = (label, node) => { const l = el("label", null, label); l.appendChild(node); return l; };
      const column = selectOf([["", "The whole card"]].concat(cols.map((c) => [c.name, (c.display_name || c.name) + (own(c.name) ? " (set)" : "")])), scope, null);
      column.id = "dash-click-column";
      let dirty = false;
      column.addEventListener("change", () => {
        const next = dirty ? collect() : vs;
        if (!next) { column.value = scope; return; }
        editClick(dc, box, column.value, next);
      });
      const kinds = scope ? [["inherit", "Same as the whole card"]].concat(CLICK_KINDS) : CLICK_KINDS;
      const kind = selectOf(kinds, cur.type === "link" ? cur.linkType : cur.type, null);
      kind.id = "dash-click-kind";
      const target = selectOf([["", "Choose…"]], "", null);
      target.id = "dash-click-target";
      const targetLabel = field("Destination", target);
      const tpl = el("input");
      tpl.id = "dash-click-url";
      tpl.value = cur.linkTemplate || "";
      tpl.placeholder = "https://example.com/accounts/{{ACCOUNT_ID}}";
      const tplLabel = field("URL (use {{column}} or {{filter}} for values)", tpl);
      const maps = el("div", "dash-mapping");
      maps.id = "dash-click-mappings";
      const err = el("p", "dash-card-error");
      err.hidden = true;
      let mapSelects = [];
      const drawMaps = (params) => {
        maps.replaceChildren();
        mapSelects = [];
        for (const p of params) {
          const s = selectOf([["", "Not set"]].concat(cols.map((c) => [c.name, c.display_name || c.name])), "", null);
          s.dataset.param = p.id;
          s.setAttribute("aria-label", "Column for " + p.name);
          const m = (cur.parameterMapping || {})[p.id];
          if (m && m.source) s.value = m.source.id;
          maps.append(el("span", null, p.name), s);
          mapSelects.push({ p: p, s: s });
        }
        if (!params.length) maps.appendChild(el("p", "muted small", "The destination has no filters to pass values into."));
      };
      const loadTargets = () => {
        const k = kind.value;
        const url = k === "dashboard" ? "/api/dashboard" : "/api/card";
        target.replaceChildren(el("option", null, "Loading…"));
        api("GET", url).then((list) => {
          const items = (Array.isArray(list) ? list : list.data || []).filter((x) => k !== "dashboard" || x.id !== dash.id);
          target.replaceChildren();
          for (const [v, text] of [["", "Choose…"]].concat(items.map((x) => [String(x.id), x.name]))) {
            const o = el("option", null, text);
            o.value = v;
            target.appendChild(o);
          }
          if (cur.type === "link" && cur.linkType === k) target.value = String(cur.targetId);
          target.dataset.ready = "true";
          if (k === "dashboard") showTargetParams();
        }).catch((e) => { err.textContent = e.message; err.hidden = false; });
      };
      const showTargetParams = () => {
        if (!target.value) { drawMaps([]); return; }
        api("GET", "/api/dashboard/" + target.value).then((d) => drawMaps(d.parameters || []))
          .catch((e) => { err.textContent = e.message; err.hidden = false; });
      };
      const sync = () => {
        const k = kind.value;
        targetLabel.hidden = k !== "dashboard" && k !== "question";
        tplLabel.hidden = k !== "url";
        maps.hidden = k !== "dashboard" && k !== "crossfilter";
        if (k === "dashboard" || k === "question") loadTargets();
        if (k === "crossfilter") drawMaps(dash.parameters);
        if (k !== "dashboard" && k !== "crossfilter") drawMaps([]);
      };
      kind.addEventListener("change", () => { target.dataset.ready = ""; sync(); });
      target.addEventListener("change", () => { if (kind.value === "dashboard") showTargetParams(); });
      const foot = el("div", "dash-dialog-foot");
      const mk = (text, cls, fn) => { const b = el("button", cls, text); b.type = "button"; b.addEventListener("click", fn); return b; };
      foot.appendChild(mk("Cancel", "btn", () => dlg.close()));
      // collect is the settings with this scope's behavior as the dialog
      // shows it, or null (with the reason shown) when it is incomplete.
      const collect = () => {
        const k = kind.value;
        const mapping = {};
        for (const { p, s } of mapSelects) {
          if (!s.value) continue;
          const c = cols.find((x) => x.name === s.value) || { name: s.value };
          mapping[p.id] = { id: p.id, source: { id: c.name, name: c.display_name || c.name, type: "column" }, target: { id: p.id, type: "parameter" } };
        }
        let cb = null;
        if (k === "crossfilter") cb = { type: "crossfilter", parameterMapping: mapping };
        if (k === "dashboard" || k === "question") {
          if (!target.value) { err.textContent = "Choose where a click goes."; err.hidden = false; return null; }
          cb = { type: "link", linkType: k, targetId: Number(target.value), parameterMapping: k === "dashboard" ? mapping : {} };
        }
        if (k === "url") {
          if (!safeURL(tpl.value.replace(/\{\{[^}]*\}\}/g, "x"))) { err.textContent = "The URL must start with http://, https:// or /."; err.hidden = false; tpl.focus(); return null; }
          cb = { type: "link", linkType: "url", linkTemplate: tpl.value.trim() };
        }
        const next = Object.assign({}, vs);
        if (scope) {
          // A column's "drill menu" is kept, so that it overrides the card's.
          if (k === "actionMenu") cb = { type: "actionMenu" };
          const all = Object.assign({}, colSettings);
          const entry = Object.assign({}, all[columnKey(scope)]);
          if (cb) entry.click_behavior = cb; else delete entry.click_behavior;
          if (Object.keys(entry).length) all[columnKey(scope)] = entry; else delete all[columnKey(scope)];
          if (Object.keys(all).length) next.column_settings = all; else delete next.column_settings;
        } else if (cb) next.click_behavior = cb; else delete next.click_behavior;
        return next;
      };
      foot.appendChild(mk("Done", "btn btn-primary", () => {
        const next = collect();
        if (!next) return;
        dc.visualization_settings = next;
        dlg.close();
      }));
      inner.append(h, field("Column", column), field("On click", kind), targetLabel, tplLabel, maps, err, foot);
      for (const ev of ["change", "input"]) inner.addEventListener(ev, (e) => { if (e.target !== column) dirty = true; });
      dlg.replaceChildren(inner);
      sync();
      if (!dlg.open) dlg.showModal();
    };

    // ---- the filter editor ----
    const TYPES = [["category", "Category"], ["string/=", "Text"], ["string/contains", "Text contains"], ["id", "ID"],
      ["number/=", "Number"], ["number/between", "Number between"], ["date/single", "Single date"], ["date/range", "Date range"],
      ["date/relative", "Relative date"], ["date/month-year", "Month and year"], ["date/quarter-year", "Quarter and year"]];

    // targetsOf lists where a card can be wired: the source table's columns
    // of a structured question, the variables of a SQL question.
    const targetCache = {};
    const targetsOf = (card) => {
      if (!card) return Promise.resolve([]);
      const q = card.dataset_query || {};
      if (q.type === "native") {
        const tags = (q.native && q.native["template-tags"]) || {};
        return Promise.resolve(Object.keys(tags).map((k) => {
          const tag = tags[k];
          const kind = tag.type === "dimension" ? "dimension" : "variable";
          return { label: tag["display-name"] || tag.name || k, target: [kind, ["template-tag", tag.name || k]] };
        }));
      }
      const tid = card.table_id || (q.query && typeof q.query["source-table"] === "number" ? q.query["source-table"] : 0);
      if (!tid) return Promise.resolve([]);
      if (!targetCache[tid]) {
        targetCache[tid] = api("GET", "/api/table/" + tid + "/query_metadata").then((t) => (t.fields || [])
          .filter((f) => f.visibility_type !== "hidden" && f.visibility_type !== "sensitive")
          .map((f) => ({ label: (t.display_name ? t.display_name + " \u2192 " : "") + (f.display_name || f.name), target: ["dimension", ["field", f.id, null]] })))
          .catch(() => []);
      }
      return targetCache[tid];
    };

    const newID = () => Math.random().toString(16).slice(2, 10);
    const uniqueSlug = (name, self) => {
      const base = slug(name).replace(/-/g, "_") || "filter";
      let s = base;
      for (let i = 2; dash.parameters.some((p) => p !== self && p.slug === s); i++) s = base + "_" + i;
      return s;
    };

    const editFilter = (param) => {
      const dlg = document.getElementById("dash-filter-editor");
      if (!dlg) return;
      if (!state.editing) enterEdit();
      const p = param ? clone(param) : { id: newID(), name: "", slug: "", type: "category" };
      const inner = el("div", "dash-dialog-inner");
      const h = el("h2", null, param ? "Edit the filter" : "Add a filter");
      h.id = "dash-filter-title";
      const field = (label, node) => { const l = el("label", null, label); l.appendChild(node); return l; };
      const name = el("input");
      name.id = "dash-filter-name";
      name.value = p.name;
      name.required = true;
      const type = selectOf(TYPES, p.type, null);
      type.id = "dash-filter-type";
      const multi = el("input");
      multi.type = "checkbox";
      multi.id = "dash-filter-multiple";
      multi.checked = !!p.multiple;
      const ml = el("label", "check");
      ml.append(multi, document.createTextNode(" People can pick several values"));
      const def = el("input");
      def.id = "dash-filter-default";
      def.value = defaultStrings(p.default).join(", ");
      def.placeholder = "No default";
      const req = el("input");
      req.type = "checkbox";
      req.id = "dash-filter-required";
      req.checked = !!p.required;
      const rl = el("label", "check");
      rl.append(req, document.createTextNode(" Always require a value (the default applies when it is cleared)"));
      // Limit this filter's choices by the other filters' values.
      const linked = el("fieldset", "dash-filter-linked");
      linked.id = "dash-filter-linked";
      linked.appendChild(el("legend", null, "Limit this filter's choices"));
      const others = dash.parameters.filter((o) => o.id !== p.id);
      for (const o of others) {
        const c = el("input");
        c.type = "checkbox";
        c.value = o.id;
        c.checked = (p.filteringParameters || []).indexOf(o.id) >= 0;
        const l = el("label", "check");
        l.append(c, document.createTextNode(" by " + (o.name || o.slug)));
        linked.appendChild(l);
      }
      if (!others.length) linked.appendChild(el("p", "muted small", "Add another filter to limit this one's choices by it."));
      const problem = el("p", "alert");
      problem.id = "dash-filter-problem";
      problem.hidden = true;
      const maps = el("div", "dash-mapping");
      maps.id = "dash-filter-mappings";
      const selects = [];
      const cards = Array.from(grid.querySelectorAll(".dash-card")).map((b) => byKey[b.dataset.dashcardId]).filter((dc) => dc && dc.card_id);
      for (const dc of cards) {
        const label = el("span", null, (dc.card && dc.card.name) || "Question " + dc.card_id);
        // A filter may be wired to several columns of one card: the card
        // keeps the rows where any of them matches.
        const cols = el("div", "dash-mapping-columns");
        const addSelect = (cur) => {
          const s = el("select");
          s.dataset.dashcard = String(dc.id);
          s.setAttribute("aria-label", "Column of " + label.textContent);
          const none = el("option", null, "Not wired");
          none.value = "";
          s.appendChild(none);
          cols.insertBefore(s, more);
          selects.push({ dc: dc, s: s });
          cardOf(dc.card_id).then(targetsOf).then((ts) => {
            for (const t of ts) {
              const o = el("option", null, t.label);
              o.value = JSON.stringify(t.target);
              s.appendChild(o);
            }
            if (cur) s.value = JSON.stringify(cur.target);
            s.dataset.ready = "true";
          });
        };
        const more = el("button", "linklike dash-mapping-more", "+ Another column");
        more.type = "button";
        more.setAttribute("aria-label", "Wire another column of " + label.textContent);
        more.addEventListener("click", () => addSelect(null));
        cols.appendChild(more);
        const cur = (dc.parameter_mappings || []).filter((m) => m.parameter_id === p.id);
        if (!cur.length) addSelect(null);
        for (const m of cur) addSelect(m);
        maps.append(label, cols);
      }
      if (!cards.length) maps.appendChild(el("p", "muted small", "Add questions to wire this filter to their columns."));
      const foot = el("div", "dash-dialog-foot");
      const mk = (text, cls, fn) => { const b = el("button", cls, text); b.type = "button"; b.addEventListener("click", fn); return b; };
      if (param) {
        foot.appendChild(mk("Remove filter", "btn btn-danger", () => {
          dash.parameters = dash.parameters.filter((x) => x.id !== p.id);
          for (const o of dash.parameters) {
            o.filteringParameters = (o.filteringParameters || []).filter((id) => id !== p.id);
            if (!o.filteringParameters.length) delete o.filteringParameters;
          }
          for (const dc of dash.dashcards) dc.parameter_mappings = (dc.parameter_mappings || []).filter((m) => m.parameter_id !== p.id);
          delete values[p.id];
          dlg.close();
          drawFilters();
        }));
      }
      foot.appendChild(mk("Cancel", "btn", () => dlg.close()));
      foot.appendChild(mk("Done", "btn btn-primary", () => {
        if (!name.value.trim()) { name.focus(); return; }
        if (req.checked && !def.value.trim()) {
          problem.textContent = "A required filter needs a default value.";
          problem.hidden = false;
          def.focus();
          return;
        }
        if (req.checked) p.required = true;
        else delete p.required;
        const limits = Array.from(linked.querySelectorAll("input:checked")).map((c) => c.value);
        if (limits.length) p.filteringParameters = limits;
        else delete p.filteringParameters;
        p.name = name.value.trim();
        p.slug = uniqueSlug(p.name, param ? dash.parameters.find((x) => x.id === p.id) : null);
        p.type = type.value;
        p.multiple = multi.checked && (p.type === "category" || p.type === "id" || p.type.indexOf("string") === 0);
        const d = def.value.trim();
        if (!d) delete p.default;
        else if (p.multiple || p.type === "category") p.default = d.split(",").map((x) => x.trim()).filter(Boolean);
        else p.default = d;
        const i = dash.parameters.findIndex((x) => x.id === p.id);
        if (i >= 0) dash.parameters[i] = p; else dash.parameters.push(p);
        for (const { dc } of selects) dc.parameter_mappings = (dc.parameter_mappings || []).filter((m) => m.parameter_id !== p.id);
        for (const { dc, s } of selects) {
          const dup = dc.parameter_mappings.some((m) => m.parameter_id === p.id && JSON.stringify(m.target) === s.value);
          if (s.value && !dup) dc.parameter_mappings.push({ parameter_id: p.id, card_id: dc.card_id, target: JSON.parse(s.value) });
        }
        values[p.id] = defaultStrings(p.default);
        dlg.close();
        drawFilters();
      }));
      inner.append(h, field("Label", name), field("Filter type", type), ml, field("Default value", def), rl, linked, problem,
        el("div", "dash-filter-label", "Wire it to a column of each question"), maps, foot);
      dlg.replaceChildren(inner);
      dlg.showModal();
      name.focus();
    };

    if (window.location.hash === "#edit" && editBtn && cfg.can_edit) enterEdit();
    root.dataset.ready = "true";
  }

  // ---- the X-ray page ----

  function initXray(root) {
    const tableID = root.dataset.tableId;
    const grid = document.getElementById("dash-grid");
    const bar = document.getElementById("dash-filters");
    const status = document.getElementById("xray-status");
    const saveBtn = document.getElementById("xray-save");
    api("GET", "/api/automagic-dashboards/table/" + tableID).then((dash) => {
      const generated = clone(dash);
      dash.parameters = dash.parameters || [];
      const cards = dash.dashcards || [];
      const values = urlValues(dash.parameters, window.location.search);
      const boxes = cards.map((dc, i) => {
        const box = cardBox(dc, "x" + i);
        grid.appendChild(box);
        return box;
      });
      const run = (dc, box) => {
        if (!dc.card || !dc.card.dataset_query) return Promise.resolve();
        return runCard(box, dc, (signal) => {
          const q = clone(dc.card.dataset_query);
          const params = (q.parameters || []).slice();
          for (const m of dc.parameter_mappings || []) {
            const p = dash.parameters.find((x) => x.id === m.parameter_id);
            const v = p ? apiValue(p, values[p.id]) : null;
            if (v !== null) params.push({ id: p.id, type: p.type, target: m.target, value: v });
          }
          if (params.length) q.parameters = params;
          return api("POST", "/api/dataset", q, signal);
        });
      };
      const runAll = () => Promise.all(cards.map((dc, i) => run(dc, boxes[i]))).then(() => { root.dataset.loaded = "true"; });
      renderFilters(bar, dash.parameters, values, () => { writeURL(dash.parameters, values); runAll(); }, valuesLoader(() => cards));
      if (status) status.hidden = true;
      if (saveBtn) saveBtn.disabled = false;
      root.dataset.ready = "true";
      runAll();
      if (saveBtn) {
        saveBtn.addEventListener("click", () => {
          saveBtn.disabled = true;
          saveBtn.textContent = "Saving…";
          api("POST", "/api/dashboard/save", generated).then((d) => { window.location.assign(dashboardURL(d)); }).catch((e) => {
            saveBtn.disabled = false;
            saveBtn.textContent = "Save this";
            showAlert(e.message);
          });
        });
      }
    }).catch((e) => {
      if (status) status.hidden = true;
      showAlert(e.message);
      root.dataset.ready = "true";
    });
  }

  // SightlineDashboard offers the date label and the filter widgets to
  // other scripts (embed.js) and tests.
  window.SightlineDashboard = { dateLabel: dateLabel, buildFilter: buildFilter, apiValue: apiValue, urlValues: urlValues, linkedQuery: linkedQuery,
    settingsOf: settingsOf, spinner: spinner, cardSettings: cardSettings };

  function start() {
    const d = document.getElementById("dashboard");
    if (d) initDashboard(d);
    const x = document.getElementById("xray");
    if (x) initXray(x);
  }
  if (document.readyState !== "loading") start(); else document.addEventListener("DOMContentLoaded", start);
})();
