// Text and heading cards: a small Markdown subset with {{filter}}
// placeholders, drawn as elements (never as HTML).

import { safeURL } from "./clicks.js";
import { dateLabel } from "./filters.js";
import { el } from "../shared/dom.js";

// ---- text cards ----
// A text card is Markdown: # headings, - lists, **bold**, *italic*,
// `code` and [links](https://…) (http, https or this site only), with
// {{slug}} filled from the dashboard's filter of that slug. It is built
// as DOM nodes, never as HTML, so neither the text nor a filter value can
// add markup or script.

// fillText puts the filters' current values into {{slug}} places.
export function fillText(text, params, values) {
  return String(text || "").replace(/\{\{\s*([^}]+?)\s*\}\}/g, (all, name) => {
    const p = (params || []).find((x) => x.slug === name || x.id === name);
    if (!p) return all;
    const vals = values[p.id] || [];
    return vals.length ? vals.map((v) => (String(p.type || "").indexOf("date") === 0 ? dateLabel(v) : v)).join(", ") : "";
  });
}

// inline appends a line's text with its emphasis, code and links.
function inline(node, text) {
  const re = /(\*\*([^*]+)\*\*|\*([^*]+)\*|_([^_]+)_|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\))/;
  let rest = text;
  let m;
  while ((m = re.exec(rest))) {
    if (m.index) node.appendChild(document.createTextNode(rest.slice(0, m.index)));
    if (m[2] !== undefined) inline(node.appendChild(el("strong")), m[2]);
    else if (m[3] !== undefined || m[4] !== undefined) inline(node.appendChild(el("em")), m[3] !== undefined ? m[3] : m[4]);
    else if (m[5] !== undefined) node.appendChild(el("code", null, m[5]));
    else {
      const url = safeURL(m[7]);
      if (url) {
        const a = el("a");
        a.href = url;
        if (url[0] !== "/") { a.target = "_blank"; a.rel = "noopener noreferrer"; }
        inline(a, m[6]);
        node.appendChild(a);
      } else {
        // A link to anything else stays as it was written.
        node.appendChild(document.createTextNode(m[0]));
      }
    }
    rest = rest.slice(m.index + m[0].length);
  }
  if (rest) node.appendChild(document.createTextNode(rest));
}

// markdown renders a text card's Markdown into node.
export function markdown(node, text) {
  node.replaceChildren();
  let list = null;
  let para = null;
  for (const line of String(text || "").split(/\r?\n/)) {
    const h = /^(#{1,3})\s+(.*)$/.exec(line);
    const li = /^\s*[-*]\s+(.*)$/.exec(line);
    if (!line.trim()) { list = para = null; continue; }
    if (h) {
      list = para = null;
      inline(node.appendChild(el("h" + (h[1].length + 2))), h[2]);
    } else if (li) {
      para = null;
      if (!list) list = node.appendChild(el("ul"));
      inline(list.appendChild(el("li")), li[1]);
    } else {
      list = null;
      if (para) para.appendChild(el("br")); else para = node.appendChild(el("p"));
      inline(para, line);
    }
  }
}
