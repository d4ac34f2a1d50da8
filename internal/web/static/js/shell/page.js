// The page shell's behaviour on every page: the side navigation toggle,
// menus that close on an outside click, confirmations before submitting
// and copy buttons.

// The side navigation toggle.
export function initNavToggle() {
  var btn = document.getElementById("nav-toggle");
  if (!btn) return;
  btn.addEventListener("click", function () {
    var b = document.body;
    if (window.matchMedia("(max-width: 800px)").matches) b.classList.toggle("nav-open");
    else b.classList.toggle("nav-closed");
  });
}

// Close open menus when clicking elsewhere.
export function initMenus() {
  document.addEventListener("click", function (e) {
    document.querySelectorAll("details.menu[open]").forEach(function (d) {
      if (!d.contains(e.target)) d.removeAttribute("open");
    });
  });
}

// Forms and submit buttons with data-confirm ask before submitting.
export function initConfirm() {
  document.addEventListener("submit", function (e) {
    var msg = (e.submitter && e.submitter.getAttribute("data-confirm")) || e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  }, true);
}

// copyText puts text on the clipboard; where the clipboard is not
// available (a page not served over https) it resolves false, and the
// caller shows the text selected instead.
export function copyText(text) {
  if (!navigator.clipboard || !window.isSecureContext) return Promise.resolve(false);
  return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return false; });
}

// Copy buttons: data-copy-target="#sel" copies that element's value or
// text; data-copy-fetch="/path" posts to the path and copies the plain
// text answer, shown in data-copy-into (a secret is fetched only when
// asked for, never part of the page).
export function initCopy() {
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-copy-target],[data-copy-fetch]");
    if (!btn) return;
    e.preventDefault();
    var done = function (ok) {
      var label = btn.getAttribute("data-label") || btn.textContent;
      btn.setAttribute("data-label", label);
      btn.textContent = ok ? "Copied" : "Select and copy";
      setTimeout(function () { btn.textContent = label; }, 2000);
    };
    var sel = btn.getAttribute("data-copy-target");
    if (sel) {
      var el = document.querySelector(sel);
      if (!el) return;
      var text = "value" in el ? el.value : el.textContent;
      copyText(text).then(function (ok) {
        if (!ok && el.select) el.select();
        done(ok);
      });
      return;
    }
    fetch(btn.getAttribute("data-copy-fetch"), { method: "POST", credentials: "same-origin" }).then(function (r) {
      return r.text().then(function (t) { if (!r.ok) throw new Error(t); return t; });
    }).then(function (t) {
      var into = document.querySelector(btn.getAttribute("data-copy-into") || "");
      if (into) { into.value = t; into.select(); }
      return copyText(t);
    }).then(done, function () {
      btn.textContent = "Could not read the key";
    });
  });
}
