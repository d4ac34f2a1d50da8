// Sightline's chart logic without a page: axis ticks, default axes, the
// vendor's column formatting keys and histogram bins. Pure functions of
// their arguments (no DOM, no ECharts), so node's own test runner checks
// them (internal/web/jstest); the renderers in this folder draw with them.

import { NUMERIC, INTEGER, TEMPORAL } from "../shared/types.js";
import { MONTHS, DAYS } from "../shared/calendar.js";

function isNumericType(col) { return !!col && NUMERIC.indexOf(col.base_type) >= 0; }
function isIntegerType(col) { return !!col && INTEGER.indexOf(col.base_type) >= 0; }
function isTemporalType(col) { return !!col && TEMPORAL.indexOf(col.base_type) >= 0; }
function isIDType(col) { return !!col && (col.semantic_type === "type/PK" || col.semantic_type === "type/FK"); }

// ---- ticks ----

// niceStep is the smallest step of 1, 2, 2.5 or 5 times a power of ten
// that splits span into at most maxTicks intervals; with integer set it
// is a whole number of at least 1, so no tick falls between two counts.
export function niceStep(span, maxTicks, integer) {
  const n = Math.max(1, maxTicks || 5);
  if (!(span > 0) || !isFinite(span)) return 1;
  const raw = span / n;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = 10 * p;
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * p >= raw - 1e-12 * raw) { step = m * p; break; }
  }
  if (integer) {
    step = Math.max(1, Math.ceil(step));
    // 2.5 is not a whole step; the next nice whole one is 5.
    if (step === 3) step = 5;
  }
  return step;
}

// decimalsOf is how many decimals step needs to be written exactly.
function decimalsOf(step) {
  if (step >= 1 && Math.round(step) === step) return 0;
  const s = String(step);
  const e = s.indexOf("e-");
  if (e >= 0) return parseInt(s.slice(e + 2), 10) + (s.split("e")[0].split(".")[1] || "").length;
  return (s.split(".")[1] || "").length;
}

// niceTicks spans the values from lo to hi with round ticks: at most
// maxTicks intervals (default 5), whole numbers only when integer is
// set, zero included when every value is on one side of it
// (includeZero, the default). A single value gets a range around it.
// It returns {min, max, interval, ticks}, every tick distinct.
export function niceTicks(lo, hi, opts) {
  opts = opts || {};
  const integer = !!opts.integer;
  let a = Number(lo);
  let b = Number(hi);
  if (!isFinite(a) || !isFinite(b)) { a = 0; b = 1; }
  if (a > b) { const t = a; a = b; b = t; }
  if (opts.includeZero !== false) {
    if (a > 0) a = 0;
    if (b < 0) b = 0;
  }
  if (a === b) {
    if (a === 0) b = 1;
    else if (a > 0) { b = a; a = 0; }
    else { a = b; b = 0; }
    if (a === b) b = a + 1;
  }
  const step = niceStep(b - a, opts.maxTicks || 5, integer);
  const d = decimalsOf(step);
  const round = (v) => Number(v.toFixed(d));
  const min = round(Math.floor(a / step + 1e-9) * step);
  const max = round(Math.ceil(b / step - 1e-9) * step);
  const ticks = [];
  for (let i = 0, v = min; v <= max + step / 2 && i < 1000; i++, v = round(min + i * step)) ticks.push(v);
  return { min: min, max: max, interval: step, ticks: ticks };
}

