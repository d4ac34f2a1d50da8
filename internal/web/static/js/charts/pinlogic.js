// Sightline's pin map logic without a page: which columns hold the
// latitude and longitude, the points a pin map draws (checked, capped),
// which outline map they sit on, and the Albers USA projection that places
// a point on the US states outlines. Pure functions of their arguments (no
// DOM, no ECharts), checked by node's own test runner (internal/web/jstest);
// pinmap.js draws with them.

import { NUMERIC } from "../shared/types.js";

// MAX_PINS is the most points a pin map draws; past it the map draws an
// even sample and says so. Results hold up to 2,000 rows; a thousand
// pins already cover a map, and keep a dashboard of several maps quick.
const MAX_PINS = 1000;

function isNumber(col) { return !!col && NUMERIC.indexOf(col.base_type) >= 0; }

function named(cols, name) {
  if (typeof name !== "string" || !name) return null;
  return cols.find((c) => c.name === name) || null;
}

// byName finds a number column whose name or display name is one of
// names, ignoring case.
function byName(cols, names) {
  return cols.find((c) => isNumber(c) && [c.name, c.display_name].some((n) => typeof n === "string" && names.indexOf(n.toLowerCase()) >= 0)) || null;
}

// pinColumns picks the latitude and longitude columns:
// map.latitude_column and map.longitude_column when the result has them,
// else the columns typed type/Latitude and type/Longitude, else number
// columns named lat/latitude and lon/lng/long/longitude. A column it
// cannot find is null.
function pinColumns(cols, settings) {
  cols = cols || [];
  settings = settings || {};
  const lat = named(cols, settings["map.latitude_column"]) ||
    cols.find((c) => c.semantic_type === "type/Latitude") || byName(cols, ["lat", "latitude"]);
  const lon = named(cols, settings["map.longitude_column"]) ||
    cols.find((c) => c.semantic_type === "type/Longitude") || byName(cols, ["lon", "lng", "long", "longitude"]);
  return { lat: lat, lon: lon };
}

function toNumber(v) {
  if (typeof v === "number") return isFinite(v) ? v : null;
  if (typeof v === "string" && /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
  return null;
}

// pinPoints reads the points of rows (latitude at lati, longitude at
// loni). Rows without a latitude in [-90, 90] and a longitude in
// [-180, 180] are skipped and counted as invalid. When more than max
// (default MAX_PINS) points remain, an even sample of max of them is
// kept, in row order. It returns {points: [{lat, lon, row}], total,
// invalid, capped}, where total counts the valid points and capped is
// true when only a sample is kept.
function pinPoints(rows, lati, loni, max) {
  const limit = max > 0 ? max : MAX_PINS;
  const valid = [];
  let invalid = 0;
  for (const r of rows || []) {
    const lat = toNumber(r[lati]);
    const lon = toNumber(r[loni]);
    if (lat === null || lon === null || lat < -90 || lat > 90 || lon < -180 || lon > 180) { invalid++; continue; }
    valid.push({ lat: lat, lon: lon, row: r });
  }
  if (valid.length <= limit) return { points: valid, total: valid.length, invalid: invalid, capped: false };
  const points = [];
  for (let i = 0; i < limit; i++) points.push(valid[Math.floor((i * valid.length) / limit)]);
  return { points: points, total: valid.length, invalid: invalid, capped: true };
}

// ---- Albers USA ----
// The US states outlines (static/vendor/geo-us-states.json) are already
// projected: Albers USA at scale 1300 centred on (487.5, 305), y flipped
// so north is up, with Alaska and Hawaii moved to insets below the
// lower 48. albersUSA projects a longitude and latitude the same way.

const RAD = Math.PI / 180;
const K = 1300;
const TX = 487.5;
const TY = 305;

// conic is an Albers equal-area conic projection with standard parallels
// p0 and p1, turned by rot degrees of longitude, scaled by k and moved so
// that centre (in turned degrees) lands on (tx, ty); it returns [x, y] in
// screen orientation (y down).
function conic(p0, p1, rot, center, k, tx, ty) {
  const sy0 = Math.sin(p0 * RAD);
  const n = (sy0 + Math.sin(p1 * RAD)) / 2;
  const c = 1 + sy0 * (2 * n - sy0);
  const r0 = Math.sqrt(c) / n;
  const raw = (lambda, phi) => {
    const r = Math.sqrt(c - 2 * n * Math.sin(phi)) / n;
    return [r * Math.sin(lambda * n), r0 - r * Math.cos(lambda * n)];
  };
  const cen = raw(center[0] * RAD, center[1] * RAD);
  return (lon, lat) => {
    let l = lon + rot;
    l = ((l + 540) % 360) - 180;
    const p = raw(l * RAD, lat * RAD);
    return [tx + k * (p[0] - cen[0]), ty - k * (p[1] - cen[1])];
  };
}

// The three parts of Albers USA, each with the box of the screen it may
// draw in: a point belongs to the first part that projects it inside
// that part's box.
const PARTS = [
  { project: conic(29.5, 45.5, 96, [-0.6, 38.7], K, TX, TY), box: [TX - 0.455 * K, TY - 0.238 * K, TX + 0.455 * K, TY + 0.238 * K] },
  { project: conic(55, 65, 154, [-2, 58.5], 0.35 * K, TX - 0.307 * K, TY + 0.201 * K), box: [TX - 0.425 * K, TY + 0.120 * K, TX - 0.214 * K, TY + 0.234 * K] },
  { project: conic(8, 18, 157, [-3, 19.9], K, TX - 0.205 * K, TY + 0.212 * K), box: [TX - 0.214 * K, TY + 0.166 * K, TX - 0.115 * K, TY + 0.234 * K] },
];

// albersUSA is the position of a longitude and latitude on the US states
// outlines, [x, y] with y up, or null when the point is outside the lower
// 48 states, Alaska and Hawaii as drawn.
function albersUSA(lon, lat) {
  for (const part of PARTS) {
    const p = part.project(lon, lat);
    const b = part.box;
    if (p[0] >= b[0] && p[0] < b[2] && p[1] >= b[1] && p[1] < b[3]) {
      return [Math.round(p[0] * 100) / 100, -Math.round(p[1] * 100) / 100];
    }
  }
  return null;
}

// pinRegion is the outline map a pin map draws its points on:
// map.region when it names one ("us_states" or "world_countries"),
// else the US states when every point falls on them, else the world.
function pinRegion(points, settings) {
  const forced = settings && settings["map.region"];
  if (forced === "us_states" || forced === "world_countries") return forced;
  if (!points.length) return "world_countries";
  return points.every((p) => albersUSA(p.lon, p.lat) !== null) ? "us_states" : "world_countries";
}

export { MAX_PINS, pinColumns, pinPoints, albersUSA, pinRegion };
