// Table formatting without a page: colours, the conditional formatting
// rules of a table card and the mini bar charts in its cells. Pure
// functions, checked by node's own test runner (internal/web/jstest).

// ---- table formatting ----

// hexColor returns c as a lower-case "#rrggbb" (or "#rrggbbaa") colour
// when it is a hex colour of 3, 4, 6 or 8 digits, else null: only such
// colours reach a style, so a setting cannot inject other CSS.
export function hexColor(c) {
  if (typeof c !== "string") return null;
  const m = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(c.trim());
  if (!m) return null;
  let h = m[1].toLowerCase();
  if (h.length <= 4) h = h.split("").map((d) => d + d).join("");
  return "#" + h;
}

function channels(hex) {
  const out = [];
  for (let i = 1; i < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  if (out.length === 3) out.push(255);
  return out;
}

// mixColors is the colour a fraction t (0..1) of the way along the hex
// colours stops, evenly spaced; alpha is kept when a stop has one.
export function mixColors(stops, t) {
  const cs = stops.map(hexColor).filter(Boolean);
  if (!cs.length) return null;
  if (cs.length === 1) return cs[0];
  const x = Math.max(0, Math.min(1, isFinite(t) ? t : 0)) * (cs.length - 1);
  const i = Math.min(cs.length - 2, Math.floor(x));
  const f = x - i;
  const a = channels(cs[i]);
  const b = channels(cs[i + 1]);
  const mixed = a.map((v, k) => Math.round(v + (b[k] - v) * f));
  const hex = (n) => (n < 16 ? "0" : "") + n.toString(16);
  const alpha = cs[i].length === 9 || cs[i + 1].length === 9;
  return "#" + mixed.slice(0, 3).map(hex).join("") + (alpha ? hex(mixed[3]) : "");
}

// FORMATTING_OPERATORS are the comparisons of a "single" rule of
// table.column_formatting, as the vendor names them.
export const FORMATTING_OPERATORS = ["=", "!=", "<", ">", "<=", ">=", "is-null", "not-null",
  "contains", "does-not-contain", "starts-with", "ends-with"];

function isBlank(v) { return v === null || v === undefined || v === ""; }

// ruleMatches says whether value meets a "single" rule's operator and
// value. Order comparisons need both sides to be numbers (or numeric
// text); = and != compare numbers as numbers and anything else as text;

// the text operators are case-sensitive and never match a null.
export function ruleMatches(rule, value) {
  const op = rule && rule.operator;
  const want = rule ? rule.value : undefined;
  switch (op) {
    case "is-null": return isBlank(value);
    case "not-null": return !isBlank(value);
    case "=": case "!=": {
      if (value === null || value === undefined) return op === "!=" && !isBlank(want);
      const a = toFinite(value);
      const b = toFinite(want);
      const same = a !== null && b !== null ? a === b : String(value) === String(want);
      return op === "=" ? same : !same;
    }
    case "<": case ">": case "<=": case ">=": {
      const a = toFinite(value);
      const b = toFinite(want);
      if (a === null || b === null) return false;
      return op === "<" ? a < b : op === ">" ? a > b : op === "<=" ? a <= b : a >= b;
    }
    case "contains": case "does-not-contain": case "starts-with": case "ends-with": {
      if (isBlank(value) || want === null || want === undefined || want === "") return false;
      const s = String(value);
      const w = String(want);
      if (op === "contains") return s.indexOf(w) >= 0;
      if (op === "does-not-contain") return s.indexOf(w) < 0;
      if (op === "starts-with") return s.startsWith(w);
      return s.endsWith(w);
    }
    default: return false;
  }
}

function toFinite(v) {
  if (typeof v === "number") return isFinite(v) ? v : null;
  if (typeof v === "string" && v.trim() !== "" && isFinite(Number(v))) return Number(v);
  return null;
}

// validRules keeps the well-formed rules of a table.column_formatting
// list: a "single" rule with a known operator and a hex colour, or a
// "range" rule with at least two hex colours; both need column names.
export function validRules(rules) {
  if (!Array.isArray(rules)) return [];
  return rules.filter((r) => r && typeof r === "object" && Array.isArray(r.columns) && r.columns.length &&
    ((r.type === "single" && FORMATTING_OPERATORS.indexOf(r.operator) >= 0 && hexColor(r.color)) ||
     (r.type === "range" && Array.isArray(r.colors) && r.colors.filter(hexColor).length >= 2)));
}

// tableFormatting reads the vendor's table.column_formatting for a
// result and returns {cellColor(row, col), rowColor(row)}, row an index
// into rows and col an index into cols, each a hex colour or null.
// Earlier rules win. A "single" rule colours the cells of its columns
// whose value matches, or with highlight_row the whole row (a cell's own
// colour still shows over its row's). A "range" rule shades its columns'
// numbers from colors[0] at the low end to the last colour at the high
// end; min_type/max_type null take the column's own extreme, "all" the
// extreme over all the rule's columns, "custom" min_value/max_value.
export function tableFormatting(rules, cols, rows) {
  const list = validRules(rules);
  const index = {};
  (cols || []).forEach((c, i) => { if (c && !(c.name in index)) index[c.name] = i; });
  const prepared = list.map((r) => {
    const at = r.columns.map((n) => index[n]).filter((i) => i !== undefined);
    const p = { rule: r, at: at };
    if (r.type === "range") {
      const ext = {};
      let allLo = Infinity;
      let allHi = -Infinity;
      for (const ci of at) {
        let lo = Infinity;
        let hi = -Infinity;
        for (const row of rows || []) {
          const n = toFinite(row[ci]);
          if (n === null) continue;
          if (n < lo) lo = n;
          if (n > hi) hi = n;
        }
        ext[ci] = [lo, hi];
        allLo = Math.min(allLo, lo);
        allHi = Math.max(allHi, hi);
      }
      p.bounds = (ci) => {
        const minV = toFinite(r.min_value);
        const maxV = toFinite(r.max_value);
        const lo = r.min_type === "custom" && minV !== null ? minV : r.min_type === "all" ? allLo : ext[ci][0];
        const hi = r.max_type === "custom" && maxV !== null ? maxV : r.max_type === "all" ? allHi : ext[ci][1];
        return [lo, hi];
      };
    }
    return p;
  });
  const rowColors = new Map();
  function rowColor(ri) {
    if (rowColors.has(ri)) return rowColors.get(ri);
    let color = null;
    for (const p of prepared) {
      if (p.rule.type !== "single" || !p.rule.highlight_row) continue;
      if (p.at.some((ci) => ruleMatches(p.rule, rows[ri][ci]))) { color = hexColor(p.rule.color); break; }
    }
    rowColors.set(ri, color);
    return color;
  }
  function cellColor(ri, ci) {
    for (const p of prepared) {
      if (p.at.indexOf(ci) < 0) continue;
      const v = rows[ri][ci];
      if (p.rule.type === "single") {
        if (!p.rule.highlight_row && ruleMatches(p.rule, v)) return hexColor(p.rule.color);
        continue;
      }
      const n = toFinite(v);
      if (n === null) continue;
      const [lo, hi] = p.bounds(ci);
      if (!isFinite(lo) || !isFinite(hi)) continue;
      const t = hi > lo ? (n - lo) / (hi - lo) : 1;
      return mixColors(p.rule.colors, t);
    }
    return null;
  }
  return { cellColor: cellColor, rowColor: rowColor };
}

// miniBarExtent is the span a column's mini bars are drawn against: the
// smallest and largest finite number in values, with zero always inside.
export function miniBarExtent(values) {
  let lo = 0;
  let hi = 0;
  for (const v of values || []) {
    const n = toFinite(v);
    if (n === null) continue;
    if (n < lo) lo = n;
    if (n > hi) hi = n;
  }
  return { min: lo, max: hi };
}

// miniBar places value's bar in extent as fractions of the cell's width:
// {start, width, zero, negative}, the bar running from zero (the axis's
// position) towards the value. A value that is not a number gets null.
export function miniBar(value, extent) {
  const n = toFinite(value);
  if (n === null || !extent) return null;
  const span = extent.max - extent.min;
  if (!(span > 0)) return { start: 0, width: 0, zero: 0, negative: false };
  const zero = extent.min < 0 ? -extent.min / span : 0;
  const pos = (Math.max(extent.min, Math.min(extent.max, n)) - extent.min) / span;
  return { start: Math.min(zero, pos), width: Math.abs(pos - zero), zero: zero, negative: n < 0 };
}
