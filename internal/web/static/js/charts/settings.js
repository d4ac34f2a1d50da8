// Sightline's chart settings panel: the "Settings" sidebar of the question
// page, which edits a card's visualization_settings with the reference
// vendor's keys (graph.dimensions, graph.metrics, axis titles, y scale and
// range, stacking, goal and trend lines, show values, series_settings,
// column_settings number and date formats and mini bars, table.columns,
// table.column_formatting, pie slices), so
// what is drawn here is what a card made through the API with the same
// keys shows. The renderers honour every key; docs/charts.md lists them.
//
//   const panel = attach(aside, toggleButton, {
//     result: () => data, display: () => "bar", settings: () => obj,
//     change: (next) => { ... redraw ... } });

//   panel.refresh();   // after the result or the display changed

import * as L from "./logic.js";
import * as TF from "./tableformat.js";
import { elem } from "../shared/dom.js";
import { NUMERIC, TEMPORAL } from "../shared/types.js";
import { pinColumns } from "./pinlogic.js";
import { sankeyColumns } from "./sankeylogic.js";

const CARTESIAN = ["line", "area", "bar", "stacked-bar", "row", "combo", "scatter"];
const STACKABLE = ["area", "bar", "stacked-bar", "row", "combo"];
const LINES = ["line", "area", "combo"];
const MAX_SERIES = 12;

function clone(v) { return JSON.parse(JSON.stringify(v || {})); }

function colTitle(c) { return c.display_name || c.name; }

// setKey sets settings[key] = value, or deletes it for "" / null /
// undefined, so that an emptied field falls back to the default.
function setKey(obj, key, value) {
  if (value === "" || value === null || value === undefined || (typeof value === "number" && isNaN(value))) delete obj[key];
  else obj[key] = value;
  return obj;
}

function numberOrEmpty(s) {
  const t = String(s).trim();
  return t === "" || isNaN(Number(t)) ? "" : Number(t);
}

// field is a labelled control.
function field(label, control, cls) {
  return elem("label", { class: "vs-field" + (cls ? " " + cls : "") }, elem("span", { class: "vs-label", text: label }), control);
}

function select(name, options, value) {
  const s = elem("select", { name: name });
  for (const [v, label] of options) s.append(elem("option", { value: v, text: label }));
  s.value = value === undefined || value === null ? "" : String(value);
  return s;
}

function section(title, ...kids) {
  return elem("fieldset", { class: "vs-section" }, elem("legend", { text: title }), ...kids);
}

