// Sightline's pin map: draws display "map-pin" (the reference vendor's
// "map" with map.type "pin") one point per row at its
// latitude and longitude, over the outlines of the world's countries or of
// the US states. No map tiles: the outlines are the region maps' own
// files, so the map works offline.
//
// Settings (the reference vendor's keys): map.latitude_column and
// map.longitude_column name the columns (defaults: the columns typed
// type/Latitude and type/Longitude, else ones named lat and lon or
// longitude); map.pin_type is accepted, and every pin type is drawn as
// markers. map.region ("us_states" or "world_countries") chooses the
// outlines; by default the US states when every point falls on them, the
// world otherwise. The map zooms with the wheel and pans by dragging. Past
// pinlogic.js's cap an even sample of the points is drawn, and a note
// under the map says so.

import * as P from "./pinlogic.js";
import { el } from "../shared/dom.js";
import { colorFor, dimOpts, dispatchDrill } from "./common.js";
import { chartBase, tooltipLine } from "./echarts.js";
import { format, title } from "./format.js";
import { REGIONS, loadShapes } from "./regionmap.js";

// TOOLTIP_COLUMNS is how many of a row's columns its tooltip lists.
const TOOLTIP_COLUMNS = 8;

// noteText says what the map leaves out: rows past the cap, rows without
// a position, points off the US outlines.
function noteText(got, off) {
  const n = (x) => x.toLocaleString("en-US");
  const parts = [];
  if (got.capped) parts.push("Showing " + n(got.points.length) + " of " + n(got.total) + " points");
  if (got.invalid) parts.push(n(got.invalid) + (got.invalid === 1 ? " row without" : " rows without") + " a valid latitude and longitude");
  if (off) parts.push(n(off) + (off === 1 ? " point" : " points") + " off this map");
  return parts.join("; ");
}

export function renderPinMap(ctx) {
  const { node, cols, rows, settings } = ctx;
  const c = P.pinColumns(cols, settings);
  if (!c.lat || !c.lon) {
    node.appendChild(el("div", "viz-empty", "This map needs latitude and longitude columns."));
    return {};
  }
  const lati = cols.indexOf(c.lat);
  const loni = cols.indexOf(c.lon);
  const got = P.pinPoints(rows, lati, loni);
  const region = P.pinRegion(got.points, settings);
  const us = region === "us_states";
  const placed = [];
  for (const p of got.points) {
    const at = us ? P.albersUSA(p.lon, p.lat) : [p.lon, p.lat];
    if (at) placed.push({ at: at, row: p.row });
  }
  const off = got.points.length - placed.length;
  const { chart, muted, border, base } = chartBase(ctx);
  const note = el("div", "viz-map-note viz-pin-note");
  note.textContent = noteText(got, off);
  note.hidden = !note.textContent;
  note.style.cssText = "flex:none;font-size:.78rem;color:" + muted + ";padding:2px 8px 0;";
  node.appendChild(note);
  note.dataset.pins = String(placed.length);
  note.dataset.region = region;
  const dopts = dimOpts(settings);
  const shown = cols.slice(0, TOOLTIP_COLUMNS);
  const ready = loadShapes(region).then(() => {
    if (chart.isDisposed()) return;
    const option = Object.assign(base, {
      geo: {
        map: "sightline-" + region,
        aspectScale: REGIONS[region].aspect,
        roam: true,
        scaleLimit: { min: 1, max: 40 },
        left: 8,
        right: 8,
        top: 8,
        bottom: 8,
        silent: true,
        label: { show: false },
        itemStyle: { areaColor: border, borderColor: "#fff", borderWidth: 0.5 },
      },
      series: [{
        type: "scatter",
        coordinateSystem: "geo",
        name: title(c.lat),
        symbolSize: placed.length > 500 ? 5 : 8,
        itemStyle: { color: colorFor(settings, c.lat.name, 0, ctx.pal), opacity: 0.8, borderColor: "#fff", borderWidth: placed.length > 500 ? 0 : 1 },
        data: placed.map((p) => p.at),
      }],
    });
    option.tooltip.trigger = "item";
    option.tooltip.formatter = (p) => {
      const pl = placed[p.dataIndex];
      if (!pl) return "";
      return shown.map((col, i) => tooltipLine("", title(col), format(pl.row[i], col, dopts))).join("");
    };
    chart.setOption(option);
    chart.on("click", (p) => {
      const pl = placed[p.dataIndex];
      if (!pl) return;
      dispatchDrill(node, { column: c.lat, value: pl.row[lati], row: pl.row,
        dimensions: [{ column: c.lat, value: pl.row[lati] }, { column: c.lon, value: pl.row[loni] }] }, p.event && p.event.event);
    });
  }).catch((err) => {
    if (chart.isDisposed()) return;
    chart.dispose();
    node.replaceChildren(el("div", "viz-error", "This map could not be drawn: " + (err && err.message ? err.message : String(err))));
  });
  return { chart, ready };
}
