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
// add markup or script. The Markdown is read before the filters' values
// go in, so a value (which anyone can put in a page's address) is only
// ever text: it cannot add a link, a heading, a list or emphasis.

// HOLE marks where a {{slug}} was while the Markdown is read: private-use
// characters that no Markdown rule reads, around the slot's number.
const HOLE = /\uE000(\d+)\uE001/g;

// valueText is a filter's current value as a text card shows it: several
// values joined by commas, dates in words, "" when it has none.
function valueText(p, values) {
  const vals = values[p.id] || [];
  return vals.map((v) => (String(p.type || "").indexOf("date") === 0 ? dateLabel(v) : v)).join(", ");
}

// holes replaces each {{slug}} naming one of the dashboard's filters by a
// numbered mark and returns the text with the values in mark order; a
// {{name}} that names no filter stays as typed.
function holes(text, params, values) {
  const slots = [];
  const marked = String(text || "").replace(/\{\{\s*([^}]+?)\s*\}\}/g, (all, name) => {
    const p = (params || []).find((x) => x.slug === name || x.id === name);
    if (!p) return all;
    slots.push(valueText(p, values));
    return "\uE000" + (slots.length - 1) + "\uE001";
  });
  return { marked, slots };
}

// inline reads a line's text into nodes: strings, and {tag, kids} for
// emphasis, code and links ({tag: "a", href, kids}). fill puts the values
// back into text; fillURL into an address, each value URL-encoded.
function inline(text, fill, fillURL) {
  const re = /(\*\*([^*]+)\*\*|\*([^*]+)\*|_([^_]+)_|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\))/;
  const out = [];
  let rest = text;
  let m;
  while ((m = re.exec(rest))) {
    if (m.index) out.push(fill(rest.slice(0, m.index)));
    if (m[2] !== undefined) out.push({ tag: "strong", kids: inline(m[2], fill, fillURL) });
    else if (m[3] !== undefined || m[4] !== undefined) out.push({ tag: "em", kids: inline(m[3] !== undefined ? m[3] : m[4], fill, fillURL) });
    else if (m[5] !== undefined) out.push({ tag: "code", kids: [fill(m[5])] });
    else {
      const url = safeURL(fillURL(m[7]));
      // A link to anything else stays as it was written.
      out.push(url ? { tag: "a", href: url, kids: inline(m[6], fill, fillURL) } : fill(m[0]));
    }
    rest = rest.slice(m.index + m[0].length);
  }
  if (rest) out.push(fill(rest));
  return out;
}

// parseMarkdown reads a text card's Markdown, with the filters' current
// values in its {{slug}} places, into blocks: {tag: "h3" | "h4" | "h5" |
// "p" | "ul", kids}, list items {tag: "li", kids} and line breaks {tag:
// "br"} inside paragraphs. It touches no DOM.
export function parseMarkdown(text, params, values) {
  const { marked, slots } = holes(text, params, values || {});
  // Marks the author typed (no slot of that number) stay as typed.
  const fill = (s) => s.replace(HOLE, (all, i) => (i < slots.length ? slots[i] : all));
  const fillURL = (s) => s.replace(HOLE, (all, i) => (i < slots.length ? encodeURIComponent(slots[i]) : all));
  const blocks = [];
  let list = null;
  let para = null;
  for (const line of marked.split(/\r?\n/)) {
    const h = /^(#{1,3})\s+(.*)$/.exec(line);
    const li = /^\s*[-*]\s+(.*)$/.exec(line);
    // A line that is empty once filled ends a paragraph or list.
    if (!fill(line).trim()) { list = para = null; continue; }
    if (h) {
      list = para = null;
      blocks.push({ tag: "h" + (h[1].length + 2), kids: inline(h[2], fill, fillURL) });
    } else if (li) {
      para = null;
      if (!list) blocks.push(list = { tag: "ul", kids: [] });
      list.kids.push({ tag: "li", kids: inline(li[1], fill, fillURL) });
    } else {
      list = null;
      if (para) para.kids.push({ tag: "br" }); else blocks.push(para = { tag: "p", kids: [] });
      para.kids.push(...inline(line, fill, fillURL));
    }
  }
  return blocks;
}

// build appends parsed Markdown nodes to node; links leaving this site
// open in a new tab.
function build(node, kids) {
  for (const k of kids) {
    if (typeof k === "string") { node.appendChild(document.createTextNode(k)); continue; }
    const e = el(k.tag);
    if (k.href) {
      e.href = k.href;
      if (k.href[0] !== "/") { e.target = "_blank"; e.rel = "noopener noreferrer"; }
    }
    build(e, k.kids || []);
    node.appendChild(e);
  }
}

// markdown renders a text card's Markdown into node, with the filters'
// current values in its {{slug}} places.
export function markdown(node, text, params, values) {
  node.replaceChildren();
  build(node, parseMarkdown(text, params, values));
}
