// The dashboard page. The server renders a dashboard's grid as positioned
// boxes; this module runs every card in parallel (each with its own spinner
// and its own error), keeps the filter values in the page URL, and offers
// auto-refresh, full screen, duplicate and an edit mode built on gridstack
// (drag and resize on the 24-column grid, add questions, text and
// headings, filters wired to each card's columns or SQL variables).
//
// Edit mode needs the global GridStack (static/vendor/gridstack-all.js).

import * as Drill from "../charts/drill.js";
import { cardBox, disposeViz, runCard } from "./cards.js";
import { clickBehaviorOf, fillTemplate, safeURL, sourceValues } from "./clicks.js";
import { CONFLICT, GAP, GRID_COLUMNS, dashboardURL, showAlert } from "./common.js";
import { apiValues, cardQuery, defaultStrings, linkedQuery, renderFilters, selectOf, urlValues, valuesLoader, writeURL } from "./filters.js";
import { markdown } from "./text.js";
import { api } from "../shared/api.js";
import { el } from "../shared/dom.js";
import { clone, settingsOf, slug } from "../shared/values.js";

// ---- the dashboard page ----

export function initDashboard(root) {
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
      if (dc && body) markdown(body, settingsOf(dc.visualization_settings).text, dash.parameters, values);
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
    if (!metaCache[db]) metaCache[db] = api("GET", "/api/database/" + db + "/metadata").then(Drill.metadata);
    return metaCache[db];
  };
  const openQuestion = (query, display) => { window.location.assign(Drill.adHocURL(query, display, {})); };
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
    const drill = Drill.drill({ query: query, result: { data: body._data }, meta: metaOf(query.database) });
    drill.actions(detail).then((acts) => {
      if (Drill.showMenu(menu, detail, acts, openQuestion) && body._viz && body._viz.chart) body._viz.chart.dispatchAction({ type: "hideTip" });
    });
  });
  if (menu) {
    document.addEventListener("click", (ev) => {
      if (!ev.target.closest("#drill-menu") && !ev.target.closest(".dash-card-body")) Drill.closeMenu(menu);
    });
    document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") Drill.closeMenu(menu); });
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
