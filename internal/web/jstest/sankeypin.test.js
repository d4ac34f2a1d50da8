// Unit tests of static/js/charts/sankeylogic.js and pinlogic.js, run by
// node's own test runner; TestChartLogicNode runs them from go test.
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as S from "../static/js/charts/sankeylogic.js";
import * as P from "../static/js/charts/pinlogic.js";

const geoUS = JSON.parse(readFileSync(new URL("../static/vendor/geo-us-states.json", import.meta.url), "utf8"));

const int = (name, semantic) => ({ name, base_type: "type/BigInteger", semantic_type: semantic });
const dec = (name, semantic) => ({ name, base_type: "type/Float", semantic_type: semantic });
const text = (name) => ({ name, base_type: "type/Text" });

test("a sankey picks two category columns and an amount by default, the settings' columns when named", () => {
  const cols = [int("ID", "type/PK"), text("FROM"), text("TO"), int("VISITS")];
  const got = S.sankeyColumns(cols, {});
  assert.deepEqual([got.source.name, got.target.name, got.value.name], ["FROM", "TO", "VISITS"]);

  const named = S.sankeyColumns(cols, { "sankey.source": "TO", "sankey.target": "FROM", "sankey.value": "ID" });
  assert.deepEqual([named.source.name, named.target.name, named.value.name], ["TO", "FROM", "ID"]);

  // A setting naming a column the result lacks falls back to the default.
  const stale = S.sankeyColumns(cols, { "sankey.source": "GONE" });
  assert.equal(stale.source.name, "FROM");
  assert.equal(stale.target.name, "TO");

  assert.equal(S.fitsSankey([text("A"), int("N")], {}), false, "one category column is not enough");
  assert.equal(S.fitsSankey([text("A"), text("B")], {}), false, "no amount");
  assert.equal(S.fitsSankey(cols, {}), true);
});

test("sankey rows become summed links between named nodes, skipping rows it cannot draw", () => {
  const rows = [
    ["Entry", "Home", 10],
    ["Home", "Product", 4],
    ["Entry", "Home", "5"],
    ["Home", null, 3],
    ["Home", "Cart", 0],
    ["Home", "Cart", -2],
    ["Product", "Cart", 2],
  ];
  const g = S.sankeyGraph(rows, 0, 1, 2);
  assert.equal(g.cycle, null);
  assert.equal(g.tooMany, 0);
  assert.equal(g.skipped, 3);
  assert.deepEqual(g.links.map((l) => [l.source, l.target, l.value, l.rows.length]),
    [["Entry", "Home", 15, 2], ["Home", "Product", 4, 1], ["Product", "Cart", 2, 1]]);
  assert.deepEqual(g.nodes.map((n) => [n.name, n.value]), [["Entry", 15], ["Home", 15], ["Product", 4], ["Cart", 2]]);
  assert.equal(S.sankeyProblem(g), "");
});

test("a sankey with a loop names the loop instead of drawing", () => {
  const g = S.sankeyGraph([["A", "B", 1], ["B", "C", 1], ["C", "A", 1], ["C", "D", 1]], 0, 1, 2);
  assert.deepEqual(g.cycle, ["A", "B", "C", "A"]);
  assert.equal(S.sankeyProblem(g), "A sankey cannot draw flows that loop back: A \u2192 B \u2192 C \u2192 A. Remove one of these links to draw it.");

  assert.deepEqual(S.findCycle([{ source: "X", target: "X" }]), ["X", "X"], "a link to itself is a loop");
  assert.equal(S.findCycle([{ source: "A", target: "B" }, { source: "A", target: "C" }, { source: "B", target: "C" }]), null,
    "two paths to the same node are not a loop");

  // A long chain is walked without recursion.
  const chain = [];
  for (let i = 0; i < 50000; i++) chain.push({ source: "n" + i, target: "n" + (i + 1) });
  assert.equal(S.findCycle(chain), null);
  chain.push({ source: "n50000", target: "n0" });
  assert.equal(S.findCycle(chain).length, 50002);
});

