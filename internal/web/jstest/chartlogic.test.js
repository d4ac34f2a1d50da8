// Unit tests of static/js/charts/logic.js, run by node's own test runner
// (node --test internal/web/jstest); TestChartLogicNode runs them from go test.
import test from "node:test";
import assert from "node:assert/strict";
import * as L from "../static/js/charts/logic.js";

const int = (name) => ({ name, base_type: "type/BigInteger" });
const dec = (name) => ({ name, base_type: "type/Decimal" });
const text = (name) => ({ name, base_type: "type/Text" });
const date = (name) => ({ name, base_type: "type/Date" });

test("integer counts get whole, distinct ticks", () => {
  const values = [1, 1, 1, 0, 0, 0];
  const axis = L.valueAxis(values, { integer: true });
  assert.deepEqual(axis.ticks, [0, 1]);
  assert.equal(axis.interval, 1);
  for (const [lo, hi] of [[0, 2], [0, 3], [0, 7], [0, 13], [3, 3], [0, 0], [-2, 5]]) {
    const t = L.niceTicks(lo, hi, { integer: true });
    assert.ok(t.ticks.every(Number.isInteger), `ticks of ${lo}..${hi} = ${t.ticks}`);
    assert.equal(new Set(t.ticks).size, t.ticks.length, `ticks of ${lo}..${hi} repeat: ${t.ticks}`);
    assert.ok(t.min <= Math.min(lo, 0) && t.max >= hi, `ticks of ${lo}..${hi} = ${t.min}..${t.max}`);
  }
});