// valueAxis decides a value axis's range for values (nulls ignored):
// graph.y_axis.auto_range false with graph.y_axis.min / max fixes the
// ends; a log scale leaves ticks to the chart (powers of ten); otherwise
// niceTicks, whole-numbered when integer is set. It returns the ECharts
// axis fields {min, max, interval} to set, or {} to leave them.
export function valueAxis(values, opts) {
  opts = opts || {};
  const nums = values.filter((v) => typeof v === "number" && isFinite(v));
  const fixedMin = opts.autoRange === false && typeof opts.min === "number" && isFinite(opts.min) ? opts.min : null;
  const fixedMax = opts.autoRange === false && typeof opts.max === "number" && isFinite(opts.max) ? opts.max : null;
  if (opts.scale === "log") {
    const out = {};
    if (fixedMin !== null && fixedMin > 0) out.min = fixedMin;
    if (fixedMax !== null && fixedMax > 0) out.max = fixedMax;
    return out;
  }
  if (!nums.length && fixedMin === null && fixedMax === null) return {};
  let lo = nums.length ? Math.min.apply(null, nums) : 0;
  let hi = nums.length ? Math.max.apply(null, nums) : 1;
  if (fixedMin !== null) lo = fixedMin;
  if (fixedMax !== null) hi = fixedMax;
  if (opts.normalized) { lo = 0; hi = 1; }
  const t = niceTicks(lo, hi, { integer: !!opts.integer && !opts.normalized, maxTicks: opts.maxTicks, includeZero: opts.includeZero });
  return {
    min: fixedMin !== null ? fixedMin : t.min,
    max: fixedMax !== null ? fixedMax : t.max,
    interval: fixedMin !== null || fixedMax !== null ? undefined : t.interval,
    ticks: t.ticks,
  };
}

// ---- default axes ----

// defaultAxes picks the columns a chart draws when graph.dimensions and
// graph.metrics do not say: the query's breakouts and aggregations, or,
// for raw rows and SQL results, the first date column (else the first
// text column) as x and the remaining amounts (numbers that are not ids)
// as metrics. It returns column names.
export function defaultAxes(cols) {
  cols = cols || [];
  let dims = cols.filter((c) => c.source === "breakout");
  if (!dims.length) {
    const d = cols.find((c) => isTemporalType(c) && !isIDType(c))
      || cols.find((c) => !isNumericType(c) && !isIDType(c))
      || cols.find((c) => !isIDType(c));
    if (d) dims = [d];
  }
  let metrics = cols.filter((c) => c.source === "aggregation");
  if (!metrics.length) metrics = cols.filter((c) => isNumericType(c) && !isIDType(c) && dims.indexOf(c) < 0);
  return { dimensions: dims.map((c) => c.name), metrics: metrics.map((c) => c.name) };
}

// ---- column formatting ----

// columnKey is the vendor's column_settings key for a column by name:
// the JSON text of ["name", name].
export function columnKey(name) { return JSON.stringify(["name", name]); }

// columnSettings finds a column's entry in column_settings: keyed the
// vendor's way (["name", "COL"], or ["ref", ["field", id, ...]] for a
// field), or by the bare column name.
export function columnSettings(columnSettingsMap, col) {
  if (!columnSettingsMap || typeof columnSettingsMap !== "object" || !col) return null;
  const byName = columnSettingsMap[columnKey(col.name)];
  if (byName && typeof byName === "object") return byName;
  if (col.field_id !== undefined && col.field_id !== null) {
    for (const k of Object.keys(columnSettingsMap)) {
      if (k.charAt(0) !== "[") continue;
      let parsed;
      try { parsed = JSON.parse(k); } catch (e) { continue; }
      if (Array.isArray(parsed) && parsed[0] === "ref" && Array.isArray(parsed[1]) && parsed[1][0] === "field" && parsed[1][1] === col.field_id) {
        return columnSettingsMap[k];
      }
    }
  }
  const bare = columnSettingsMap[col.name];
  return bare && typeof bare === "object" ? bare : null;
}

// numberFormat reads the vendor's number formatting keys (number_style
// decimal/percent/scientific/currency, decimals, prefix, suffix, scale,
// currency, currency_style, number_separators) from opts, where a
// "number.*" version of the older keys also counts, into one object:
// {style, decimals, prefix, suffix, scale, currency, currencyStyle,
// decimalSep, groupSep}. Absent keys are undefined.
export function numberFormat(opts) {
  opts = opts || {};
  const pick = (...keys) => {
    for (const k of keys) {
      const v = opts[k];
      if (v !== undefined && v !== null && v !== "") return v;
    }
    return undefined;
  };
  const out = {};
  out.style = pick("number_style", "style", "number.style");
  if (out.style === "currency" && !pick("currency", "number.currency")) out.currency = "USD";
  const dec = pick("decimals", "number.decimals");
  out.decimals = dec !== undefined && !isNaN(+dec) ? Math.max(0, Math.min(20, Math.round(+dec))) : undefined;
  out.prefix = pick("prefix", "number.prefix");
  out.suffix = pick("suffix", "number.suffix");
  const sc = pick("scale", "number.scale");
  out.scale = sc !== undefined && isFinite(+sc) && +sc !== 0 ? +sc : undefined;
  if (out.currency === undefined) out.currency = pick("currency", "number.currency");
  out.currencyStyle = pick("currency_style") || "symbol";
  const seps = pick("number_separators");
  if (typeof seps === "string" && seps.length >= 1) {
    out.decimalSep = seps.charAt(0);
    out.groupSep = seps.length > 1 ? seps.charAt(1) : "";
  }
  return out;
}

