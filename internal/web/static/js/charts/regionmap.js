// Region maps: world countries and US states shaded by a value. The
// shapes load from static/vendor the first time a map is drawn.

import { colorFor, dispatchDrill, empty, findCol, metricOpts, pickColumns } from "./common.js";
import { el } from "../shared/dom.js";
import { unwrap } from "./display.js";
import { chartBase, tooltipLine } from "./echarts.js";
import { EMPTY, format, title, toNumber } from "./format.js";

// ---- region maps ----

// REGIONS are the region maps: the shapes file (built by
// scripts/assets.sh into static/vendor) and the column semantic type each
// suits. aspect is ECharts' aspectScale: the world is in longitude and
// latitude, the states already projected (Albers USA).
export const REGIONS = {
  world_countries: { file: "vendor/geo-world.json", semantic: "type/Country", aspect: 0.75 },
  us_states: { file: "vendor/geo-us-states.json", semantic: "type/State", aspect: 1 },
};

// staticBase is the URL of the static directory, two folders above this
// module, so the shapes load under the same asset version as the code.
const staticBase = new URL("../../", import.meta.url).href;

// shapes caches, per region map, the promise of its index: the name each
// value matches, once the shapes are registered with ECharts.
const shapes = {};

function regionKey(v) {
  return String(v).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}

// loadShapes fetches the shapes of a region map the first time one is
// drawn, registers them with ECharts as "sightline-<region>" and resolves
// to a Map from regionKey of each code and name to the feature's name.
export function loadShapes(region) {
  if (!shapes[region]) {
    shapes[region] = window.fetch(staticBase + REGIONS[region].file, { credentials: "same-origin" })
      .then((res) => {
        if (!res.ok) throw new Error("the map shapes could not be loaded (" + res.status + ")");
        return res.json();
      })
      .then((geo) => {
        window.echarts.registerMap("sightline-" + region, geo);
        const index = new Map();
        for (const f of geo.features) {
          const p = f.properties;
          for (const k of [p.iso2, p.iso3, p.code, p.name].concat(p.names || [])) {
            if (k && !index.has(regionKey(k))) index.set(regionKey(k), p.name);
          }
        }
        return index;
      });
    shapes[region].catch(() => { delete shapes[region]; });
  }
  return shapes[region];
}

// regionColumn finds the column a region map shades by: graph.dimensions'
// first when it suits, else the first country or state column, else (when
// map.region is set) the first breakout. It returns {col, region} or null.
function regionColumn(cols, settings) {
  settings = settings || {};
  const forced = REGIONS[settings["map.region"]] ? settings["map.region"] : "";
  const regionOf = (c) => {
    if (forced) return forced;
    for (const r of Object.keys(REGIONS)) if (c.semantic_type === REGIONS[r].semantic) return r;
    return "";
  };
  const named = Array.isArray(settings["graph.dimensions"]) ? findCol(cols, settings["graph.dimensions"][0]) : null;
  const candidates = (named ? [named] : [])
    .concat(cols.filter((c) => c.semantic_type === "type/Country" || c.semantic_type === "type/State"))
    .concat(forced ? cols.filter((c) => c.source === "breakout") : []);
  for (const c of candidates) {
    const region = regionOf(c);
    if (region) return { col: c, region: region };
  }
  return null;
}

// fitsRegionMap reports whether a result suits a region map: one country
// or state column and an amount to shade by.
export function fitsRegionMap(result, settings) {
  const { cols } = unwrap(result);
  const rc = regionColumn(cols, settings);
  if (!rc) return false;
  return pickColumns(cols, Object.assign({}, settings, { "graph.dimensions": [rc.col.name] })).metrics.length > 0;
}

// shadeBands splits values into up to n bands holding about as many
// values each, so that a few large values do not leave the rest pale:
// [{min, max, next, last}], where a band holds min <= v < next (v <= max
// for the last).
function shadeBands(values, n) {
  const sorted = values.slice().sort((a, b) => a - b);
  if (!sorted.length) return [{ min: 0, max: 0, next: 0, last: true }];
  const edges = [sorted[0]];
  for (let i = 1; i < n; i++) {
    const q = sorted[Math.floor((i * sorted.length) / n)];
    if (q > edges[edges.length - 1]) edges.push(q);
  }
  return edges.map((lo, i) => {
    const last = i === edges.length - 1;
    const next = last ? sorted[sorted.length - 1] : edges[i + 1];
    const inside = sorted.filter((v) => v >= lo && (last ? v <= next : v < next));
    return { min: lo, max: inside[inside.length - 1], next: next, last: last };
  });
}

