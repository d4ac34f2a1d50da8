// Running the question and drawing its result with a visualization
// picker; the title and share link follow the question; clicks on the
// result drill through into new ad-hoc questions.

import * as Viz from "../charts/viz.js";
import * as D from "../charts/drill.js";
import { adHocURL, filterList } from "../charts/drill.js";
import { aggLabel, columns, filterParts, formatExpression, meta, refLabel, simpleFilter } from "./model.js";
import { renderVariables, syncVariables } from "./sql.js";
import { $, S, isNative, sq } from "./state.js";
import { api } from "../shared/api.js";
import { clone } from "../shared/values.js";

// ---- running and drawing ----

export function showError(msg) {
  const e = $("question-error");
  e.textContent = msg || "";
  e.hidden = !msg;
}

export function runnable() {
  if (!S.query || !S.query.database) return false;
  if (isNative()) return !!(S.query.native.query || "").trim();
  return !!(sq() && sq()["source-table"]);
}

export function wireQuery() {
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

export async function run() {
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

export function draw() {
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
export async function title() {
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
  if (filterList(q).length) parts.push("Filtered by " + filterList(q).map((f) => simpleFilter(cols, f) ? refLabel(cols, filterParts(f).ref) : formatExpression(f, cols)).join(" and "));
  return parts.join(", ");
}

export async function updateTitle() {
  if (S.card && !S.dirty) return;
  const t = await title();
  const h = $("question-title");
  if (h) h.textContent = t;
  const crumb = $("crumb-title");
  if (crumb) crumb.textContent = t;
  document.title = t + " · " + document.title.split(" · ").slice(-1)[0];
}

// ---- drill-through ----

export function closeDrill() { D.closeMenu($("drill-menu")); }

function go(query, display) {
  location.href = adHocURL(query, display || "", {});
}

export async function onDrill(ev) {
  const detail = ev.detail || {};
  const drill = D.drill({ query: S.query, result: S.result, meta: meta(S.query.database), cardCols: S.cardCols });
  const acts = await drill.actions(detail);
  if (D.showMenu($("drill-menu"), detail, acts, go) && S.handle && S.handle.chart) S.handle.chart.dispatchAction({ type: "hideTip" });
}
