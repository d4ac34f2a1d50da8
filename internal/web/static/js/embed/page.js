// Sightline static embeds, public links and previews: one published
// dashboard or question, read-only. The page's JSON block says what to draw
// and which API routes serve it; every card runs through those routes
// (/api/embed/..., /api/public/... or /api/preview_embed/...), each with
// its own spinner and its own error (the server's message, e.g. a card a
// locked filter does not reach).
//
// Hash options (read once): bordered, titled, theme (light, night,
// transparent), refresh (seconds), hide_parameters (comma-separated slugs,
// still applied), font (an application-font key), hide_download_button.
// Editable filter values live in the page's query string (?slug=value).

import { runCard, spinner } from "../dashboard/cards.js";
import { apiValue, buildFilter, urlValues } from "../dashboard/filters.js";
import { markdown } from "../dashboard/text.js";
import { api } from "../shared/api.js";
import { el } from "../shared/dom.js";
import { settingsOf } from "../shared/values.js";

const FORMATS = ["csv", "json", "xlsx"];

// The shortest refresh period in seconds, so a typo cannot hammer the server.
const MIN_REFRESH = 5;

// getJSON fetches a JSON answer, without cookies unless credentials says
// otherwise; a failure throws an Error carrying the server's message.
function getJSON(url, signal, credentials) {
  return api("GET", url, undefined, signal, credentials || "omit");
}