// formatNumber writes n as fmt (see numberFormat) says, for a column col
// (whose integer type hides decimals unless fmt asks for them); compact
// abbreviates thousands (1.2K) for axis labels. currencyColumn says the
// column holds money, which brings two decimals and a currency symbol
// when a currency is set.
export function formatNumber(n, col, fmt, extra) {
  fmt = fmt || {};
  extra = extra || {};
  let value = n;
  if (fmt.scale !== undefined) value *= fmt.scale;
  const style = fmt.style;
  if (style === "percent") value *= 100;
  const nf = { useGrouping: true };
  const money = style === "currency" || (extra.currencyColumn && fmt.currency && style !== "decimal" && style !== "percent");
  if (fmt.decimals !== undefined) {
    nf.minimumFractionDigits = nf.maximumFractionDigits = fmt.decimals;
  } else if (money || extra.currencyColumn) {
    nf.minimumFractionDigits = nf.maximumFractionDigits = 2;
  } else if (isIntegerType(col) && style !== "percent" && fmt.scale === undefined) {
    nf.maximumFractionDigits = 0;
  } else {
    nf.maximumFractionDigits = Math.abs(value) >= 1 || value === 0 ? 2 : 4;
  }
  if (style === "scientific") {
    nf.notation = "scientific";
    if (fmt.decimals === undefined) { nf.minimumFractionDigits = 0; nf.maximumFractionDigits = 2; }
  } else if (extra.compact) {
    nf.minimumFractionDigits = 0;
    if (Math.abs(value) >= 1000) {
      nf.notation = "compact";
      nf.maximumFractionDigits = 1;
    }
  }
  if (money && fmt.currency) {
    nf.style = "currency";
    nf.currency = fmt.currency;
    nf.currencyDisplay = fmt.currencyStyle === "code" ? "code" : fmt.currencyStyle === "name" ? "name" : "symbol";
  }
  let text;
  try {
    text = new Intl.NumberFormat(extra.locale || "en-US", nf).format(value);
  } catch (e) {
    delete nf.currency;
    delete nf.style;
    text = new Intl.NumberFormat("en-US", nf).format(value);
  }
  if (fmt.decimalSep !== undefined) {
    // en-US writes "," between groups and "." before decimals.
    text = text.replace(/[,.]/g, (c) => (c === "," ? fmt.groupSep : fmt.decimalSep));
  }
  if (style === "percent") text += "%";
  return (fmt.prefix || "") + text + (fmt.suffix || "");
}

// DATE_STYLES are the vendor's date_style patterns this module writes.
export const DATE_STYLES = ["MMMM D, YYYY", "D MMMM, YYYY", "dddd, MMMM D, YYYY", "M/D/YYYY", "D/M/YYYY", "YYYY/M/D"];

// formatDay writes a calendar day {y, mo, d} in a date_style pattern, or
// returns null for a pattern it does not know.
export function formatDay(p, dateStyle, separator) {
  const sep = separator || "/";
  switch (dateStyle) {
    case "MMMM D, YYYY": return MONTHS[p.mo - 1] + " " + p.d + ", " + p.y;
    case "D MMMM, YYYY": return p.d + " " + MONTHS[p.mo - 1] + ", " + p.y;
    case "dddd, MMMM D, YYYY": {
      const wd = new Date(Date.UTC(p.y, p.mo - 1, p.d)).getUTCDay();
      return DAYS[wd] + ", " + MONTHS[p.mo - 1] + " " + p.d + ", " + p.y;
    }
    case "M/D/YYYY": return [p.mo, p.d, p.y].join(sep);
    case "D/M/YYYY": return [p.d, p.mo, p.y].join(sep);
    case "YYYY/M/D": return [p.y, p.mo, p.d].join(sep);
  }
  return null;
}

// ---- histograms ----

