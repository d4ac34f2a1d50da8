// Unit tests of the table formatting logic of static/js/charts/tableformat.js:
// table.column_formatting rules, colour validation and mini bars.
import test from "node:test";
import assert from "node:assert/strict";
import * as L from "../static/js/charts/tableformat.js";

const cols = [
  { name: "NAME", base_type: "type/Text" },
  { name: "TOTAL", base_type: "type/Float" },
  { name: "TAX", base_type: "type/Float" },
];
const rows = [
  ["Alpha", 10, 1],
  ["Beta", 50, 5],
  ["Gamma", 100, 20],
  [null, null, null],
];

test("only hex colours pass", () => {
  assert.equal(L.hexColor("#ABC"), "#aabbcc");
  assert.equal(L.hexColor("#509EE3"), "#509ee3");
  assert.equal(L.hexColor(" #509ee380 "), "#509ee380");
  for (const bad of ["red", "#12", "#12345", "509EE3", "#fff;background:url(x)", "rgb(1,2,3)", "", null, 7, {}]) {
    assert.equal(L.hexColor(bad), null, `hexColor(${JSON.stringify(bad)})`);
  }
});

test("colours mix along the stops", () => {
  assert.equal(L.mixColors(["#000000", "#ffffff"], 0), "#000000");
  assert.equal(L.mixColors(["#000000", "#ffffff"], 1), "#ffffff");
  assert.equal(L.mixColors(["#000000", "#ffffff"], 0.5), "#808080");
  assert.equal(L.mixColors(["#ff0000", "#00ff00", "#0000ff"], 0.5), "#00ff00");
  assert.equal(L.mixColors(["#ff0000", "#00ff00", "#0000ff"], 0.75), "#008080");
  assert.equal(L.mixColors(["#ff0000", "#0000ff"], 7), "#0000ff", "t is clamped");
  assert.equal(L.mixColors(["nope", "#0000ff"], 0.5), "#0000ff", "a bad stop is dropped");
  assert.equal(L.mixColors(["nope"], 0.5), null);
});

test("single rule operators", () => {
  const m = (operator, value, v) => L.ruleMatches({ operator, value }, v);
  const tests = [
    ["=", 10, 10, true], ["=", "10", 10, true], ["=", 10, 11, false], ["=", "Beta", "Beta", true], ["=", "beta", "Beta", false],
    ["!=", 10, 11, true], ["!=", 10, 10, false], ["!=", 10, null, true],
    ["<", 50, 10, true], ["<", 50, 50, false], ["<=", 50, 50, true], [">", 50, 100, true], [">", 50, 50, false], [">=", 50, 50, true],
    [">", 50, null, false], [">", "x", 100, false], ["<", 50, "abc", false],
    ["is-null", null, null, true], ["is-null", null, "", true], ["is-null", null, 0, false],
    ["not-null", null, 0, true], ["not-null", null, null, false],
    ["contains", "et", "Beta", true], ["contains", "ET", "Beta", false], ["contains", "et", null, false], ["contains", "", "Beta", false],
    ["does-not-contain", "z", "Beta", true], ["starts-with", "Be", "Beta", true], ["starts-with", "ta", "Beta", false],
    ["ends-with", "ta", "Beta", true], ["ends-with", "Be", "Beta", false],
    ["no-such-operator", 1, 1, false],
  ];
  for (const [op, value, v, want] of tests) {
    assert.equal(m(op, value, v), want, `ruleMatches(${op} ${JSON.stringify(value)}, ${JSON.stringify(v)})`);
  }
});

test("malformed rules are left out", () => {
  const good = { columns: ["TOTAL"], type: "single", operator: ">", value: 1, color: "#ff0000" };
  const rules = [
    good,
    { columns: ["TOTAL"], type: "single", operator: ">", value: 1, color: "red" },
    { columns: ["TOTAL"], type: "single", operator: "~", value: 1, color: "#ff0000" },
    { columns: [], type: "single", operator: ">", value: 1, color: "#ff0000" },
    { columns: ["TOTAL"], type: "range", colors: ["#ffffff"] },
    { columns: ["TOTAL"], type: "range", colors: ["#ffffff", "url(x)"] },
    null, "x",
  ];
  assert.deepEqual(L.validRules(rules), [good]);
  assert.deepEqual(L.validRules("not a list"), []);
});

