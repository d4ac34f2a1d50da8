// Sightline's formula input: a text box for the expression language
// (parser.js) that suggests functions and columns as
// the person types and marks the part of the formula an error is about.
//
//   const f = create({columns, mode, value, placeholder});

//   form.append(f.element);
//   f.read()  // the MBQL clause, or throws an Error whose message says what and where

import * as X from "./parser.js";

export function create(opts) {
  const columns = opts.columns || [];
  const mode = opts.mode || "expression";
  const wrap = document.createElement("div");
  wrap.className = "nb-formula";
  const input = document.createElement("input");
  input.className = "nb-expr";
  input.setAttribute("aria-label", opts.label || "Expression");
  input.setAttribute("autocomplete", "off");
  input.setAttribute("spellcheck", "false");
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.placeholder = opts.placeholder || "";
  input.value = opts.value || "";
  const list = document.createElement("ul");
  list.className = "nb-suggest";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  const help = document.createElement("div");
  help.className = "muted small nb-formula-help";
  wrap.append(input, list, help);

  let items = [];
  let span = null;
  let active = 0;

  function hide() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    items = [];
  }

  function show() {
    const r = X.complete(input.value, input.selectionStart || 0, columns, { mode });
    items = r.items.slice(0, 8);
    span = r;
    active = 0;
    list.replaceChildren();
    if (!items.length) { hide(); return; }
    items.forEach((it, k) => {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.className = "nb-suggest-item" + (k === active ? " active" : "");
      li.dataset.kind = it.kind;
      const name = document.createElement("span");
      name.textContent = it.label;
      li.append(name);
      if (it.help) {
        const h = document.createElement("span");
        h.className = "muted small";
        h.textContent = " " + it.help;
        li.append(h);
      }
      // mousedown, not click: the input keeps its focus.
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); accept(k); });
      list.append(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function mark() {
    list.querySelectorAll(".nb-suggest-item").forEach((li, k) => li.classList.toggle("active", k === active));
  }

  function accept(k) {
    const it = items[k];
    if (!it) return;
    const v = input.value;
    input.value = v.slice(0, span.start) + it.insert + v.slice(span.end);
    const caret = span.start + it.insert.length;
    input.setSelectionRange(caret, caret);
    help.textContent = it.help || "";
    hide();
    input.focus();
  }

  input.addEventListener("input", show);
  input.addEventListener("blur", hide);
  input.addEventListener("keydown", (ev) => {
    if (list.hidden || !items.length) return;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      active = (active + (ev.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      mark();
    } else if (ev.key === "Enter" || ev.key === "Tab") {
      ev.preventDefault();
      accept(active);
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      hide();
    }
  });

  return {
    element: wrap,
    input,
    // read parses the formula; on an error it selects the part of the
    // text the error is about and throws it with that message.
    read() {
      try {
        return X.parse(input.value, columns, { mode });
      } catch (e) {
        if (e instanceof X.ExprError) {
          input.focus();
          input.setSelectionRange(e.start, Math.max(e.end, e.start));
        }
        throw e;
      }
    },
  };
}
