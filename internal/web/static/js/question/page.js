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

import * as Viz from "../charts/viz.js";
import { filterList } from "../charts/drill.js";
import { attach } from "../charts/settings.js";
import { b64urlDecode, loadDatabases } from "./model.js";
import { open, renderNotebook } from "./notebook.js";
import { closeDrill, draw, onDrill, run, runnable, showError, updateTitle } from "./result.js";
import { addToDashboard, download, openSave, questionURL, save } from "./save.js";
import { renderSQLEditor } from "./sql.js";
import { $, S, changed, isNative, sq } from "./state.js";
import { elem } from "../shared/dom.js";

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