test("single rules colour cells, the first matching rule wins", () => {
  const f = L.tableFormatting([
    { columns: ["TOTAL"], type: "single", operator: ">=", value: 100, color: "#FF0000" },
    { columns: ["TOTAL", "TAX"], type: "single", operator: ">", value: 4, color: "#00ff00" },
    { columns: ["NAME"], type: "single", operator: "is-null", color: "#0000ff" },
  ], cols, rows);
  const grid = rows.map((r, ri) => cols.map((c, ci) => f.cellColor(ri, ci)));
  assert.deepEqual(grid, [
    [null, "#00ff00", null],
    [null, "#00ff00", "#00ff00"],
    [null, "#ff0000", "#00ff00"],
    ["#0000ff", null, null],
  ]);
  assert.deepEqual(rows.map((r, ri) => f.rowColor(ri)), [null, null, null, null]);
});

test("highlight_row colours the row, cells keep their own colour", () => {
  const f = L.tableFormatting([
    { columns: ["NAME"], type: "single", operator: "=", value: "Beta", color: "#ffff00", highlight_row: true },
    { columns: ["TOTAL"], type: "single", operator: ">", value: 20, color: "#00ff00" },
  ], cols, rows);
  assert.deepEqual(rows.map((r, ri) => f.rowColor(ri)), [null, "#ffff00", null, null]);
  assert.equal(f.cellColor(1, 0), null, "the row rule's own cell takes the row's colour, not a cell colour");
  assert.equal(f.cellColor(1, 1), "#00ff00");
});

test("range rules shade numbers between the extremes", () => {
  const own = L.tableFormatting([{ columns: ["TOTAL", "TAX"], type: "range", colors: ["#ffffff", "#000000"], min_type: null, max_type: null }], cols, rows);
  assert.deepEqual(rows.map((r, ri) => own.cellColor(ri, 1)), ["#ffffff", "#8e8e8e", "#000000", null]);
  assert.equal(own.cellColor(2, 2), "#000000", "each column has its own extremes");
  assert.equal(own.cellColor(0, 0), null, "columns outside the rule are left alone");

  const all = L.tableFormatting([{ columns: ["TOTAL", "TAX"], type: "range", colors: ["#ffffff", "#000000"], min_type: "all", max_type: "all" }], cols, rows);
  assert.equal(all.cellColor(2, 2), "#cecece", "20 of 1..100 over both columns");
  assert.equal(all.cellColor(0, 2), "#ffffff");

  const custom = L.tableFormatting([{ columns: ["TOTAL"], type: "range", colors: ["#ffffff", "#000000"], min_type: "custom", min_value: 0, max_type: "custom", max_value: 50 }], cols, rows);
  assert.deepEqual(rows.map((r, ri) => custom.cellColor(ri, 1)), ["#cccccc", "#000000", "#000000", null]);

  const one = L.tableFormatting([{ columns: ["TOTAL"], type: "range", colors: ["#ffffff", "#000000"] }], cols, [["x", 5, 1]]);
  assert.equal(one.cellColor(0, 1), "#000000", "a single value takes the high colour");
});

test("mini bars scale from zero", () => {
  const ext = L.miniBarExtent([10, 50, 100, null, "x"]);
  assert.deepEqual(ext, { min: 0, max: 100 });
  assert.deepEqual(L.miniBar(50, ext), { start: 0, width: 0.5, zero: 0, negative: false });
  assert.deepEqual(L.miniBar(100, ext), { start: 0, width: 1, zero: 0, negative: false });
  assert.equal(L.miniBar(null, ext), null);
  assert.equal(L.miniBar("text", ext), null);

  const mixed = L.miniBarExtent([-25, 75]);
  assert.deepEqual(mixed, { min: -25, max: 75 });
  assert.deepEqual(L.miniBar(-25, mixed), { start: 0, width: 0.25, zero: 0.25, negative: true });
  assert.deepEqual(L.miniBar(75, mixed), { start: 0.25, width: 0.75, zero: 0.25, negative: false });
  assert.deepEqual(L.miniBar(0, L.miniBarExtent([0, 0])), { start: 0, width: 0, zero: 0, negative: false });
});
