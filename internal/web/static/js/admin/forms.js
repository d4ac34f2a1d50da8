// Admin forms: Copy buttons for values shown once (a new signing key), and
// a searchable multi-select over <select multiple data-multiselect>. The
// select stays in the form, hidden, and is what the form submits, so the
// page works the same without this script.

import { onReady, el } from "../shared/dom.js";

// A button with data-copy="id" copies that input's value.
function initCopy() {
  document.querySelectorAll("button[data-copy]").forEach(function (btn) {
    var input = document.getElementById(btn.getAttribute("data-copy"));
    if (!input) return;
    var label = btn.textContent;
    btn.addEventListener("click", function () {
      var done = function () {
        btn.textContent = "Copied";
        window.setTimeout(function () { btn.textContent = label; }, 2000);
      };
      input.focus();
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          if (document.execCommand("copy")) done();
        });
      } else if (document.execCommand("copy")) {
        done();
      }
    });
  });
}

// matches reports whether an option's label contains every word of the
// search, ignoring case.
function matches(label, query) {
  var l = label.toLowerCase();
  return query.toLowerCase().split(/\s+/).every(function (w) { return w === "" || l.indexOf(w) >= 0; });
}

// enhance replaces a multiple select by chips of the chosen options, a
// search box and a list of the options that match it.
function enhance(select) {
  var box = el("div", "multiselect");
  var chips = el("div", "ms-chips");
  var search = el("input", "ms-search");
  search.type = "search";
  search.placeholder = "Search groups…";
  search.autocomplete = "off";
  search.setAttribute("aria-label", (select.getAttribute("aria-label") || "Options") + ": search");
  var list = el("ul", "ms-list");
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-multiselectable", "true");
  list.hidden = true;
  box.append(chips, search, list);
  select.hidden = true;
  select.setAttribute("aria-hidden", "true");
  select.parentNode.insertBefore(box, select.nextSibling);

  function toggle(opt) {
    opt.selected = !opt.selected;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    draw();
  }

  function draw() {
    chips.replaceChildren();
    Array.prototype.forEach.call(select.options, function (opt) {
      if (!opt.selected) return;
      var chip = el("span", "ms-chip", opt.textContent);
      var x = el("button", "ms-remove", "\u00d7");
      x.type = "button";
      x.setAttribute("aria-label", "Remove " + opt.textContent);
      x.addEventListener("click", function () { toggle(opt); });
      chip.appendChild(x);
      chips.appendChild(chip);
    });
    list.replaceChildren();
    var q = search.value.trim();
    var shown = 0;
    Array.prototype.forEach.call(select.options, function (opt) {
      if (!matches(opt.textContent, q)) return;
      var li = el("li", "ms-option" + (opt.selected ? " selected" : ""), opt.textContent);
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", opt.selected ? "true" : "false");
      li.dataset.value = opt.value;
      // mousedown, not click: the search box keeps focus, so the list
      // stays open for the next choice.
      li.addEventListener("mousedown", function (e) { e.preventDefault(); toggle(opt); });
      list.appendChild(li);
      shown++;
    });
    if (shown === 0) list.appendChild(el("li", "ms-empty muted", "No group matches \u201c" + q + "\u201d"));
  }

  search.addEventListener("focus", function () { list.hidden = false; draw(); });
  search.addEventListener("blur", function () { list.hidden = true; });
  search.addEventListener("input", function () { list.hidden = false; draw(); });
  // Enter never submits the form from the search box (keypress is where
  // some input paths start the form's implicit submission).
  search.addEventListener("keypress", function (e) { if (e.key === "Enter") e.preventDefault(); });
  search.addEventListener("keydown", function (e) {
    if (e.key === "Enter") {
      // Enter picks the first match instead of submitting the form.
      e.preventDefault();
      var first = list.querySelector(".ms-option:not(.selected)");
      if (first) {
        var opt = Array.prototype.find.call(select.options, function (o) { return o.value === first.dataset.value; });
        if (opt) toggle(opt);
        search.value = "";
        draw();
      }
    } else if (e.key === "Escape") {
      search.value = "";
      list.hidden = true;
    }
  });
  draw();
}

export function init() {
  initCopy();
  document.querySelectorAll("select[multiple][data-multiselect]").forEach(enhance);
}

onReady(init);