// attach wires the panel and its toggle button to host and returns
// {refresh, open}.
export function attach(panel, button, host) {
  let formatCol = "";

  function update(fn) {
    const next = clone(host.settings());
    fn(next);
    host.change(next);
    refresh();
  }

  function current() {
    const data = host.result();
    return { cols: (data && data.cols) || [], rows: (data && data.rows) || [], display: host.display(), settings: host.settings() || {} };
  }

  // axes are the dimensions and metrics in force: the settings', else
  // the defaults viz.js draws with.
  function axes(cols, settings) {
    const def = L.defaultAxes(cols);
    const has = (n) => cols.some((c) => c.name === n);
    const dims = Array.isArray(settings["graph.dimensions"]) ? settings["graph.dimensions"].filter(has) : [];
    const metrics = Array.isArray(settings["graph.metrics"]) ? settings["graph.metrics"].filter(has) : [];
    return { dims: dims.length ? dims : def.dimensions, metrics: metrics.length ? metrics : def.metrics };
  }

  function dataSection(cols, settings, display) {
    const { dims, metrics } = axes(cols, settings);
    const colOptions = cols.map((c) => [c.name, colTitle(c)]);
    const x = select("graph.dimensions.0", colOptions, dims[0]);
    x.addEventListener("change", () => update((s) => {
      const rest = dims.slice(1).filter((n) => n !== x.value);
      s["graph.dimensions"] = [x.value].concat(rest);
      s["graph.metrics"] = metrics.filter((n) => n !== x.value);
      if (!s["graph.metrics"].length) delete s["graph.metrics"];
    }));
    const kids = [field(display === "pie" || display === "donut" || display === "funnel" ? "Dimension" : "X-axis", x)];
    const xCol = cols.find((c) => c.name === dims[0]);
    if (xCol && NUMERIC.indexOf(xCol.base_type) >= 0 && CARTESIAN.indexOf(display) >= 0 && display !== "scatter" && !dims[1]) {
      const xs = select("graph.x_axis.scale", [["", "Each value"], ["histogram", "Histogram (bins)"]], settings["graph.x_axis.scale"] === "histogram" ? "histogram" : "");
      xs.addEventListener("change", () => update((s) => setKey(s, "graph.x_axis.scale", xs.value)));
      kids.push(field("X-axis scale", xs));
    }
    if (CARTESIAN.indexOf(display) >= 0 && display !== "scatter") {
      const split = select("graph.dimensions.1", [["", "None"]].concat(colOptions.filter((o) => o[0] !== dims[0])), dims[1] || "");
      split.addEventListener("change", () => update((s) => {
        s["graph.dimensions"] = split.value ? [dims[0], split.value] : [dims[0]];
        if (split.value) s["graph.metrics"] = metrics.filter((n) => n !== split.value).slice(0, 1);
      }));
      kids.push(field("Series by", split));
    }
    const box = elem("div", { class: "vs-metrics", role: "group", "aria-label": "Y-axis" });
    for (const c of cols) {
      if (NUMERIC.indexOf(c.base_type) < 0 || c.name === dims[0]) continue;
      const cb = elem("input", { type: "checkbox", name: "graph.metrics", value: c.name, checked: metrics.indexOf(c.name) >= 0 });
      cb.addEventListener("change", () => update((s) => {
        const chosen = cols.filter((k) => k.name === c.name ? cb.checked : metrics.indexOf(k.name) >= 0).map((k) => k.name);
        if (chosen.length) s["graph.metrics"] = chosen; else delete s["graph.metrics"];
        if (!Array.isArray(s["graph.dimensions"])) s["graph.dimensions"] = dims.slice();
      }));
      box.append(elem("label", { class: "vs-check" }, cb, " " + colTitle(c)));
    }
    kids.push(elem("div", { class: "vs-field" }, elem("span", { class: "vs-label", text: display === "pie" || display === "donut" ? "Measure" : "Y-axis" }), box));
    return section("Data", ...kids);
  }

  function text(settingsKey, label, settings, placeholder) {
    const input = elem("input", { type: "text", name: settingsKey, value: settings[settingsKey] === undefined || settings[settingsKey] === null ? "" : String(settings[settingsKey]), placeholder: placeholder || "" });
    input.addEventListener("change", () => update((s) => setKey(s, settingsKey, input.value)));
    return field(label, input);
  }

  function number(settingsKey, label, settings) {
    const input = elem("input", { type: "number", step: "any", name: settingsKey, value: settings[settingsKey] === undefined || settings[settingsKey] === null ? "" : String(settings[settingsKey]) });
    input.addEventListener("change", () => update((s) => setKey(s, settingsKey, numberOrEmpty(input.value))));
    return field(label, input);
  }

  function check(settingsKey, label, settings, onValue) {
    const cb = elem("input", { type: "checkbox", name: settingsKey, checked: settings[settingsKey] === (onValue === undefined ? true : onValue) });
    cb.addEventListener("change", () => update((s) => setKey(s, settingsKey, cb.checked ? (onValue === undefined ? true : onValue) : undefined)));
    return elem("label", { class: "vs-check" }, cb, " " + label);
  }

  function axesSection(settings, display) {
    const scale = select("graph.y_axis.scale", [["linear", "Linear"], ["log", "Logarithmic"], ["pow", "Power (square root)"]], settings["graph.y_axis.scale"] || "linear");
    scale.addEventListener("change", () => update((s) => setKey(s, "graph.y_axis.scale", scale.value === "linear" ? "" : scale.value)));
    const kids = [
      text("graph.x_axis.title_text", "X-axis title", settings, "Column name"),
      text("graph.y_axis.title_text", "Y-axis title", settings, "Column name"),
      field("Y-axis scale", scale),
    ];
    if (display !== "scatter") {
      const auto = elem("input", { type: "checkbox", name: "graph.y_axis.auto_range", checked: settings["graph.y_axis.auto_range"] !== false });
      auto.addEventListener("change", () => update((s) => setKey(s, "graph.y_axis.auto_range", auto.checked ? undefined : false)));
      kids.push(elem("label", { class: "vs-check" }, auto, " Auto y-axis range"));
      if (settings["graph.y_axis.auto_range"] === false) {
        kids.push(elem("div", { class: "vs-row" }, number("graph.y_axis.min", "Min", settings), number("graph.y_axis.max", "Max", settings)));
      }
    }
    kids.push(check("graph.x_axis.axis_enabled", "Hide x-axis", settings, false));
    kids.push(check("graph.y_axis.axis_enabled", "Hide y-axis", settings, false));
    return section("Axes", ...kids);
  }

  function displaySection(settings, display) {
    const kids = [check("graph.show_values", "Show values on data points", settings)];
    if (STACKABLE.indexOf(display) >= 0) {
      const def = display === "stacked-bar" ? "stacked" : "";
      const stack = select("stackable.stack_type", [["", "Don't stack"], ["stacked", "Stack"], ["normalized", "Stack - 100%"]], settings["stackable.stack_type"] || def);
      stack.addEventListener("change", () => update((s) => {
        if (stack.value) s["stackable.stack_type"] = stack.value;
        else if (display === "stacked-bar") s["stackable.stack_type"] = null;
        else delete s["stackable.stack_type"];
      }));
      kids.push(field("Stacking", stack));
    }
    if (display !== "scatter") {
      kids.push(check("graph.show_goal", "Goal line", settings));
      if (settings["graph.show_goal"] === true) {
        kids.push(elem("div", { class: "vs-row" }, number("graph.goal_value", "Goal value", settings), text("graph.goal_label", "Goal label", settings, "Goal")));
      }
      kids.push(check("graph.show_trendline", "Trend line", settings));
    }
    return section("Display", ...kids);
  }

  // seriesKeys are the series the chart draws: the metrics, or the values
  // of the splitting dimension.
  function seriesKeys(cols, rows, settings) {
    const { dims, metrics } = axes(cols, settings);
    if (dims[1]) {
      const i = cols.findIndex((c) => c.name === dims[1]);
      const seen = [];
      for (const r of rows) {
        const k = String(r[i]);
        if (seen.indexOf(k) < 0) seen.push(k);
        if (seen.length >= MAX_SERIES) break;
      }
      return seen.map((k) => [k, k]);
    }
    return metrics.map((n) => {
      const c = cols.find((k) => k.name === n);
      return [n, c ? colTitle(c) : n];
    });
  }

  function seriesSection(cols, rows, settings, display) {
    const keys = seriesKeys(cols, rows, settings);
    const kids = [];
    for (const [key, label] of keys) {
      const own = (settings.series_settings && settings.series_settings[key]) || {};
      const put = (k, v) => update((s) => {
        const all = s.series_settings && typeof s.series_settings === "object" ? s.series_settings : {};
        const mine = Object.assign({}, all[key] || {});
        setKey(mine, k, v);
        if (Object.keys(mine).length) all[key] = mine; else delete all[key];
        if (Object.keys(all).length) s.series_settings = all; else delete s.series_settings;
      });
      const name = elem("input", { type: "text", name: "series:" + key + ":title", value: own.title || "", placeholder: label, "aria-label": "Name of " + label });
      name.addEventListener("change", () => put("title", name.value));
      const color = elem("input", { type: "color", name: "series:" + key + ":color", value: /^#[0-9a-f]{6}$/i.test(own.color || "") ? own.color : "#2f6fde", "aria-label": "Colour of " + label });
      color.addEventListener("change", () => put("color", color.value));
      const row = [name, color];
      if (LINES.indexOf(display) >= 0 || own.display === "line") {
        const style = select("series:" + key + ":line.style", [["solid", "Solid"], ["dashed", "Dashed"], ["dotted", "Dotted"]], own["line.style"] || "solid");
        style.setAttribute("aria-label", "Line style of " + label);
        style.addEventListener("change", () => put("line.style", style.value === "solid" ? "" : style.value));
        const marks = select("series:" + key + ":line.marker_enabled", [["", "Markers: auto"], ["true", "Markers: show"], ["false", "Markers: hide"]],
          own["line.marker_enabled"] === true ? "true" : own["line.marker_enabled"] === false ? "false" : "");
        marks.setAttribute("aria-label", "Markers of " + label);
        marks.addEventListener("change", () => put("line.marker_enabled", marks.value === "" ? "" : marks.value === "true"));
        row.push(style, marks);
      }
      if (display === "combo") {
        const kind = select("series:" + key + ":display", [["", "Auto"], ["bar", "Bar"], ["line", "Line"], ["area", "Area"]], own.display || "");
        kind.setAttribute("aria-label", "Chart type of " + label);
        kind.addEventListener("change", () => put("display", kind.value));
        row.push(kind);
      }
      kids.push(elem("div", { class: "vs-series" }, elem("span", { class: "vs-label", text: label }), elem("div", { class: "vs-row" }, ...row)));
    }
    return kids.length ? section("Series", ...kids) : null;
  }

  function formatSection(cols, settings, display) {
    const usable = cols;
    if (!usable.length) return null;
    if (!usable.some((c) => c.name === formatCol)) {
      formatCol = (usable.find((c) => NUMERIC.indexOf(c.base_type) >= 0) || usable[0]).name;
    }
    const col = usable.find((c) => c.name === formatCol);
    const pickCol = select("format-column", usable.map((c) => [c.name, colTitle(c)]), formatCol);
    pickCol.addEventListener("change", () => { formatCol = pickCol.value; refresh(); });
    const key = L.columnKey(col.name);
    const own = L.columnSettings(settings.column_settings, col) || {};
    const put = (k, v) => update((s) => {
      const all = s.column_settings && typeof s.column_settings === "object" ? s.column_settings : {};
      // An entry under the bare column name moves to the vendor's key.
      const mine = Object.assign({}, all[col.name] || {}, all[key] || {});
      delete all[col.name];
      setKey(mine, k, v);
      if (Object.keys(mine).length) all[key] = mine; else delete all[key];
      if (Object.keys(all).length) s.column_settings = all; else delete s.column_settings;
    });
    const input = (k, label, type) => {
      const i = elem("input", { type: type || "text", name: "column:" + k, value: own[k] === undefined || own[k] === null ? "" : String(own[k]) });
      if (type === "number") i.step = "any";
      i.addEventListener("change", () => put(k, type === "number" ? numberOrEmpty(i.value) : i.value));
      return field(label, i);
    };
    const kids = [field("Column", pickCol), input("column_title", "Column title")];
    if (NUMERIC.indexOf(col.base_type) >= 0) {
      const style = select("column:number_style", [["", "Normal"], ["decimal", "Number"], ["percent", "Percent"], ["scientific", "Scientific"], ["currency", "Currency"]], own.number_style || "");
      style.addEventListener("change", () => put("number_style", style.value));
      const seps = select("column:number_separators", [["", "100,000.00"], [",.", "100.000,00"], [", ", "100 000,00"], [".", "100000.00"], [".\u2019", "100\u2019000.00"]], own.number_separators || "");
      seps.addEventListener("change", () => put("number_separators", seps.value));
      kids.push(field("Style", style), field("Separators", seps), input("decimals", "Decimal places", "number"),
        input("scale", "Multiply by a number", "number"), input("prefix", "Prefix"), input("suffix", "Suffix"));
      if (own.number_style === "currency") kids.push(input("currency", "Currency (ISO code)"));
      if (display === "table") {
        const bar = elem("input", { type: "checkbox", name: "column:show_mini_bar", checked: own.show_mini_bar === true });
        bar.addEventListener("change", () => put("show_mini_bar", bar.checked ? true : undefined));
        kids.push(elem("label", { class: "vs-check" }, bar, " Show a mini bar chart"));
      }
    }
    if (TEMPORAL.indexOf(col.base_type) >= 0) {
      const ds = select("column:date_style", [["", "Default"]].concat(L.DATE_STYLES.map((p) => [p, p])), own.date_style || "");
      ds.addEventListener("change", () => put("date_style", ds.value));
      kids.push(field("Date style", ds));
    }
    return section("Formatting", ...kids);
  }

  function tableSection(cols, settings) {
    const listed = Array.isArray(settings["table.columns"]) ? settings["table.columns"]
      .map((e) => (typeof e === "string" ? { name: e, enabled: true } : e))
      .filter((e) => e && cols.some((c) => c.name === e.name)) : [];
    const names = listed.map((e) => e.name);
    const stringsOnly = Array.isArray(settings["table.columns"]) && settings["table.columns"].every((e) => typeof e === "string");
    const entries = listed.concat(cols.filter((c) => names.indexOf(c.name) < 0).map((c) => ({ name: c.name, enabled: !stringsOnly || !names.length })));
    const save = (list) => update((s) => { s["table.columns"] = list.map((e) => ({ name: e.name, enabled: e.enabled !== false })); });
    const kids = entries.map((e, i) => {
      const c = cols.find((k) => k.name === e.name);
      const cb = elem("input", { type: "checkbox", name: "table.columns:" + e.name, checked: e.enabled !== false });
      cb.addEventListener("change", () => save(entries.map((x, j) => (j === i ? { name: x.name, enabled: cb.checked } : x))));
      const up = elem("button", { type: "button", class: "linklike", text: "\u2191", "aria-label": "Move " + colTitle(c) + " up", disabled: i === 0 });
      up.addEventListener("click", () => {
        const next = entries.slice();
        [next[i - 1], next[i]] = [next[i], next[i - 1]];
        save(next);
      });
      const down = elem("button", { type: "button", class: "linklike", text: "\u2193", "aria-label": "Move " + colTitle(c) + " down", disabled: i === entries.length - 1 });
      down.addEventListener("click", () => {
        const next = entries.slice();
        [next[i + 1], next[i]] = [next[i], next[i + 1]];
        save(next);
      });
      return elem("div", { class: "vs-table-col" }, elem("label", { class: "vs-check" }, cb, " " + colTitle(c)), up, down);
    });
    return section("Columns", ...kids);
  }

  // formattingSection edits table.column_formatting: a list of rules,
  // each colouring cells (or rows) of some columns when a value meets a
  // condition ("single"), or shading numbers along a colour range
  // ("range"). Earlier rules win, as in viz.js.
  function formattingSection(cols, settings) {
    const key = "table.column_formatting";
    const rules = Array.isArray(settings[key]) ? settings[key] : [];
    const save = (fn) => update((s) => {
      const list = Array.isArray(s[key]) ? s[key] : [];
      fn(list);
      if (list.length) s[key] = list; else delete s[key];
    });
    const colorInput = (name, value, def, onChange) => {
      const c = elem("input", { type: "color", name: name, value: TF.hexColor(value) && TF.hexColor(value).length === 7 ? TF.hexColor(value) : def });
      c.addEventListener("change", () => onChange(c.value));
      return c;
    };
    const bound = (i, r, end) => {
      const typeKey = end + "_type";
      const valueKey = end + "_value";
      const kind = select("cf:" + i + ":" + typeKey, [["", end === "min" ? "Smallest value in the column" : "Largest value in the column"],
        ["all", end === "min" ? "Smallest value in all its columns" : "Largest value in all its columns"], ["custom", "Custom value"]], r[typeKey] || "");
      kind.addEventListener("change", () => save((list) => { list[i][typeKey] = kind.value || null; }));
      const kids = [field(end === "min" ? "Start of the range" : "End of the range", kind)];
      if (r[typeKey] === "custom") {
        const v = elem("input", { type: "number", step: "any", name: "cf:" + i + ":" + valueKey, value: r[valueKey] === undefined || r[valueKey] === null ? "" : String(r[valueKey]) });
        v.addEventListener("change", () => save((list) => { setKey(list[i], valueKey, numberOrEmpty(v.value)); }));
        kids.push(field(end === "min" ? "Start value" : "End value", v));
      }
      return kids;
    };
    const kids = rules.map((r, i) => {
      if (!r || typeof r !== "object") return null;
      const columns = elem("select", { name: "cf:" + i + ":columns", multiple: true, size: String(Math.min(4, cols.length)) });
      for (const c of cols) {
        const o = elem("option", { value: c.name, text: colTitle(c) });
        o.selected = Array.isArray(r.columns) && r.columns.indexOf(c.name) >= 0;
        columns.append(o);
      }
      columns.addEventListener("change", () => save((list) => { list[i].columns = Array.from(columns.selectedOptions).map((o) => o.value); }));
      const type = select("cf:" + i + ":type", [["single", "Single colour"], ["range", "Colour range"]], r.type === "range" ? "range" : "single");
      type.addEventListener("change", () => save((list) => {
        const picked = list[i].columns;
        list[i] = type.value === "range"
          ? { columns: picked, type: "range", colors: ["#ffffff", "#509ee3"], min_type: null, max_type: null }
          : { columns: picked, type: "single", operator: "=", value: "", color: "#509ee3", highlight_row: false };
      }));
      const parts = [field("Columns", columns), field("Style", type)];
      if (r.type === "range") {
        const colors = Array.isArray(r.colors) ? r.colors : [];
        parts.push(elem("div", { class: "vs-row" },
          field("From", colorInput("cf:" + i + ":color0", colors[0], "#ffffff", (v) => save((list) => { list[i].colors = [v, (list[i].colors || [])[1] || "#509ee3"]; }))),
          field("To", colorInput("cf:" + i + ":color1", colors[colors.length - 1], "#509ee3", (v) => save((list) => { list[i].colors = [(list[i].colors || [])[0] || "#ffffff", v]; })))));
        parts.push(...bound(i, r, "min"), ...bound(i, r, "max"));
      } else {
        const op = select("cf:" + i + ":operator", [["=", "is equal to"], ["!=", "is not equal to"], ["<", "is less than"], [">", "is greater than"],
          ["<=", "is less than or equal to"], [">=", "is greater than or equal to"], ["is-null", "is empty"], ["not-null", "is not empty"],
          ["contains", "contains"], ["does-not-contain", "does not contain"], ["starts-with", "starts with"], ["ends-with", "ends with"]], r.operator || "=");
        op.addEventListener("change", () => save((list) => { list[i].operator = op.value; }));
        parts.push(field("When the value", op));
        if (r.operator !== "is-null" && r.operator !== "not-null") {
          const v = elem("input", { type: "text", name: "cf:" + i + ":value", value: r.value === undefined || r.value === null ? "" : String(r.value) });
          v.addEventListener("change", () => save((list) => {
            const t = v.value.trim();
            list[i].value = t !== "" && isFinite(Number(t)) ? Number(t) : v.value;
          }));
          parts.push(field("Value", v));
        }
        parts.push(field("Colour", colorInput("cf:" + i + ":color", r.color, "#509ee3", (c) => save((list) => { list[i].color = c; }))));
        const row = elem("input", { type: "checkbox", name: "cf:" + i + ":highlight_row", checked: r.highlight_row === true });
        row.addEventListener("change", () => save((list) => { list[i].highlight_row = row.checked; }));
        parts.push(elem("label", { class: "vs-check" }, row, " Colour the whole row"));
      }
      const remove = elem("button", { type: "button", class: "linklike", name: "cf:" + i + ":remove", text: "Remove rule" });
      remove.addEventListener("click", () => save((list) => { list.splice(i, 1); }));
      parts.push(remove);
      return elem("div", { class: "vs-rule", "data-rule": String(i) }, ...parts);
    });
    const add = elem("button", { type: "button", class: "linklike", name: "cf:add", text: "Add a rule" });
    add.addEventListener("click", () => save((list) => {
      const first = cols.find((c) => NUMERIC.indexOf(c.base_type) >= 0) || cols[0];
      list.push({ columns: [first.name], type: "single", operator: "=", value: "", color: "#509ee3", highlight_row: false });
    }));
    return section("Conditional formatting", ...kids, add);
  }

  function waterfallSection(settings) {
    const color = (key, label, def) => {
      const c = elem("input", { type: "color", name: key, value: /^#[0-9a-f]{6}$/i.test(settings[key] || "") ? settings[key] : def });
      c.addEventListener("change", () => update((s) => setKey(s, key, c.value)));
      return field(label, c);
    };
    return section("Waterfall",
      text("graph.x_axis.title_text", "X-axis title", settings, "Column name"),
      text("graph.y_axis.title_text", "Y-axis title", settings, "Column name"),
      check("graph.show_values", "Show values on data points", settings),
      check("waterfall.show_total", "Hide the total", settings, false),
      elem("div", { class: "vs-row" }, color("waterfall.increase_color", "Increase", "#88bf4d"),
        color("waterfall.decrease_color", "Decrease", "#ef8c8c"), color("waterfall.total_color", "Total", "#2f6fde")));
  }

  // choice is a select of settingsKey among options, shown as current
  // (the default drawn when the key is unset); picking def clears it.
  function choice(settingsKey, label, options, current, def) {
    const s = select(settingsKey, options, current);
    s.addEventListener("change", () => update((o) => setKey(o, settingsKey, s.value === def ? "" : s.value)));
    return field(label, s);
  }

  // sankeySection edits sankey.source, sankey.target and sankey.value
  // (showing the columns sankeylogic.js picks by default) and how nodes,
  // links and values are drawn.
  function sankeySection(cols, settings) {
    const picked = sankeyColumns(cols, settings);
    const colOptions = cols.map((c) => [c.name, colTitle(c)]);
    const nameOf = (c) => (c ? c.name : "");
    const colChoice = (key, label, c) => {
      const s = select(key, [["", "Choose a column"]].concat(colOptions), nameOf(c));
      s.addEventListener("change", () => update((o) => setKey(o, key, s.value)));
      return field(label, s);
    };
    return section("Sankey",
      colChoice("sankey.source", "Source", picked.source),
      colChoice("sankey.target", "Target", picked.target),
      colChoice("sankey.value", "Value", picked.value),
      choice("sankey.node_align", "Align nodes", [["left", "Left"], ["right", "Right"], ["justify", "Justify"]], settings["sankey.node_align"] || "left", "left"),
      choice("sankey.edge_color", "Link colour", [["gray", "Gray"], ["source", "Source node"], ["target", "Target node"]], settings["sankey.edge_color"] || "gray", "gray"),
      choice("sankey.label_value_formatting", "Values", [["auto", "Auto"], ["compact", "Compact"], ["full", "Full"]], settings["sankey.label_value_formatting"] || "auto", "auto"),
      check("sankey.show_edge_labels", "Show values on links", settings));
  }

  // pinSection edits map.latitude_column and map.longitude_column
  // (showing the columns pinlogic.js picks by default) and the outlines
  // the pins sit on (map.region).
  function pinSection(cols, settings) {
    const picked = pinColumns(cols, settings);
    const numbers = [["", "Choose a column"]].concat(cols.filter((c) => NUMERIC.indexOf(c.base_type) >= 0).map((c) => [c.name, colTitle(c)]));
    const colChoice = (key, label, c) => {
      const s = select(key, numbers, c ? c.name : "");
      s.addEventListener("change", () => update((o) => setKey(o, key, s.value)));
      return field(label, s);
    };
    return section("Pins",
      colChoice("map.latitude_column", "Latitude", picked.lat),
      colChoice("map.longitude_column", "Longitude", picked.lon),
      choice("map.region", "Outlines", [["", "Automatic"], ["world_countries", "World"], ["us_states", "United States"]], settings["map.region"] || "", ""));
  }

  function pieSection(settings) {
    return section("Slices", number("pie.slice_threshold", "Minimum slice percentage (smaller ones make \u201cOther\u201d)", settings),
      check("pie.show_legend", "Hide legend", settings, false));
  }

  // refresh redraws the panel from the host's current result, display
  // and settings, keeping the focus on the control that had it.
  function refresh() {
    if (panel.hidden) return;
    const focused = document.activeElement && panel.contains(document.activeElement) ? document.activeElement.getAttribute("name") : null;
    const { cols, rows, display, settings } = current();
    const parts = [elem("div", { class: "vs-head" }, elem("h2", { text: "Settings" }),
      elem("button", { type: "button", class: "linklike vs-close", text: "\u00d7", "aria-label": "Close settings" }))];
    if (!cols.length) {
      parts.push(elem("p", { class: "muted small", text: "Run the question to see its settings." }));
    } else {
      if (CARTESIAN.indexOf(display) >= 0 || ["pie", "donut", "funnel", "waterfall"].indexOf(display) >= 0) parts.push(dataSection(cols, settings, display));
      if (display === "waterfall") parts.push(waterfallSection(settings));
      if (CARTESIAN.indexOf(display) >= 0) {
        parts.push(axesSection(settings, display), displaySection(settings, display));
        if (display !== "scatter") parts.push(seriesSection(cols, rows, settings, display));
      }
      if (display === "pie" || display === "donut") parts.push(pieSection(settings));
      if (display === "sankey") parts.push(sankeySection(cols, settings));
      if (display === "map-pin") parts.push(pinSection(cols, settings));
      if (display === "table") parts.push(tableSection(cols, settings), formattingSection(cols, settings));
      if (display === "object") parts.push(tableSection(cols, settings));
      parts.push(formatSection(cols, settings, display));
    }
    panel.replaceChildren(...parts.filter(Boolean));
    panel.querySelector(".vs-close").addEventListener("click", () => open(false));
    panel.dataset.display = display;
    if (focused) {
      const again = panel.querySelector('[name="' + CSS.escape(focused) + '"]');
      if (again) again.focus();
    }
  }

  function open(show) {
    panel.hidden = !show;
    if (button) button.setAttribute("aria-expanded", String(show));
    if (show) refresh();
  }

  if (button) {
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", () => open(panel.hidden));
  }
  return { refresh: refresh, open: open };
}