test("fractional values get round ticks that cover them", () => {
  assert.deepEqual(L.niceTicks(0, 0.9).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(L.niceTicks(0, 1234).ticks, [0, 250, 500, 750, 1000, 1250]);
  const t = L.niceTicks(-3.2, 7.1);
  assert.ok(t.min <= -3.2 && t.max >= 7.1);
  assert.ok(t.ticks.length <= 7);
});

test("a single value keeps a range around it", () => {
  assert.deepEqual(L.niceTicks(5, 5, { integer: true }).ticks, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(L.niceTicks(0, 0, { integer: true }).ticks, [0, 1]);
  assert.deepEqual(L.niceTicks(-4, -4, { integer: true }).ticks, [-4, -3, -2, -1, 0]);
});

test("a fixed y range and a log scale are honoured", () => {
  const fixed = L.valueAxis([1, 50], { autoRange: false, min: 10, max: 20 });
  assert.equal(fixed.min, 10);
  assert.equal(fixed.max, 20);
  assert.deepEqual(L.valueAxis([1, 1000], { scale: "log" }), {});
  assert.deepEqual(L.valueAxis([1, 1000], { scale: "log", autoRange: false, min: 0, max: 100 }), { max: 100 });
  assert.deepEqual(L.valueAxis([], {}), {});
});

test("a one-point line keeps its category inside the chart", () => {
  assert.equal(L.categoryGap(1, false), true);
  assert.equal(L.categoryGap(12, false), false);
  assert.equal(L.categoryGap(12, true), true);
});

test("default axes of a SQL result: a date or text x, numeric metrics", () => {
  assert.deepEqual(L.defaultAxes([date("date"), int("count"), text("name")]), { dimensions: ["date"], metrics: ["count"] });
  assert.deepEqual(L.defaultAxes([text("name"), int("count"), dec("total")]), { dimensions: ["name"], metrics: ["count", "total"] });
  assert.deepEqual(L.defaultAxes([{ name: "id", base_type: "type/Integer", semantic_type: "type/PK" }, text("name"), int("n")]),
    { dimensions: ["name"], metrics: ["n"] });
  assert.deepEqual(L.defaultAxes([{ name: "category", source: "breakout", base_type: "type/Text" }, { name: "count", source: "aggregation", base_type: "type/Integer" }, int("other")]),
    { dimensions: ["category"], metrics: ["count"] });
  assert.deepEqual(L.defaultAxes([]), { dimensions: [], metrics: [] });
});

test("column_settings are found by the vendor's keys", () => {
  const cs = { '["name","total"]': { decimals: 1 }, '["ref",["field",7,null]]': { prefix: "#" }, plain: { suffix: "!" } };
  assert.deepEqual(L.columnSettings(cs, { name: "total" }), { decimals: 1 });
  assert.deepEqual(L.columnSettings(cs, { name: "x", field_id: 7 }), { prefix: "#" });
  assert.deepEqual(L.columnSettings(cs, { name: "plain" }), { suffix: "!" });
  assert.equal(L.columnSettings(cs, { name: "none" }), null);
  assert.equal(L.columnKey("total"), '["name","total"]');
});

test("numbers are formatted by the vendor's keys", () => {
  const f = (n, col, opts, extra) => L.formatNumber(n, col, L.numberFormat(opts), extra);
  assert.equal(f(1234.5, dec("t"), {}), "1,234.5");
  assert.equal(f(1234.5, dec("t"), { decimals: 0 }), "1,235");
  assert.equal(f(0.256, dec("t"), { number_style: "percent", decimals: 1 }), "25.6%");
  assert.equal(f(3, int("n"), { prefix: "~", suffix: " items" }), "~3 items");
  assert.equal(f(1.5, dec("t"), { scale: 1000 }), "1,500");
  assert.equal(f(1234.5, dec("t"), { number_style: "currency", currency: "EUR" }), "€1,234.50");
  assert.equal(f(1234.5, dec("t"), { number_style: "currency", currency: "EUR", currency_style: "code" }).replace(/\s/g, " "), "EUR 1,234.50");
  assert.equal(f(1234567.891, dec("t"), { number_separators: ",." , decimals: 2 }), "1.234.567,89");
  assert.equal(f(1234567, int("n"), { number_separators: ". " }), "1 234 567");
  assert.equal(f(12345, dec("t"), { number_style: "scientific" }), "1.23E4");
  assert.equal(f(2.0, int("n"), {}), "2");
  assert.equal(f(12500, int("n"), {}, { compact: true }), "12.5K");
  assert.equal(f(3, int("n"), { "number.decimals": 2 }), "3.00");
});

test("dates follow date_style", () => {
  const p = { y: 2024, mo: 3, d: 5 };
  assert.equal(L.formatDay(p, "MMMM D, YYYY"), "March 5, 2024");
  assert.equal(L.formatDay(p, "D/M/YYYY"), "5/3/2024");
  assert.equal(L.formatDay(p, "YYYY/M/D", "-"), "2024-3-5");
  assert.equal(L.formatDay(p, "dddd, MMMM D, YYYY"), "Tuesday, March 5, 2024");
  assert.equal(L.formatDay(p, "nonsense"), null);
});

test("an outlier does not collapse a histogram into one bar", () => {
  const values = [];
  for (let i = 0; i < 200; i++) values.push(10 + (i % 50));
  values.push(1000000);
  const bins = L.histogramBins(values, 10);
  const closed = bins.filter((b) => b.open === "");
  assert.ok(closed.length >= 5, `bins = ${JSON.stringify(bins)}`);
  const top = Math.max(...closed.map((b) => b.count));
  assert.ok(top < 100, `one bin holds ${top} of 200 values: ${JSON.stringify(bins)}`);
  const above = bins.find((b) => b.open === "above");
  assert.ok(above && above.count === 1, `bins = ${JSON.stringify(bins)}`);
  assert.equal(bins.reduce((a, b) => a + b.count, 0), values.length);
  assert.deepEqual(L.histogramBins([4, 4, 4], 10), [{ from: 4, to: 4, count: 3, open: "" }]);
  assert.deepEqual(L.histogramBins([], 10), []);
});

test("trend lines and 100% stacks", () => {
  assert.deepEqual(L.trendline([1, 2, 3]), [1, 2, 3]);
  assert.deepEqual(L.trendline([2, null, 6]), [2, 4, 6]);
  assert.equal(L.trendline([5]), null);
  assert.deepEqual(L.normalizeStacks([[1, 0], [3, null]]), [[0.25, 0], [0.75, null]]);
});

test("waterfall steps float from the running total, across zero too", () => {
  assert.deepEqual(L.waterfallSteps([100, -30, null, -150], true), [
    { start: 0, end: 100, value: 100, kind: "increase" },
    { start: 100, end: 70, value: -30, kind: "decrease" },
    { start: 70, end: 70, value: 0, kind: "increase" },
    { start: 70, end: -80, value: -150, kind: "decrease" },
    { start: 0, end: -80, value: -80, kind: "total" },
  ]);
  assert.deepEqual(L.waterfallSteps([0.1, 0.2], false).map((s) => s.end), [0.1, 0.3]);
  assert.deepEqual(L.waterfallSteps([], true), [{ start: 0, end: 0, value: 0, kind: "total" }]);
});
