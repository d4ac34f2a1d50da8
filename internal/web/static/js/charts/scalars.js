// The number, trend and progress renderers.

import { dimOpts, dimensionsOf, dispatchDrill, findCol, metricOpts, pickColumns } from "./common.js";
import { el } from "../shared/dom.js";
import { format, isNumeric, title, toNumber } from "./format.js";

// ---- scalars ----

// scalarColumn is scalar.field, the first metric or the first number.
export function scalarColumn(cols, settings) {
  const named = settings["scalar.field"] && findCol(cols, settings["scalar.field"]);
  if (named) return named;
  const { metrics } = pickColumns(cols, settings);
  return metrics[0] || cols.find(isNumeric) || cols[0];
}

// fitText makes a scalar fit its box: first by shrinking the type down to
// 60% of its size, then by switching to compact notation (1.2M).
function fitText(box, valueEl, full, compact) {
  valueEl.style.fontSize = "";
  valueEl.textContent = full;
  const room = box.clientWidth - 16;
  const need = valueEl.scrollWidth;
  if (need <= room || room <= 0) return;
  const ratio = room / need;
  if (ratio >= 0.6 || compact === full) {
    valueEl.style.fontSize = parseFloat(window.getComputedStyle(valueEl).fontSize) * Math.max(ratio, 0.6) + "px";
    return;
  }
  valueEl.textContent = compact;
}

// renderNumber shows the first row's value of one column, big, with
// number.prefix, number.suffix and number.decimals; clicking it drills.
export function renderNumber(ctx) {
  const { node, cols, rows, settings } = ctx;
  const col = scalarColumn(cols, settings);
  const idx = cols.indexOf(col);
  const v = rows[0][idx];
  const box = el("div", "viz-scalar");
  const value = el("div", "viz-scalar-value");
  const label = el("div", "viz-scalar-label", settings["card.title"] || title(col));
  const full = format(v, col, metricOpts(settings));
  const compact = format(v, col, Object.assign(metricOpts(settings), { compact: true }));
  value.title = full;
  value.tabIndex = 0;
  value.addEventListener("click", (ev) => dispatchDrill(node, { column: col, value: v, row: rows[0], dimensions: dimensionsOf(cols, rows[0]) }, ev));
  box.append(value, label);
  node.appendChild(box);
  const fit = () => fitText(box, value, full, compact);
  fit();
  return { resize: fit };
}

// renderTrend shows the last row's value and its change from the row
// before, as an up or down percentage; trend.higher_is_better: false
// colours a fall as good.
export function renderTrend(ctx) {
  const { node, cols, rows, settings } = ctx;
  const { dims } = pickColumns(cols, settings);
  const col = scalarColumn(cols, settings);
  const dim = dims.find((d) => d !== col) || null;
  const mi = cols.indexOf(col);
  const last = rows[rows.length - 1];
  const prev = rows.length > 1 ? rows[rows.length - 2] : null;
  const mopts = metricOpts(settings);
  const box = el("div", "viz-scalar viz-trend");
  const value = el("div", "viz-scalar-value");
  const full = format(last[mi], col, mopts);
  const compact = format(last[mi], col, Object.assign({}, mopts, { compact: true }));
  value.title = full;
  const period = el("div", "viz-scalar-label", dim ? format(last[cols.indexOf(dim)], dim, dimOpts(settings)) : title(col));
  const change = el("div", "viz-trend-change");
  const now = toNumber(last[mi]);
  const before = prev ? toNumber(prev[mi]) : null;
  if (now === null || before === null) {
    change.textContent = prev ? "No comparison" : "No previous value";
    change.classList.add("viz-trend-flat");
  } else {
    const arrow = el("span", "viz-trend-pct");
    if (before === 0) {
      arrow.textContent = now === 0 ? "0%" : "N/A";
      change.classList.add("viz-trend-flat");
    } else {
      const pct = ((now - before) / Math.abs(before)) * 100;
      const dir = pct > 0 ? "up" : pct < 0 ? "down" : "flat";
      const good = settings["trend.higher_is_better"] === false ? dir === "down" : dir === "up";
      arrow.textContent = (dir === "up" ? "\u25b2 " : dir === "down" ? "\u25bc " : "") + format(Math.abs(pct), null, { decimals: Math.abs(pct) < 10 ? 1 : 0 }) + "%";
      change.classList.add("viz-trend-" + dir);
      if (dir !== "flat") change.classList.add(good ? "viz-good" : "viz-bad");
    }
    const vs = el("span", "viz-trend-vs", " vs. " + (dim ? format(prev[cols.indexOf(dim)], dim, dimOpts(settings)) : "previous") + ": " + format(prev[mi], col, mopts));
    change.append(arrow, vs);
  }
  value.addEventListener("click", (ev) => dispatchDrill(node, { column: col, value: last[mi], row: last, dimensions: dimensionsOf(cols, last) }, ev));
  box.append(value, period, change);
  node.appendChild(box);
  const fit = () => fitText(box, value, full, compact);
  fit();
  return { resize: fit };
}

// renderProgress shows a value against progress.goal as a bar.
export function renderProgress(ctx) {
  const { node, cols, rows, settings } = ctx;
  const col = scalarColumn(cols, settings);
  const v = rows[0][cols.indexOf(col)];
  const n = toNumber(v) || 0;
  const goal = toNumber(settings["progress.goal"]) || 0;
  const mopts = metricOpts(settings);
  const ratio = goal > 0 ? n / goal : n >= goal ? 1 : 0;
  const box = el("div", "viz-progress");
  const value = el("div", "viz-progress-value", format(v, col, mopts));
  const bar = el("div", "viz-progress-bar");
  const fill = el("div", "viz-progress-fill");
  fill.style.width = Math.max(0, Math.min(1, ratio)) * 100 + "%";
  if (settings["progress.color"]) fill.style.background = settings["progress.color"];
  bar.setAttribute("role", "progressbar");
  bar.setAttribute("aria-valuemin", "0");
  bar.setAttribute("aria-valuemax", String(goal));
  bar.setAttribute("aria-valuenow", String(n));
  bar.appendChild(fill);
  if (ratio > 1) {
    box.classList.add("viz-progress-exceeded");
    const mark = el("div", "viz-progress-goal");
    mark.style.left = (1 / ratio) * 100 + "%";
    fill.style.width = "100%";
    bar.appendChild(mark);
  }
  const foot = el("div", "viz-progress-foot");
  const pct = el("span", "viz-progress-pct", ratio > 1 ? "Goal exceeded" : format(ratio * 100, null, { decimals: 0 }) + "% of goal");
  foot.append(pct, el("span", "viz-progress-target", "Goal " + format(goal, col, mopts)));
  value.addEventListener("click", (ev) => dispatchDrill(node, { column: col, value: v, row: rows[0], dimensions: [] }, ev));
  box.append(value, bar, foot);
  node.appendChild(box);
  return {};
}