test("a sankey with more nodes than the limit says how many instead of drawing", () => {
  const rows = [];
  for (let i = 0; i < 60; i++) rows.push(["from " + i, "to " + i, 1]);
  const g = S.sankeyGraph(rows, 0, 1, 2);
  assert.equal(g.tooMany, 120);
  assert.equal(S.sankeyProblem(g), "This sankey has 120 nodes; it draws at most 100. Filter the question or group its values to draw fewer.");
  assert.equal(S.sankeyGraph(rows, 0, 1, 2, 200).tooMany, 0);
  assert.equal(S.sankeyProblem(S.sankeyGraph([[null, "B", 1]], 0, 1, 2)), "No rows have a source, a target and a positive value to draw.");
});

test("a pin map finds latitude and longitude by setting, semantic type, then name", () => {
  const typed = [text("NAME"), dec("LATITUDE", "type/Latitude"), dec("LONGITUDE", "type/Longitude"), dec("LAT2"), dec("LON2")];
  let c = P.pinColumns(typed, {});
  assert.deepEqual([c.lat.name, c.lon.name], ["LATITUDE", "LONGITUDE"]);
  c = P.pinColumns(typed, { "map.latitude_column": "LAT2", "map.longitude_column": "LON2" });
  assert.deepEqual([c.lat.name, c.lon.name], ["LAT2", "LON2"]);
  c = P.pinColumns([dec("lat"), dec("Lng")], {});
  assert.deepEqual([c.lat.name, c.lon.name], ["lat", "Lng"]);
  c = P.pinColumns([text("lat"), dec("x")], {});
  assert.deepEqual([c.lat, c.lon], [null, null], "a text column named lat is no latitude");
});

test("pin points skip impossible coordinates and keep an even sample past the cap", () => {
  const rows = [[10, 20], [91, 0], [0, -181], [null, 5], ["45.5", "-122.6"]];
  const got = P.pinPoints(rows, 0, 1);
  assert.equal(got.invalid, 3);
  assert.equal(got.capped, false);
  assert.deepEqual(got.points.map((p) => [p.lat, p.lon]), [[10, 20], [45.5, -122.6]]);

  const many = [];
  for (let i = 0; i < 10; i++) many.push([i, i]);
  const capped = P.pinPoints(many, 0, 1, 4);
  assert.equal(capped.capped, true);
  assert.equal(capped.total, 10);
  assert.deepEqual(capped.points.map((p) => p.lat), [0, 2, 5, 7]);
});

// inState reports whether an outline point lies in the named state of the
// US states file.
function inState(pt, name) {
  const f = geoUS.features.find((x) => x.properties.name === name);
  const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
  return polys.some((poly) => {
    const ring = poly[0] || [];
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if ((yi > pt[1]) !== (yj > pt[1]) && pt[0] < ((xj - xi) * (pt[1] - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  });
}

test("Albers USA puts cities inside their states on the US outlines, Alaska and Hawaii included", () => {
  for (const [city, lon, lat, state] of [["Montgomery", -86.3, 32.37, "Alabama"], ["Denver", -104.99, 39.74, "Colorado"],
    ["Seattle", -122.33, 47.61, "Washington"], ["Miami", -80.19, 25.76, "Florida"], ["Bangor", -68.77, 44.8, "Maine"],
    ["Anchorage", -149.9, 61.2, "Alaska"], ["Honolulu", -157.86, 21.31, "Hawaii"]]) {
    const p = P.albersUSA(lon, lat);
    assert.ok(p && inState(p, state), `${city} at ${p} is not in ${state}`);
  }
  assert.equal(P.albersUSA(-0.12, 51.5), null, "London is off the US map");
});

test("pins on the US draw on the states, anywhere else on the world, unless map.region says", () => {
  const us = [{ lat: 39.74, lon: -104.99 }, { lat: 61.2, lon: -149.9 }];
  const world = us.concat([{ lat: 51.5, lon: -0.12 }]);
  assert.equal(P.pinRegion(us, {}), "us_states");
  assert.equal(P.pinRegion(world, {}), "world_countries");
  assert.equal(P.pinRegion(us, { "map.region": "world_countries" }), "world_countries");
  assert.equal(P.pinRegion([], {}), "world_countries");
});
