// Dashboard cards: the box each card draws in, its spinner, its settings
// and running it into a visualization.

import * as Viz from "../charts/viz.js";
import { el } from "../shared/dom.js";
import { settingsOf } from "../shared/values.js";

// ---- cards ----

export function spinner() {
  const d = el("div", "dash-loading");
  d.appendChild(el("span", "dash-spinner"));
  const t = el("span", "visually-hidden", "Loading…");
  d.appendChild(t);
  return d;
}

// cardSettings merges the question's display and settings with the
// dashboard card's own settings.
export function cardSettings(dc) {
  const card = dc.card || {};
  const s = Object.assign({}, settingsOf(card.visualization_settings), settingsOf(dc.visualization_settings));
  delete s.virtual_card;
  if (card.display && !s.display) s.display = card.display;
  return s;
}

// runCard loads one card into its box: its own spinner, its own error.
// run(signal) resolves to the API answer ({data: {cols, rows}});

// onError(box), if given, runs when the card fails, before the error shows.
export function runCard(box, dc, run, onError) {
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
    body._viz = Viz.render(viz, data, cardSettings(dc));
    body._data = data;
    body.dataset.state = data.rows && data.rows.length ? "done" : "empty";
    body.dataset.rows = String(data.rows ? data.rows.length : 0);
    if (viz.querySelector(".viz-error")) body.dataset.state = "error";
  }).catch((err) => {
    if (ctl.signal.aborted || (err && err.name === "AbortError")) return;
    body.dataset.state = "error";
    if (onError) onError(box);
    const msg = el("div", "dash-card-error", err && err.message ? err.message : String(err));
    msg.setAttribute("role", "alert");
    body.replaceChildren(msg);
  });
}

// disposeViz frees the chart of a card box that leaves the page.
export function disposeViz(box) {
  const body = box.querySelector(".dash-card-body");
  if (body && body._viz) {
    body._viz.dispose();
    body._viz = null;
  }
}

// cardBox builds a grid box like the server's, for cards added in edit
// mode and for X-ray cards.
export function cardBox(dc, key) {
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
