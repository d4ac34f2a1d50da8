// The X-ray page (/auto/dashboard/table/ID): the dashboard grid and
// filters for a generated, unsaved dashboard whose cards run through
// /api/dataset.

import { cardBox, runCard } from "./cards.js";
import { dashboardURL, showAlert } from "./common.js";
import { apiValue, renderFilters, urlValues, valuesLoader, writeURL } from "./filters.js";
import { api } from "../shared/api.js";
import { clone } from "../shared/values.js";

// ---- the X-ray page ----

export function initXray(root) {
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