// renderRegionMap shades the countries of the world (map.region
// "world_countries") or the US states ("us_states") by the first metric,
// summed per region, in up to five bands of about as many regions each.
// The region comes from the country or state column's semantic type
// unless map.region says. Values match a region by code
// (ISO 3166-1 alpha-2 or alpha-3, or the postal code of a state) or by
// English name, ignoring case and accents; rows that match none are
// counted in a note under the map. The shapes load on first use; the
// handle's ready promise settles once the map is drawn.
export function renderRegionMap(ctx) {
  const { node, cols, rows, settings } = ctx;
  const rc = regionColumn(cols, settings);
  const metric = rc ? pickColumns(cols, Object.assign({}, settings, { "graph.dimensions": [rc.col.name] })).metrics[0] : null;
  if (!rc || !metric) {
    empty(node, "This map needs a country or state column and an amount.");
    return {};
  }
  const dim = rc.col;
  const di = cols.indexOf(dim);
  const mi = cols.indexOf(metric);
  const mopts = metricOpts(settings);
  const { chart, muted, border, base } = chartBase(ctx);
  const note = el("div", "viz-map-note");
  note.hidden = true;
  note.style.cssText = "flex:none;font-size:.78rem;color:" + muted + ";padding:2px 8px 0;";
  node.appendChild(note);
  const ready = loadShapes(rc.region).then((index) => {
    if (chart.isDisposed()) return;
    const regions = new Map();
    let unknown = 0;
    for (const r of rows) {
      const name = r[di] === null || r[di] === undefined ? undefined : index.get(regionKey(r[di]));
      if (!name) { unknown++; continue; }
      let g = regions.get(name);
      if (!g) { g = { name: name, value: 0, rows: [] }; regions.set(name, g); }
      g.value += toNumber(r[mi]) || 0;
      g.rows.push(r);
    }
    const data = Array.from(regions.values());
    note.textContent = unknown ? unknown.toLocaleString("en-US") + (unknown === 1 ? " row with an unknown region" : " rows with unknown regions") : "";
    note.hidden = !unknown;
    const copts = Object.assign({}, mopts, { compact: true });
    const bands = shadeBands(data.map((d) => d.value), 5);
    const pieces = bands.map((b) => {
      const label = format(b.min, metric, copts) + (b.min === b.max ? "" : " \u2013 " + format(b.max, metric, copts));
      return b.last ? { gte: b.min, lte: b.max, label: label } : { gte: b.min, lt: b.next, label: label };
    });
    const option = Object.assign(base, {
      visualMap: {
        type: "piecewise",
        pieces: pieces,
        showLabel: false,
        text: [format(bands[bands.length - 1].max, metric, copts), format(bands[0].min, metric, copts)],
        orient: "horizontal",
        left: "center",
        bottom: 0,
        itemWidth: 14,
        itemHeight: 10,
        itemGap: 8,
        inRange: { color: [colorFor(settings, metric.name, 0, ctx.pal)], colorAlpha: [0.3, 1] },
        textStyle: { color: muted, fontSize: 11 },
      },
      series: [{
        type: "map",
        map: "sightline-" + rc.region,
        name: title(metric),
        aspectScale: REGIONS[rc.region].aspect,
        roam: false,
        selectedMode: false,
        left: 8,
        right: 8,
        top: 8,
        bottom: 28,
        label: { show: false },
        itemStyle: { areaColor: border, borderColor: "#fff", borderWidth: 0.5 },
        emphasis: { label: { show: false }, itemStyle: { borderColor: muted, borderWidth: 1 } },
        data: data.map((d) => ({ name: d.name, value: d.value })),
      }],
    });
    option.tooltip.trigger = "item";
    option.tooltip.formatter = (p) => {
      const d = regions.get(p.name);
      return tooltipLine("", p.name, d ? format(d.value, metric, mopts) : EMPTY);
    };
    chart.setOption(option);
    chart.on("click", (p) => {
      const d = regions.get(p.name);
      if (!d) return;
      const r = d.rows[0];
      dispatchDrill(node, { column: metric, value: d.value, row: r, dimensions: [{ column: dim, value: r[di] }] }, p.event && p.event.event);
    });
  }).catch((err) => {
    if (chart.isDisposed()) return;
    chart.dispose();
    node.replaceChildren(el("div", "viz-error", "This map could not be drawn: " + (err && err.message ? err.message : String(err))));
  });
  return { chart, ready };
}
