// Sightline's chart logic without a page: axis ticks, default axes, the
// vendor's column formatting keys and histogram bins. Pure functions of
// their arguments (no DOM, no ECharts), so node's own test runner checks
// them (internal/web/jstest); viz.js draws with them.
//
// In a page this script defines window.SightlineChartLogic; under node it
// is a CommonJS module.
(function (root, factory) {
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.SightlineChartLogic = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  const NUMERIC = ["type/Integer", "type/BigInteger", "type/Float", "type/Decimal"];
  const INTEGER = ["type/Integer", "type/BigInteger"];
  const TEMPORAL = ["type/Date", "type/DateTime", "type/DateTimeWithTZ"];

  function isNumericType(col) { return !!col && NUMERIC.indexOf(col.base_type) >= 0; }
  function isIntegerType(col) { return !!col && INTEGER.indexOf(col.base_type) >= 0; }
  function isTemporalType(col) { return !!col && TEMPORAL.indexOf(col.base_type) >= 0; }
  function isIDType(col) { return !!col && (col.semantic_type === "type/PK" || col.semantic_type === "type/FK"); }

  // ---- ticks ----

  // niceStep is the smallest step of 1, 2, 2.5 or 5 times a power of ten
  // that splits span into at most maxTicks intervals; with integer set it
  // is a whole number of at least 1, so no tick falls between two counts.
  function niceStep(span, maxTicks, integer) {
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
  function niceTicks(lo, hi, opts) {
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
  function valueAxis(values, opts) {
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
  function defaultAxes(cols) {
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
  function columnKey(name) { return JSON.stringify(["name", name]); }

  // columnSettings finds a column's entry in column_settings: keyed the
  // vendor's way (["name", "COL"], or ["ref", ["field", id, ...]] for a
  // field), or by the bare column name.
  function columnSettings(columnSettingsMap, col) {
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
  function numberFormat(opts) {
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
  function formatNumber(n, col, fmt, extra) {
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
  const DATE_STYLES = ["MMMM D, YYYY", "D MMMM, YYYY", "dddd, MMMM D, YYYY", "M/D/YYYY", "D/M/YYYY", "YYYY/M/D"];
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

  // formatDay writes a calendar day {y, mo, d} in a date_style pattern, or
  // returns null for a pattern it does not know.
  function formatDay(p, dateStyle, separator) {
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
  function histogramBins(values, count) {
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
  function categoryGap(categories, anyBar) {
    return !!anyBar || categories <= 1;
  }

  // trendline fits y = a + b x by least squares over the points with a
  // value (x is the index) and returns the fitted value at each index, or
  // null when fewer than two points have values.
  function trendline(values) {
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
  function normalizeStacks(seriesData) {
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
  function waterfallSteps(values, withTotal) {
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

  // ---- table formatting ----

  // hexColor returns c as a lower-case "#rrggbb" (or "#rrggbbaa") colour
  // when it is a hex colour of 3, 4, 6 or 8 digits, else null: only such
  // colours reach a style, so a setting cannot inject other CSS.
  function hexColor(c) {
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
  function mixColors(stops, t) {
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
  const FORMATTING_OPERATORS = ["=", "!=", "<", ">", "<=", ">=", "is-null", "not-null",
    "contains", "does-not-contain", "starts-with", "ends-with"];

  function isBlank(v) { return v === null || v === undefined || v === ""; }

  // ruleMatches says whether value meets a "single" rule's operator and
  // value. Order comparisons need both sides to be numbers (or numeric
  // text); = and != compare numbers as numbers and anything else as text;
  // the text operators are case-sensitive and never match a null.
  function ruleMatches(rule, value) {
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
  function validRules(rules) {
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
  function tableFormatting(rules, cols, rows) {
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
  function miniBarExtent(values) {
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
  function miniBar(value, extent) {
    const n = toFinite(value);
    if (n === null || !extent) return null;
    const span = extent.max - extent.min;
    if (!(span > 0)) return { start: 0, width: 0, zero: 0, negative: false };
    const zero = extent.min < 0 ? -extent.min / span : 0;
    const pos = (Math.max(extent.min, Math.min(extent.max, n)) - extent.min) / span;
    return { start: Math.min(zero, pos), width: Math.abs(pos - zero), zero: zero, negative: n < 0 };
  }

  return Object.freeze({
    niceStep: niceStep,
    niceTicks: niceTicks,
    valueAxis: valueAxis,
    defaultAxes: defaultAxes,
    columnKey: columnKey,
    columnSettings: columnSettings,
    numberFormat: numberFormat,
    formatNumber: formatNumber,
    formatDay: formatDay,
    DATE_STYLES: DATE_STYLES,
    histogramBins: histogramBins,
    categoryGap: categoryGap,
    trendline: trendline,
    normalizeStacks: normalizeStacks,
    waterfallSteps: waterfallSteps,
    hexColor: hexColor,
    mixColors: mixColors,
    FORMATTING_OPERATORS: FORMATTING_OPERATORS,
    ruleMatches: ruleMatches,
    validRules: validRules,
    tableFormatting: tableFormatting,
    miniBarExtent: miniBarExtent,
    miniBar: miniBar,
  });
});
