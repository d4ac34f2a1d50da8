// The Embed panel of dashboard and question pages, for administrators:
// publish or unpublish the item for static embedding, choose for each
// filter (a dashboard's parameters, a SQL question's variables) whether a
// token leaves it Disabled, Editable or Locked, read the host-side code
// that signs a token (Node and Go), preview the embed with locked values
// typed here, and create, copy or revoke the item's public link.
//
// The page shows a button with id "embed-open" carrying
// data-publish-model ("dashboard" or "card") and data-publish-id; the rest
// comes from the API.

import { onReady, elem } from "../shared/dom.js";

var MODES = [["disabled", "Disabled"], ["enabled", "Editable"], ["locked", "Locked"]];

// ---- pure helpers ----

// parseValue reads a value typed for a locked parameter: a whole or
// decimal number becomes a number, a comma-separated list a list, an
// empty box null.
function parseValue(text) {
  var s = String(text == null ? "" : text).trim();
  if (s === "") return null;
  if (s.indexOf(",") >= 0) {
    return s.split(",").map(function (p) { return parseValue(p); }).filter(function (v) { return v !== null; });
  }
  // Leading zeros (a postcode, a padded id) keep the text as typed.
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(s)) return Number(s);
  return s;
}

// lockedParams is the token's params: a value for every locked slug.
function lockedParams(slugs, modes, values) {
  var out = {};
  slugs.forEach(function (slug) {
    if (modes[slug] === "locked") out[slug] = parseValue(values[slug]);
  });
  return out;
}

// embedKind is the path segment of the embed page: dashboard or question.
function embedKind(model) { return model === "card" ? "question" : "dashboard"; }

function jsLiteral(v) {
  if (Array.isArray(v)) return "[" + v.map(jsLiteral).join(", ") + "]";
  return JSON.stringify(v);
}

function goLiteral(v) {
  if (v === null) return "nil";
  if (Array.isArray(v)) return "[]any{" + v.map(goLiteral).join(", ") + "}";
  return JSON.stringify(v);
}

// nodeSnippet is the host-side code that signs a token with Node's
// jsonwebtoken, in the vendor's payload shape.
function nodeSnippet(o) {
  var kind = embedKind(o.model);
  var keys = Object.keys(o.params);
  var params = keys.length === 0 ? "{}" : "{ " + keys.map(function (k) { return JSON.stringify(k) + ": " + jsLiteral(o.params[k]); }).join(", ") + " }";
  return [
    "// npm install jsonwebtoken",
    "const jwt = require(\"jsonwebtoken\");",
    "",
    "const SITE_URL = " + JSON.stringify(o.siteURL) + ";",
    "// The embedding secret key from Admin > Embedding; keep it on your server.",
    "const SECRET_KEY = process.env.SIGHTLINE_EMBEDDING_SECRET_KEY;",
    "",
    "const payload = {",
    "  resource: { " + kind + ": " + o.id + " },",
    "  params: " + params + ",",
    "  exp: Math.round(Date.now() / 1000) + 10 * 60, // 10 minutes",
    "};",
    "const token = jwt.sign(payload, SECRET_KEY);",
    "",
    "const iframeUrl = SITE_URL + \"/embed/" + kind + "/\" + token + \"#bordered=true&titled=true\";",
    ""
  ].join("\n");
}

// goSnippet is the same with github.com/golang-jwt/jwt/v5, as a whole
// program.
function goSnippet(o) {
  var kind = embedKind(o.model);
  var keys = Object.keys(o.params);
  var params = "map[string]any{" + keys.map(function (k) { return JSON.stringify(k) + ": " + goLiteral(o.params[k]); }).join(", ") + "}";
  return [
    "package main",
    "",
    "import (",
    "\t\"fmt\"",
    "\t\"os\"",
    "\t\"time\"",
    "",
    "\t\"github.com/golang-jwt/jwt/v5\"",
    ")",
    "",
    "func main() {",
    "\tsiteURL := " + JSON.stringify(o.siteURL),
    "\t// The embedding secret key from Admin > Embedding; keep it on your server.",
    "\tsecretKey := os.Getenv(\"SIGHTLINE_EMBEDDING_SECRET_KEY\")",
    "",
    "\tclaims := jwt.MapClaims{",
    "\t\t\"resource\": map[string]any{\"" + kind + "\": " + o.id + "},",
    "\t\t\"params\":   " + params + ",",
    "\t\t\"exp\":      time.Now().Add(10 * time.Minute).Unix(),",
    "\t}",
    "\ttoken, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secretKey))",
    "\tif err != nil {",
    "\t\tpanic(err)",
    "\t}",
    "\tiframeURL := siteURL + \"/embed/" + kind + "/\" + token + \"#bordered=true&titled=true\"",
    "\tfmt.Println(iframeURL)",
    "}",
    ""
  ].join("\n");
}

