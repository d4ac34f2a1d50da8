#!/usr/bin/env bash
# Installs the pinned front-end libraries (package-lock.json) and copies the
# files the server embeds into internal/web/static/vendor.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/htmx.org ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
out=internal/web/static/vendor
mkdir -p "$out"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx.min.js"
cp node_modules/echarts/dist/echarts.min.js "$out/echarts.min.js"
cp node_modules/gridstack/dist/gridstack-all.js "$out/gridstack-all.js"
cp node_modules/gridstack/dist/gridstack.min.css "$out/gridstack.min.css"

# Region maps: simplified world countries (Natural Earth 1:50m through
# world-atlas) and US states (Census, Albers USA through us-atlas) as GeoJSON
# that viz.js loads only when it draws a region map. Each feature carries its
# English name, its codes and other English names to match values against.
node - "$out" <<'JS'
const fs = require("fs");
const path = require("path");
const { feature } = require("topojson-client");
const { presimplify, quantile, simplify } = require("topojson-simplify");
const countries = require("i18n-iso-countries");
const out = process.argv[2];

// shrink simplifies the arcs of a topology, keeping the given share of the
// points that matter most (planar triangle areas).
function shrink(topo, keep) {
  const pre = presimplify(topo);
  return simplify(pre, quantile(pre, keep));
}

// round returns geometry with coordinates rounded to digits decimals,
// dropping rings that collapse to fewer than four points.
function round(geometry, digits, flipY) {
  const f = Math.pow(10, digits);
  const pt = (p) => [Math.round(p[0] * f) / f, Math.round((flipY ? -p[1] : p[1]) * f) / f];
  const ring = (r) => {
    const o = [];
    for (const p of r.map(pt)) {
      const last = o[o.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) o.push(p);
    }
    return o.length >= 4 ? o : null;
  };
  const poly = (rings) => rings.map(ring).filter(Boolean);
  if (geometry.type === "Polygon") return { type: "Polygon", coordinates: poly(geometry.coordinates) };
  return { type: "MultiPolygon", coordinates: geometry.coordinates.map(poly).filter((p) => p.length) };
}

function write(name, features) {
  const file = path.join(out, name);
  fs.writeFileSync(file, JSON.stringify({ type: "FeatureCollection", features: features }));
  console.log(file + ": " + features.length + " regions, " + Math.round(fs.statSync(file).size / 1024) + " KB");
}

// unwrap moves the western points of rings that cross the antimeridian
// (Chukotka, Fiji) past 180 degrees east, so that they draw on a flat map
// without a stripe across it.
function unwrap(geometry) {
  const ring = (r) => {
    const crosses = r.some((p, i) => i > 0 && Math.abs(p[0] - r[i - 1][0]) > 180);
    return crosses ? r.map((p) => (p[0] < 0 ? [p[0] + 360, p[1]] : p)) : r;
  };
  const poly = (rings) => rings.map(ring);
  if (geometry.type === "Polygon") return { type: "Polygon", coordinates: poly(geometry.coordinates) };
  return { type: "MultiPolygon", coordinates: geometry.coordinates.map(poly) };
}

// Countries: ISO 3166-1 numeric ids give the alpha-2 and alpha-3 codes and
// the English names; the few Natural Earth areas without an ISO code keep
// only their name. Antarctica is left out: it would take a fifth of the
// map's height.
// Countries too small to survive the simplification (Singapore, Malta,
// Monaco...) keep their full shapes.
const world50 = require("world-atlas/countries-50m.json");
const world = shrink(world50, 0.08);
const full = feature(world50, world50.objects.countries).features;
const allNames = countries.getNames("en", { select: "all" });
write("geo-world.json", feature(world, world.objects.countries).features.map((f, i) => {
  if (f.properties.name === "Antarctica") return null;
  let geometry = round(unwrap(f.geometry), 2, false);
  if (!geometry.coordinates.length) geometry = round(unwrap(full[i].geometry), 3, false);
  if (!geometry.coordinates.length) throw new Error("no shape for country " + f.properties.name);
  const iso2 = f.id ? countries.numericToAlpha2(f.id) : undefined;
  const names = new Set([f.properties.name].concat(iso2 ? allNames[iso2] || [] : []));
  const props = { name: f.properties.name, names: Array.from(names) };
  if (iso2) Object.assign(props, { iso2: iso2, iso3: countries.alpha2ToAlpha3(iso2) });
  return { type: "Feature", properties: props, geometry: geometry };
}).filter(Boolean));

// States: FIPS codes give the postal codes. The Albers USA projection puts
// Alaska and Hawaii beside the lower 48; y is flipped so that north is up
// when ECharts reads the points as longitude and latitude.
const POSTAL = {
  "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO", "09": "CT", "10": "DE", "11": "DC",
  "12": "FL", "13": "GA", "15": "HI", "16": "ID", "17": "IL", "18": "IN", "19": "IA", "20": "KS", "21": "KY",
  "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN", "28": "MS", "29": "MO", "30": "MT",
  "31": "NE", "32": "NV", "33": "NH", "34": "NJ", "35": "NM", "36": "NY", "37": "NC", "38": "ND", "39": "OH",
  "40": "OK", "41": "OR", "42": "PA", "44": "RI", "45": "SC", "46": "SD", "47": "TN", "48": "TX", "49": "UT",
  "50": "VT", "51": "VA", "53": "WA", "54": "WV", "55": "WI", "56": "WY",
};
const us = shrink(require("us-atlas/states-albers-10m.json"), 0.1);
write("geo-us-states.json", feature(us, us.objects.states).features.map((f) => {
  if (!POSTAL[f.id]) throw new Error("no postal code for state " + f.id + " " + f.properties.name);
  return { type: "Feature", properties: { name: f.properties.name, code: POSTAL[f.id] }, geometry: round(f.geometry, 1, true) };
}));
JS
