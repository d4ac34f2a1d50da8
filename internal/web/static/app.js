// Sightline's page behaviour. Served from the binary's own origin; the
// Content-Security-Policy forbids inline scripts, so everything lives here.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // The side navigation toggle.
  function initNavToggle() {
    var btn = document.getElementById("nav-toggle");
    if (!btn) return;
    btn.addEventListener("click", function () {
      var b = document.body;
      if (window.matchMedia("(max-width: 800px)").matches) b.classList.toggle("nav-open");
      else b.classList.toggle("nav-closed");
    });
  }

  // Close open menus when clicking elsewhere.
  function initMenus() {
    document.addEventListener("click", function (e) {
      document.querySelectorAll("details.menu[open]").forEach(function (d) {
        if (!d.contains(e.target)) d.removeAttribute("open");
      });
    });
  }

  // Forms and submit buttons with data-confirm ask before submitting.
  function initConfirm() {
    document.addEventListener("submit", function (e) {
      var msg = (e.submitter && e.submitter.getAttribute("data-confirm")) || e.target.getAttribute("data-confirm");
      if (msg && !window.confirm(msg)) e.preventDefault();
    }, true);
  }

  onReady(function () {
    initNavToggle();
    initMenus();
    initConfirm();
  });

  window.Sightline = window.Sightline || {};
  window.Sightline.onReady = onReady;
})();

// The database form shows only the fields of the chosen engine.
(function () {
  "use strict";
  function sync() {
    var sel = document.getElementById("engine");
    if (!sel) return;
    document.querySelectorAll(".engine-fields").forEach(function (fs) {
      var on = (fs.getAttribute("data-engine") || "").split(" ").indexOf(sel.value) >= 0;
      fs.hidden = !on;
      fs.disabled = !on;
    });
  }
  document.addEventListener("change", function (e) { if (e.target && e.target.id === "engine") sync(); });
  if (document.readyState !== "loading") sync(); else document.addEventListener("DOMContentLoaded", sync);
})();

// When Sightline is framed by a host application, it tells the parent page
// where it is ({type: "location"}) and how tall its content is ({type:
// "frame"}), under the key sightline and, for hosts written for the
// reference vendor, under metabase too; and it follows a parent's
// {sightline: {type: "location", location: "/path"}} to another page of its
// own origin. Only origins the CSP frame-ancestors allows can be the parent,
// so the messages go to "*" and carry nothing secret.
(function () {
  "use strict";
  if (window.parent === window) return;

  function post(msg) {
    try {
      window.parent.postMessage({ sightline: msg }, "*");
      window.parent.postMessage({ metabase: msg }, "*");
    } catch (e) { /* a detached parent: nothing to tell */ }
  }

  function postLocation() {
    var l = window.location;
    post({ type: "location", location: { href: l.href, origin: l.origin, pathname: l.pathname, search: l.search, hash: l.hash } });
  }

  // The content's height, not the page's: the page is at least as tall as
  // the iframe (min-height: 100vh), which would stop a frame from shrinking.
  function contentHeight() {
    var main = document.querySelector("main") || document.body;
    var bottom = 0;
    for (var i = 0; i < main.children.length; i++) {
      bottom = Math.max(bottom, main.children[i].getBoundingClientRect().bottom + window.scrollY);
    }
    return Math.ceil(bottom + (parseFloat(window.getComputedStyle(main).paddingBottom) || 0));
  }

  var lastHeight = -1;
  function postHeight() {
    var h = contentHeight();
    if (h === lastHeight) return;
    lastHeight = h;
    post({ type: "frame", frame: { mode: "normal", height: h } });
  }

  // A same-origin path only: "/x", never "//host" or "/\host" or a URL.
  function localPath(loc) {
    if (typeof loc !== "string" || loc.charAt(0) !== "/" || loc.charAt(1) === "/" || loc.charAt(1) === "\\") return null;
    var u;
    try { u = new URL(loc, window.location.origin); } catch (e) { return null; }
    if (u.origin !== window.location.origin) return null;
    return u.pathname + u.search + u.hash;
  }

  window.addEventListener("message", function (e) {
    if (e.source !== window.parent || !e.data) return;
    var m = e.data.sightline || e.data.metabase;
    if (!m || m.type !== "location") return;
    var p = localPath(m.location);
    if (p !== null && p !== window.location.pathname + window.location.search + window.location.hash) window.location.assign(p);
  });

  function start() {
    postLocation();
    postHeight();
    if (window.ResizeObserver) {
      var ro = new ResizeObserver(postHeight);
      ro.observe(document.documentElement);
      var main = document.querySelector("main");
      if (main) for (var i = 0; i < main.children.length; i++) ro.observe(main.children[i]);
    }
    // htmx 2 and 4 name the event differently.
    document.addEventListener("htmx:afterSettle", postHeight);
    document.addEventListener("htmx:after:settle", postHeight);
    window.addEventListener("load", postHeight);
    window.addEventListener("popstate", postLocation);
    window.addEventListener("hashchange", postLocation);
    // Pages change their address without loading (a dashboard's filters
    // and tab, a question's state): the host hears of those too.
    ["pushState", "replaceState"].forEach(function (name) {
      var orig = window.history[name];
      if (typeof orig !== "function") return;
      window.history[name] = function () {
        var before = window.location.href;
        var r = orig.apply(this, arguments);
        if (window.location.href !== before) postLocation();
        return r;
      };
    });
  }
  if (document.readyState !== "loading") start(); else document.addEventListener("DOMContentLoaded", start);
})();
