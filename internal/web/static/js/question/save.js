// Saving the question, adding it to a dashboard, and downloads.

import * as Viz from "../charts/viz.js";
import { showError, title, wireQuery } from "./result.js";
import { $, S } from "./state.js";
import { api } from "../shared/api.js";
import { slug } from "../shared/values.js";

// ---- saving ----

export function openSave() {
  const d = $("save-dialog");
  $("save-error").hidden = true;
  if ($("save-replace")) $("save-replace").hidden = !S.card;
  $("save-name").value = S.card ? S.card.name : ($("question-title") || { textContent: "" }).textContent;
  $("save-description").value = S.card ? S.card.description || "" : "";
  if (!$("save-name").value || $("save-name").value === "New question") title().then((t) => { if (!$("save-name").value || $("save-name").value === "New question") $("save-name").value = t; });
  if (typeof d.showModal === "function") d.showModal(); else d.setAttribute("open", "");
}

export async function save(ev) {
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

export function questionURL(card) { return "/question/" + card.id + "-" + slug(card.name); }

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
export async function addToDashboard(ev) {
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

export function download(format) {
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
