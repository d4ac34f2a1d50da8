// When Sightline is framed by a host application, it tells the parent page
// where it is ({type: "location"}) and how tall its content is ({type:
// "frame"}), under the key sightline and, for hosts written for the
// reference vendor, under metabase too; and it follows a parent's
// {sightline: {type: "location", location: "/path"}} to another page of its
// own origin. Only origins the CSP frame-ancestors allows can be the parent,
// so the messages go to "*" and carry nothing secret.

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

// A static embed stays on its one page: it follows no navigation from
// its host (any site may frame it).
function listen() {
  var stays = document.documentElement.querySelector("body[data-static-embed]") !== null;
  window.addEventListener("message", function (e) {
    if (stays || e.source !== window.parent || !e.data) return;
    var m = e.data.sightline || e.data.metabase;
    if (!m || m.type !== "location") return;
    var p = localPath(m.location);
    if (p !== null && p !== window.location.pathname + window.location.search + window.location.hash) window.location.assign(p);
  });
}

// start reports the location and height now and whenever they change.
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

// startFrameMessages starts the messages to a parent page; a page that is
// not framed has nobody to tell.
export function startFrameMessages() {
  if (window.parent === window) return;
  listen();
  start();
}