// quantile is the q-th quantile (0..1) of sorted numbers, interpolated.
function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

// histogramBins counts values into about count bins of a round width
// spanning the bulk of the data (the 1st to 99th percentile, widened by
// the interquartile range), so that a few outliers do not squeeze
// everything else into one bar; values beyond gather in an open-ended
// first or last bin. Each bin is {from, to, count, open} where open is
// "below", "above" or "" and from/to are null on the open side.
export function histogramBins(values, count) {
  const nums = values.filter((v) => typeof v === "number" && isFinite(v)).sort((a, b) => a - b);
  if (!nums.length) return [];
  const want = Math.max(1, count || 10);
  const min = nums[0];
  const max = nums[nums.length - 1];
  const iqr = quantile(nums, 0.75) - quantile(nums, 0.25);
  let lo = Math.max(min, quantile(nums, 0.01) - 1.5 * iqr);
  let hi = Math.min(max, quantile(nums, 0.99) + 1.5 * iqr);
  if (lo === hi) { lo = min; hi = max; }
  if (lo === hi) return [{ from: lo, to: hi, count: nums.length, open: "" }];
  const step = niceStep(hi - lo, want, false);
  const start = Math.floor(lo / step + 1e-9) * step;
  const n = Math.max(1, Math.ceil((hi - start) / step - 1e-9));
  const d = decimalsOf(step);
  const r = (v) => Number(v.toFixed(d));
  const bins = [];
  for (let i = 0; i < n; i++) bins.push({ from: r(start + i * step), to: r(start + (i + 1) * step), count: 0, open: "" });
  const end = bins[bins.length - 1].to;
  let below = null;
  let above = null;
  for (const v of nums) {
    if (v < start) {
      below = below || { from: null, to: bins[0].from, count: 0, open: "below" };
      below.count++;
    } else if (v > end) {
      above = above || { from: end, to: null, count: 0, open: "above" };
      above.count++;
    } else {
      bins[Math.min(n - 1, Math.floor((v - start) / step + 1e-9))].count++;
    }
  }
  return (below ? [below] : []).concat(bins, above ? [above] : []);
}

// ---- small-data axes ----

// categoryGap says whether a category axis leaves half a slot at each
// end: always for bars, and for a line with a single point, so the
// point and its label sit inside the chart rather than on its edge.
export function categoryGap(categories, anyBar) {
  return !!anyBar || categories <= 1;
}

// trendline fits y = a + b x by least squares over the points with a
// value (x is the index) and returns the fitted value at each index, or
// null when fewer than two points have values.
export function trendline(values) {
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  values.forEach((v, i) => {
    if (typeof v !== "number" || !isFinite(v)) return;
    n++; sx += i; sy += v; sxx += i * i; sxy += i * v;
  });
  if (n < 2) return null;
  const den = n * sxx - sx * sx;
  if (den === 0) return null;
  const b = (n * sxy - sx * sy) / den;
  const a = (sy - b * sx) / n;
  return values.map((v, i) => Number((a + b * i).toPrecision(12)));
}

// normalize turns series values into shares of each category's total,
// for stackable.stack_type "normalized" (100% stacks).
export function normalizeStacks(seriesData) {
  if (!seriesData.length) return [];
  const len = seriesData[0].length;
  const totals = [];
  for (let i = 0; i < len; i++) {
    let t = 0;
    for (const s of seriesData) if (typeof s[i] === "number") t += Math.abs(s[i]);
    totals.push(t);
  }
  return seriesData.map((s) => s.map((v, i) => (typeof v === "number" && totals[i] ? v / totals[i] : v === null ? null : 0)));
}

// waterfallSteps turns the changes of a waterfall chart into floating
// bars: each step runs from the running total before it (start) to the
// one after (end); kind is "increase" or "decrease" (nulls count as 0).
// withTotal appends a "total" step from 0 to the final total.
export function waterfallSteps(values, withTotal) {
  const steps = [];
  let run = 0;
  for (const v of values) {
    const n = typeof v === "number" && isFinite(v) ? v : 0;
    const end = Number((run + n).toPrecision(15));
    steps.push({ start: run, end: end, value: n, kind: n < 0 ? "decrease" : "increase" });
    run = end;
  }
  if (withTotal) steps.push({ start: 0, end: run, value: run, kind: "total" });
  return steps;
}