// hashOptions reads the hash options with their defaults.
function hashOptions(hash) {
  const q = new URLSearchParams(String(hash || "").replace(/^#/, ""));
  const flag = (k, d) => (q.has(k) ? q.get(k) !== "false" : d);
  const refresh = parseInt(q.get("refresh") || "0", 10);
  return {
    bordered: flag("bordered", true),
    titled: flag("titled", true),
    theme: ["night", "transparent"].indexOf(q.get("theme")) >= 0 ? q.get("theme") : "light",
    refresh: refresh > 0 ? Math.max(refresh, MIN_REFRESH) : 0,
    hidden: (q.get("hide_parameters") || "").split(",").map((s) => s.trim()).filter(Boolean),
    font: q.get("font") || "",
    hideDownloads: flag("hide_download_button", false),
  };
}

function writeURL(params, values) {
  const q = new URLSearchParams(window.location.search);
  for (const p of params) {
    q.delete(p.slug);
    for (const v of values[p.id] || []) q.append(p.slug, v);
  }
  const s = q.toString();
  window.history.replaceState(null, "", window.location.pathname + (s ? "?" + s : "") + window.location.hash);
}

// query builds the query string that carries the filter values to the
// API: slug=value pairs for tokens (the server checks each against the
// item's editable parameters), a JSON "parameters" list for public links.
// only, when given, picks the parameters whose values go.
function query(cfg, values, only) {
  if (cfg.kind === "public") {
    const list = [];
    for (const p of cfg.parameters) {
      const v = apiValue(p, values[p.id] || []);
      if (v === null) continue;
      if (cfg.model === "question") {
        list.push({ id: p.id, type: p.variable === "dimension" ? p.type : "category", value: v,
          target: [p.variable || "variable", ["template-tag", p.id]] });
      } else {
        list.push({ id: p.id, value: v });
      }
    }
    return list.length ? "?parameters=" + encodeURIComponent(JSON.stringify(list)) : "";
  }
  const q = new URLSearchParams();
  for (const p of cfg.parameters) {
    if (only && !only(p)) continue;
    const v = apiValue(p, values[p.id] || []);
    if (v === null) continue;
    for (const x of Array.isArray(v) ? v : [v]) q.append(p.slug, String(x));
  }
  const s = q.toString();
  return s ? "?" + s : "";
}

// downloadMenu offers the card's results as csv, json and xlsx. A public
// dashboard's card downloads by POST with the filter values in a form
// field; the others are plain links.
function downloadMenu(base, post, params) {
  const d = el("details", "embed-download");
  const sum = el("summary", null, "Download");
  sum.setAttribute("aria-label", "Download results");
  const items = el("div", "embed-download-items");
  for (const f of FORMATS) {
    if (post) {
      const form = el("form");
      form.method = "post";
      form.action = base + "/" + f;
      const i = el("input");
      i.type = "hidden";
      i.name = "parameters";
      i.value = params;
      const b = el("button", null, "." + f);
      b.type = "submit";
      b.dataset.format = f;
      form.append(i, b);
      items.appendChild(form);
    } else {
      const a = el("a", null, "." + f);
      a.href = base + "/" + f + params;
      a.dataset.format = f;
      a.setAttribute("download", "");
      items.appendChild(a);
    }
  }
  d.append(sum, items);
  return d;
}

// cardBox builds one grid box like the dashboard's, without links.
function cardBox(dc) {
  const box = el("div", "dash-card");
  box.id = "dashcard-" + dc.id;
  box.dataset.dashcardId = String(dc.id);
  box.dataset.cardId = String(dc.card_id || 0);
  box.style.gridColumn = (dc.col + 1) + " / span " + dc.size_x;
  box.style.gridRow = (dc.row + 1) + " / span " + dc.size_y;
  const inner = el("div", "dash-card-inner");
  box.appendChild(inner);
  const vs = settingsOf(dc.visualization_settings);
  if (!dc.card_id) {
    const kind = vs.virtual_card && vs.virtual_card.display === "heading" ? "heading" : "text";
    box.classList.add("dash-virtual", "dash-" + kind);
    inner.appendChild(el(kind === "heading" ? "h2" : "div", "dash-text-body", vs.text || ""));
    return box;
  }
  const head = el("div", "dash-card-head");
  head.appendChild(el("span", "dash-card-title", vs["card.title"] || (dc.card && dc.card.name) || "Question"));
  inner.appendChild(head);
  const body = el("div", "dash-card-body");
  body.dataset.state = "waiting";
  body.appendChild(spinner());
  inner.appendChild(body);
  return box;
}

// runEmbedCard loads one card into its box through its embed route; a
// card that does not run has nothing to download either.
function runEmbedCard(box, dc, url) {
  return runCard(box, dc, (signal) => getJSON(url, signal, box._credentials), () => {
    const menu = box.querySelector(".embed-download");
    if (menu) menu.remove();
  });
}

// applyLook applies the hash options that change how the page looks.
function applyLook(cfg, opts) {
  const b = document.body;
  b.classList.toggle("embed-bordered", opts.bordered);
  b.classList.toggle("embed-titled", opts.titled);
  b.classList.remove("theme-light", "theme-night", "theme-transparent");
  b.classList.add("theme-" + opts.theme);
  document.documentElement.classList.toggle("theme-night", opts.theme === "night");
  const stack = cfg.fonts && Object.prototype.hasOwnProperty.call(cfg.fonts, opts.font) ? cfg.fonts[opts.font] : "";
  if (stack) document.documentElement.style.setProperty("--font", stack);
}

// load fills a preview's configuration from its API route.
async function load(cfg) {
  const item = await getJSON(cfg.api, undefined, "same-origin");
  cfg.name = item.name || "";
  if (cfg.model === "dashboard") {
    cfg.parameters = item.parameters || [];
    cfg.tabs = item.tabs || [];
    cfg.dashcards = item.dashcards || [];
  } else {
    cfg.card = item;
    cfg.parameters = (item.parameters || []).map((p) => Object.assign({ slug: p.slug || p.id, variable: "variable" }, p));
  }
  const t = document.getElementById("embed-title");
  if (t) t.textContent = cfg.name;
  document.title = cfg.name;
}

function start(root, cfg) {
  const opts = hashOptions(window.location.hash);
  applyLook(cfg, opts);
  cfg.parameters = cfg.parameters || [];
  const credentials = cfg.kind === "preview" ? "same-origin" : "omit";
  const grid = document.getElementById("embed-grid");
  const values = urlValues(cfg.parameters, window.location.search);
  const tabs = cfg.tabs || [];
  let tab = tabs.length ? tabs[0].id : 0;
  const byID = {};
  for (const dc of cfg.dashcards || []) byID[String(dc.id)] = dc;

  const downloadsOn = cfg.downloads && !opts.hideDownloads;
  const runOne = (box) => {
    const qs = query(cfg, values);
    box._credentials = credentials;
    if (cfg.model === "question") {
      const dc = { card: cfg.card };
      if (downloadsOn) setMenu(box, downloadMenu(cfg.api + "/query", false, qs));
      return runEmbedCard(box, dc, cfg.api + "/query" + qs);
    }
    const dc = byID[box.dataset.dashcardId];
    if (!dc || !dc.card_id) return Promise.resolve();
    const base = cfg.api + "/dashcard/" + dc.id + "/card/" + dc.card_id;
    if (downloadsOn) {
      const post = cfg.kind === "public";
      const params = post ? decodeURIComponent(qs.replace(/^\?parameters=/, "")) || "[]" : qs;
      setMenu(box, downloadMenu(base, post, params));
    }
    return runEmbedCard(box, dc, base + qs);
  };
  // Text cards show their Markdown with the shown filters' values, as on
  // a signed-in dashboard, and a token's locked values in their filters'
  // {{slug}} places.
  const lockedParams = Object.keys(cfg.locked || {}).map((slug) => ({ id: "locked:" + slug, slug: slug, type: "" }));
  const drawTexts = () => {
    const all = Object.assign({}, values);
    for (const p of lockedParams) all[p.id] = [cfg.locked[p.slug]];
    const params = cfg.parameters.concat(lockedParams);
    grid.querySelectorAll(".dash-card.dash-text").forEach((box) => {
      const dc = byID[box.dataset.dashcardId];
      const body = box.querySelector(".dash-text-body");
      if (dc && body) markdown(body, settingsOf(dc.visualization_settings).text, params, all);
    });
  };
  const runAll = () => {
    drawTexts();
    const boxes = Array.from(grid.querySelectorAll(".dash-card"));
    root.dataset.runs = String(Number(root.dataset.runs || 0) + 1);
    return Promise.all(boxes.map(runOne)).then(() => { root.dataset.loaded = "true"; });
  };

  // Cards: the question alone, or the dashboard's cards on the active tab.
  const layout = () => {
    grid.replaceChildren();
    if (cfg.model === "question") {
      grid.classList.remove("dash-grid");
      grid.classList.add("embed-question");
      const box = cardBox({ id: "question", card_id: (cfg.card && cfg.card.id) || 1, col: 0, row: 0, size_x: 24, size_y: 1,
        card: cfg.card, visualization_settings: {} });
      grid.appendChild(box);
      return;
    }
    const firstTab = tabs.length ? tabs[0].id : 0;
    const known = new Set(tabs.map((t) => t.id));
    for (const dc of cfg.dashcards || []) {
      const on = !tabs.length || dc.dashboard_tab_id === tab || (tab === firstTab && !known.has(dc.dashboard_tab_id));
      if (on) grid.appendChild(cardBox(dc));
    }
  };

  const tabBar = document.getElementById("embed-tabs");
  if (tabs.length > 1) {
    tabBar.hidden = false;
    for (const t of tabs) {
      const b = el("button", "linklike", t.name);
      b.type = "button";
      b.dataset.tabId = String(t.id);
      b.classList.toggle("active", t.id === tab);
      b.addEventListener("click", () => {
        tab = t.id;
        tabBar.querySelectorAll("button").forEach((x) => x.classList.toggle("active", x === b));
        layout();
        runAll();
      });
      tabBar.appendChild(b);
    }
  }

  // Filters: every editable one gets a widget; hidden ones keep applying.
  const bar = document.getElementById("embed-filters");
  bar.addEventListener("submit", (e) => e.preventDefault());
  const valuesCache = {};
  // A filter limited by other filters (linked filters) sends their
  // current values, and the server narrows its choices by them (on top of
  // a token's locked values): by slug for a token, by filter id for a
  // public link, as on a signed-in dashboard.
  const linkedQuery = (p) => {
    const ids = (p.filteringParameters || []).filter((id) => id !== p.id);
    if (cfg.kind !== "public") return query(cfg, values, (x) => ids.indexOf(x.id) >= 0);
    if (cfg.model === "question") return "";
    const q = new URLSearchParams();
    for (const x of cfg.parameters) {
      if (ids.indexOf(x.id) < 0) continue;
      const v = apiValue(x, values[x.id] || []);
      if (v === null) continue;
      for (const one of Array.isArray(v) ? v : [v]) q.append(x.id, String(one));
    }
    const s = q.toString();
    return s ? "?" + s : "";
  };
  const fieldValues = (p) => {
    const qs = linkedQuery(p);
    const key = p.id + qs;
    if (!valuesCache[key]) {
      valuesCache[key] = getJSON(cfg.api + "/params/" + encodeURIComponent(p.id) + "/values" + qs, undefined, credentials)
        .then((r) => (r.values || []).map((v) => (Array.isArray(v) ? v[0] : v)).filter((v) => v !== null).map(String))
        .catch(() => []);
    }
    return valuesCache[key];
  };
  // A change redraws the widgets of the filters it limits, so that their
  // choices follow it.
  const widgets = {};
  const widget = (p) => {
    const f = buildFilter(p, values[p.id] || [], (v) => {
      values[p.id] = v;
      writeURL(cfg.parameters, values);
      for (const q of cfg.parameters) {
        if (q.id === p.id || (q.filteringParameters || []).indexOf(p.id) < 0) continue;
        const fresh = widget(q);
        widgets[q.id].replaceWith(fresh);
        widgets[q.id] = fresh;
      }
      runAll();
    }, fieldValues);
    if (opts.hidden.indexOf(p.slug) >= 0) f.classList.add("embed-hidden");
    return f;
  };
  let shown = 0;
  for (const p of cfg.parameters) {
    const f = widget(p);
    widgets[p.id] = f;
    if (!f.classList.contains("embed-hidden")) shown++;
    bar.appendChild(f);
  }
  bar.hidden = shown === 0;

  layout();
  runAll();
  if (opts.refresh > 0) {
    window.setInterval(runAll, opts.refresh * 1000);
    root.dataset.refresh = String(opts.refresh);
  }
}

// setMenu puts a card's download menu in its head, replacing the old one
// (its links carry the filter values of the last run).
function setMenu(box, menu) {
  const head = box.querySelector(".dash-card-head");
  if (!head) return;
  const old = head.querySelector(".embed-download");
  if (old) old.remove();
  head.appendChild(menu);
}

export function init() {
  const root = document.getElementById("embed");
  const data = document.getElementById("embed-data");
  if (!root || !data) return;
  const cfg = JSON.parse(data.textContent);
  const go = () => start(root, cfg);
  if (!cfg.load) { go(); return; }
  load(cfg).then(go).catch((e) => {
    const a = document.getElementById("embed-alert");
    a.textContent = e.message;
    a.hidden = false;
    root.dataset.loaded = "true";
  });
}