// with the server's message.
function api(method, path, body) {
  var init = { method: method, credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  return fetch(path, init).then(function (r) {
    return r.text().then(function (t) {
      var v = null;
      try { v = t ? JSON.parse(t) : null; } catch (e) { v = t; }
      if (!r.ok) {
        var msg = v && (v.message || v.error || (v.errors && JSON.stringify(v.errors))) || (typeof v === "string" && v) || r.statusText;
        throw new Error(msg);
      }
      return v;
    });
  });
}

// slugsOf lists the item's parameters as [slug, label] pairs.
function slugsOf(model, item) {
  if (model === "dashboard") {
    return (item.parameters || []).map(function (p) { return [p.slug, p.name || p.slug]; });
  }
  var native = item.dataset_query && item.dataset_query.native;
  var tags = native && native["template-tags"] || {};
  return Object.keys(tags).map(function (k) { return [tags[k].name || k, tags[k]["display-name"] || k]; });
}

function Panel(btn) {
  this.btn = btn;
  this.model = btn.getAttribute("data-publish-model");
  this.id = Number(btn.getAttribute("data-publish-id"));
  this.values = {};
}

Panel.prototype.open = function () {
  var self = this;
  if (!this.dialog) {
    this.dialog = elem("dialog", { id: "publish-panel", class: "publish-panel", "aria-labelledby": "publish-title" });
    document.body.appendChild(this.dialog);
  }
  this.dialog.replaceChildren(elem("p", { class: "muted", text: "Loading…" }));
  if (!this.dialog.open) this.dialog.showModal();
  var base = "/api/" + this.model + "/" + this.id;
  Promise.all([
    api("GET", base),
    api("GET", "/api/setting/site-url").catch(function () { return ""; }),
    api("GET", "/api/setting/enable-embedding-static").catch(function () { return false; }),
    api("GET", "/api/setting/embedding-secret-key").catch(function () { return null; }),
    api("GET", "/api/setting/enable-public-sharing").catch(function () { return false; })
  ]).then(function (r) {
    self.item = r[0];
    self.siteURL = (r[1] || window.location.origin).replace(/\/+$/, "");
    self.staticOn = r[2] === true || r[2] === "true";
    self.keySet = !!r[3];
    self.sharingOn = r[4] === true || r[4] === "true";
    self.published = !!self.item.enable_embedding;
    self.slugs = slugsOf(self.model, self.item);
    self.modes = {};
    self.slugs.forEach(function (s) { self.modes[s[0]] = (self.item.embedding_params || {})[s[0]] || "disabled"; });
    self.saved = JSON.stringify(self.modes);
    if (!self.sharingOn) return null;
    return api("GET", "/api/" + self.model + "/public").then(function (links) {
      var mine = (links || []).filter(function (l) { return l.id === self.id; })[0];
      self.uuid = mine ? mine.public_uuid : "";
    });
  }).then(function () { self.render(); }, function (err) {
    self.dialog.replaceChildren(elem("p", { class: "alert", role: "alert", text: "The embedding settings could not be loaded: " + err.message }), self.closeButton());
  });
};

Panel.prototype.closeButton = function () {
  var self = this;
  var b = elem("button", { type: "button", class: "btn", id: "publish-close", text: "Close" });
  b.addEventListener("click", function () { self.dialog.close(); });
  return b;
};

Panel.prototype.status = function (msg, isError) {
  var s = this.dialog.querySelector("#publish-status");
  if (!s) return;
  s.textContent = msg;
  s.className = isError ? "alert" : "flash";
  s.hidden = !msg;
};

Panel.prototype.params = function () {
  return lockedParams(this.slugs.map(function (s) { return s[0]; }), this.modes, this.values);
};

Panel.prototype.render = function () {
  var self = this;
  var kindLabel = this.model === "dashboard" ? "dashboard" : "question";
  var children = [
    elem("h2", { id: "publish-title", text: "Embed this " + kindLabel }),
    elem("p", { id: "publish-status", role: "status", hidden: true })
  ];
  if (!this.staticOn || !this.keySet) {
    var note = elem("p", { class: "alert", id: "publish-static-off" });
    note.appendChild(document.createTextNode(!this.staticOn ? "Static embedding is turned off, so published items are not served yet. " : "No embedding secret key is set yet. "));
    note.appendChild(elem("a", { href: "/admin/settings/embedding#static-embedding", text: "Open Admin > Embedding" }));
    children.push(note);
  }
  children.push(elem("p", { id: "publish-state", class: "muted", text: this.published ? "Published: a token signed with the embedding secret key can show it." : "Not published: no token can show it." }));

  // Parameters.
  var rows = this.slugs.map(function (s) {
    var sel = elem("select", { name: "mode-" + s[0], "data-slug": s[0], "aria-label": "Embedding of " + s[1] },
      MODES.map(function (m) { return elem("option", { value: m[0], selected: self.modes[s[0]] === m[0], text: m[1] }); }));
    sel.addEventListener("change", function () { self.modes[s[0]] = sel.value; self.render(); });
    return elem("tr", {}, [elem("td", { text: s[1] }), elem("td", {}, [elem("code", { text: s[0] })]), elem("td", {}, [sel])]);
  });
  if (rows.length) {
    children.push(elem("h3", { text: this.model === "dashboard" ? "Filters" : "SQL variables" }));
    children.push(elem("p", { class: "muted small", text: "Disabled: hidden, the token may not set it. Editable: the viewer may change it, and the embed URL's query string may set it. Locked: hidden, and every token must set it; a card it is not wired to is not shown." }));
    children.push(elem("table", { class: "grid", id: "publish-params" }, [elem("tbody", {}, rows)]));
  } else {
    children.push(elem("p", { class: "muted", id: "publish-no-params", text: this.model === "dashboard" ? "This dashboard has no filters: a token shows it whole." : "This question has no SQL variables: a token shows it whole." }));
  }
  var changed = JSON.stringify(this.modes) !== this.saved;
  var actions = elem("div", { class: "actions" });
  var pub = elem("button", { type: "button", class: "btn btn-primary", id: "publish-save",
    text: !this.published ? "Publish" : changed ? "Publish changes" : "Published", disabled: this.published && !changed });
  pub.addEventListener("click", function () { self.save(true); });
  actions.appendChild(pub);
  if (this.published) {
    var unpub = elem("button", { type: "button", class: "btn", id: "publish-unpublish", text: "Unpublish" });
    unpub.addEventListener("click", function () {
      if (window.confirm("Unpublish? Every embed of it stops working.")) self.save(false);
    });
    actions.appendChild(unpub);
  }
  children.push(actions);

  // Host-side code.
  var opts = { model: this.model, id: this.id, params: this.params(), siteURL: this.siteURL };
  children.push(elem("h3", { text: "Code for your server" }));
  children.push(elem("p", { class: "muted small", text: "Sign a token on your server for each page view (it expires after 10 minutes) and put the URL in an iframe." }));
  [["Node (jsonwebtoken)", "publish-code-node", nodeSnippet(opts)], ["Go (github.com/golang-jwt/jwt/v5)", "publish-code-go", goSnippet(opts)]].forEach(function (c) {
    children.push(elem("div", { class: "publish-code" }, [
      elem("div", { class: "publish-code-head" }, [elem("span", { text: c[0] }),
        elem("button", { type: "button", class: "btn btn-small", "data-copy-target": "#" + c[1], text: "Copy" })]),
      elem("pre", {}, [elem("code", { id: c[1], text: c[2] })])
    ]));
  });
  var url = this.siteURL + "/embed/" + embedKind(this.model) + "/TOKEN#bordered=true&titled=true";
  children.push(elem("p", { class: "publish-url" }, [elem("span", { text: "iframe URL: " }), elem("code", { id: "publish-iframe-url", text: url }),
    elem("button", { type: "button", class: "btn btn-small", "data-copy-target": "#publish-iframe-url", text: "Copy" })]));

  // Preview.
  children.push(elem("h3", { text: "Preview" }));
  var locked = this.slugs.filter(function (s) { return self.modes[s[0]] === "locked"; });
  var inputs = locked.map(function (s) {
    var inp = elem("input", { name: "preview-" + s[0], "data-slug": s[0], value: self.values[s[0]] || "", placeholder: "value, or a, b for several" });
    inp.addEventListener("input", function () {
      self.values[s[0]] = inp.value;
      var o = { model: self.model, id: self.id, params: self.params(), siteURL: self.siteURL };
      document.getElementById("publish-code-node").textContent = nodeSnippet(o);
      document.getElementById("publish-code-go").textContent = goSnippet(o);
    });
    return elem("label", {}, [document.createTextNode(s[1] + " (locked) "), inp]);
  });
  var prev = elem("button", { type: "button", class: "btn", id: "publish-preview", text: "Preview" });
  prev.addEventListener("click", function () { self.preview(); });
  children.push(elem("div", { class: "publish-preview-inputs", id: "publish-preview-inputs" }, inputs.concat([prev])));
  children.push(elem("iframe", { id: "publish-preview-frame", class: "publish-preview-frame", title: "Preview of the embed", hidden: true }));

  // Public link.
  if (this.sharingOn) {
    children.push(elem("h3", { text: "Public link" }));
    children.push(elem("p", { class: "muted small", text: "Anyone with the link sees what this " + kindLabel + " shows, without signing in: data permissions and sandboxes do not apply, and a public link to a sandboxed table is refused." }));
    var pl = elem("div", { class: "publish-public", id: "publish-public" });
    if (this.uuid) {
      var link = this.siteURL + "/public/" + embedKind(this.model) + "/" + this.uuid;
      var revoke = elem("button", { type: "button", class: "btn btn-small", id: "publish-public-revoke", text: "Revoke" });
      revoke.addEventListener("click", function () {
        if (window.confirm("Revoke the public link? It stops working for good.")) self.publicLink("DELETE");
      });
      pl.appendChild(elem("input", { readonly: true, id: "publish-public-url", value: link, size: 60, "aria-label": "Public link" }));
      pl.appendChild(elem("button", { type: "button", class: "btn btn-small", "data-copy-target": "#publish-public-url", text: "Copy" }));
      pl.appendChild(revoke);
    } else {
      var create = elem("button", { type: "button", class: "btn", id: "publish-public-create", text: "Create public link" });
      create.addEventListener("click", function () { self.publicLink("POST"); });
      pl.appendChild(create);
    }
    children.push(pl);
  }
  children.push(elem("div", { class: "actions" }, [this.closeButton()]));
  this.dialog.replaceChildren.apply(this.dialog, children);
};

// save publishes (with the chosen parameter modes) or unpublishes.
Panel.prototype.save = function (publish) {
  var self = this;
  var body = { enable_embedding: publish };
  if (publish) body.embedding_params = this.modes;
  api("PUT", "/api/" + this.model + "/" + this.id, body).then(function (item) {
    self.published = !!(item && item.enable_embedding);
    self.saved = JSON.stringify(self.modes);
    self.render();
    self.status(publish ? "Published." : "Unpublished: tokens that name it no longer work.");
  }, function (err) { self.status(err.message, true); });
};

// preview asks the server for a preview token (signed with the embedding
// secret key, with the modes chosen here) and shows it in the frame.
Panel.prototype.preview = function () {
  var self = this;
  var resource = {};
  resource[embedKind(this.model)] = this.id;
  var body = { resource: resource, params: this.params(), _embedding_params: this.modes };
  this.status("");
  api("POST", "/api/preview_embed/token", body).then(function (r) {
    if (!r || typeof r.token !== "string") throw new Error("the server sent no token");
    var f = document.getElementById("publish-preview-frame");
    f.src = "/preview_embed/" + embedKind(self.model) + "/" + encodeURIComponent(r.token) + "#bordered=true&titled=true";
    f.hidden = false;
    self.status("");
  }, function (err) { self.status("The preview could not be made: " + err.message, true); });
};

// publicLink creates (POST) or revokes (DELETE) the public link.
Panel.prototype.publicLink = function (method) {
  var self = this;
  api(method, "/api/" + this.model + "/" + this.id + "/public_link").then(function (r) {
    self.uuid = method === "POST" && r ? r.uuid : "";
    self.render();
    self.status(method === "POST" ? "Public link created." : "Public link revoked.");
  }, function (err) { self.status(err.message, true); });
};

// init wires the page's Embed button to its panel.
function init() {
  var btn = document.getElementById("embed-open");
  if (!btn) return;
  var panel = new Panel(btn);
  btn.addEventListener("click", function () { panel.open(); });
}

onReady(init);
