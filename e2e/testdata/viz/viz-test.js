// The visualization test harness (viz-test.html): draws each fixed result
// below into a labelled element with the id "case-<name>", keeps the
// handles in window.__viz and every drill event in window.__drills, and
// sets data-ready on <body> when everything is drawn (region maps load
// their shapes first). e2e/viz_test.go, which serves this file itself,
// checks the page; the data are made up and deterministic.
(function () {
  "use strict";

  function col(name, display, base, semantic, source, extra) {
    return Object.assign({ name: name, display_name: display, base_type: base, semantic_type: semantic || null, source: source }, extra || {});
  }

  const count = col("count", "Count", "type/Integer", null, "aggregation");
  const month = col("CREATED_AT", "Created At: Month", "type/Date", null, "breakout", { unit: "month" });
  const category = col("CATEGORY", "Category", "type/Text", "type/Category", "breakout");
  const months = ["2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z",
    "2024-05-01T00:00:00Z", "2024-06-01T00:00:00Z", "2024-07-01T00:00:00Z", "2024-08-01T00:00:00Z"];
  const categories = ["Doohickey", "Gadget", "Gizmo", "Widget"];

  // orders are 60 raw rows of an ORDERS table.
  const orders = {
    cols: [
      col("ID", "ID", "type/BigInteger", "type/PK", "fields"),
      col("USER_ID", "User ID", "type/Integer", "type/FK", "fields"),
      col("TOTAL", "Total", "type/Float", "type/Currency", "fields"),
      col("QUANTITY", "Quantity", "type/Integer", "type/Quantity", "fields"),
      col("CREATED_AT", "Created At", "type/DateTime", "type/CreationTimestamp", "fields"),
      col("EMAIL", "Email", "type/Text", "type/Email", "fields"),
      col("DISCOUNT", "Discount", "type/Float", null, "fields"),
      col("PAID", "Paid", "type/Boolean", null, "fields"),
    ],
    rows: [],
  };
  for (let i = 0; i < 60; i++) {
    const day = new Date(Date.UTC(2024, 0, 1 + i, 9 + (i % 8), (i * 7) % 60));
    orders.rows.push([1000 + i + 1, ((i * 7) % 13) + 1, 12.5 + i * 23.75, (i % 5) + 1, day.toISOString().replace(".000Z", "Z"),
      "user" + (i + 1) + "@example.com", i % 4 === 0 ? null : (i % 7) * 1.5, i % 3 === 0]);
  }

  // pageFlows are visits from one page to the next; manyFlows link 120
  // pages in pairs, more nodes than a sankey draws.
  const pageFlows = {
    cols: [col("FROM_PAGE", "From", "type/Text", null, "breakout"), col("TO_PAGE", "To", "type/Text", null, "breakout"), count],
    rows: [["Entry", "Home", 584], ["Entry", "Product", 220], ["Home", "Product", 270], ["Home", "Cart", 64], ["Product", "Cart", 190], ["Cart", "Checkout", 121]],
  };
  const manyFlows = { cols: pageFlows.cols, rows: [] };
  for (let i = 0; i < 60; i++) manyFlows.rows.push(["page " + i, "page " + (i + 60), 1 + i]);

  const byMonth = {
    cols: [month, count, col("sum", "Sum of Total", "type/Float", "type/Currency", "aggregation")],
    rows: months.map((m, i) => [m, 120 + i * 14 + (i % 3) * 9, 5400 + i * 730.5 + (i % 2) * 410]),
  };

  const byCategory = {
    cols: [category, count],
    rows: [["Doohickey", 42], ["Gadget", 53], ["Gizmo", 51], ["Widget", 54]],
  };

  const monthByCategory = { cols: [month, category, count], rows: [] };
  months.slice(0, 6).forEach((m, i) => categories.forEach((c, j) => monthByCategory.rows.push([m, c, 10 + ((i + 1) * (j + 2) * 7) % 23])));

  const states = ["AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "IA", "ID", "IL", "IN", "KS", "KY",
    "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS"];
  const byState = {
    cols: [col("STATE", "State", "type/Text", "type/State", "breakout"), count],
    rows: states.map((s, i) => [s, 300 - i * 9 - (i % 4) * 5]),
  };

  // pivot: categories by source; Widget has no Affiliate orders.
  const sources = {
    cols: [category, col("SOURCE", "Source", "type/Text", "type/Category", "breakout"), count],
    rows: [
      ["Doohickey", "Affiliate", 12], ["Doohickey", "Facebook", 20], ["Doohickey", "Google", 31],
      ["Gadget", "Affiliate", 15], ["Gadget", "Facebook", 22], ["Gadget", "Google", 40],
      ["Gizmo", "Affiliate", 9], ["Gizmo", "Facebook", 28], ["Gizmo", "Google", 33],
      ["Widget", "Facebook", 25], ["Widget", "Google", 36],
    ],
  };

  const weekday = {
    cols: [col("CREATED_AT", "Created At: Day of week", "type/Integer", null, "breakout", { unit: "day-of-week" }), count],
    rows: [[1, 31], [2, 45], [3, 52], [4, 48], [5, 50], [6, 58], [7, 37]],
  };

  const places = {
    cols: [
      col("NAME", "Name", "type/Text", "type/Name", "fields"),
      col("LATITUDE", "Latitude", "type/Float", "type/Latitude", "fields"),
      col("LONGITUDE", "Longitude", "type/Float", "type/Longitude", "fields"),
    ],
    rows: [["Paris", 48.8566, 2.3522], ["Berlin", 52.52, 13.405], ["Madrid", 40.4168, -3.7038], ["Rome", 41.9028, 12.4964],
      ["Lisbon", 38.7223, -9.1393], ["Dublin", 53.3498, -6.2603], ["Vienna", 48.2082, 16.3738]],
  };

  // byCountry mixes ISO alpha-2 and alpha-3 codes, English names and
  // three values no country matches.
  const byCountry = {
    cols: [col("COUNTRY", "Country", "type/Text", "type/Country", "breakout"), count],
    rows: [["US", 330], ["CA", 40], ["GB", 45], ["DE", 40], ["FRA", 35], ["India", 40], ["brazil", 30], ["AU", 25],
      ["JP", 15], ["South Africa", 6], ["SG", 6], ["Atlantis", 3], ["", 2], [null, 1]],
  };

  // byUSState has postal codes and names, and one value that is no state.
  const byUSState = {
    cols: [col("STATE", "State", "type/Text", "type/State", "breakout"), count],
    rows: states.map((s, i) => [s, 300 - i * 9 - (i % 4) * 5]).concat([["New York", 280], ["Texas", 260], ["ZZ", 4]]),
  };

  const scalar = (c, v) => ({ cols: [c], rows: [[v]] });
  const revenue = col("sum", "Sum of Total", "type/Float", "type/Currency", "aggregation");
  const still = { animation: false };

  // CASES are drawn in order; display "" lets autoDisplay choose.
  const CASES = [
    { id: "table", title: "Table (raw rows, auto)", wide: true, result: orders, settings: {} },
    { id: "number", title: "Number (auto)", result: scalar(count, 12345), settings: {} },
    { id: "number-currency", title: "Number with prefix", result: scalar(revenue, 1234567.891), settings: { display: "number", "number.prefix": "$" } },
    { id: "trend", title: "Trend", result: { cols: [month, revenue], rows: byMonth.rows.map((r) => [r[0], r[2]]) }, settings: { display: "trend", "number.prefix": "$" } },
    { id: "progress", title: "Progress", result: scalar(revenue, 7500), settings: { display: "progress", "progress.goal": 10000 } },
    { id: "gauge", title: "Gauge", result: scalar(col("avg", "Average of Rating", "type/Float", "type/Score", "aggregation"), 72.4),
      settings: { display: "gauge", "gauge.max": 100, "gauge.segments": [{ min: 0, max: 50, color: "#ef8c8c" }, { min: 50, max: 80, color: "#f9d45c" }, { min: 80, max: 100, color: "#88bf4d" }] } },
    { id: "line", title: "Line (auto, two metrics, brand colour)", brand: "#0f9d58", result: byMonth, settings: {} },
    { id: "area", title: "Area", result: { cols: [month, count], rows: byMonth.rows.map((r) => [r[0], r[1]]) }, settings: { display: "area", "graph.show_values": true } },
    { id: "bar", title: "Bar (auto)", result: byCategory, settings: { "graph.y_axis.title_text": "Orders" } },
    { id: "stacked-bar", title: "Stacked bar (auto)", result: monthByCategory, settings: { "graph.colors": { Widget: "#444444" } } },
    { id: "row", title: "Row (auto, 25 categories)", result: byState, settings: {} },
    { id: "combo", title: "Combo", result: byMonth, settings: { display: "combo" } },
    { id: "pie", title: "Pie", result: byCategory, settings: { display: "pie" } },
    { id: "donut", title: "Donut", result: byCategory, settings: { display: "donut" } },
    { id: "scatter", title: "Scatter (raw rows)", result: orders, settings: { display: "scatter" } },
    { id: "funnel", title: "Funnel", result: { cols: [col("STEP", "Step", "type/Text", null, "breakout"), count], rows: [["Visited", 1200], ["Signed up", 480], ["Trial", 210], ["Paid", 64]] }, settings: { display: "funnel" } },
    { id: "weekday", title: "Bar by day of week (auto)", result: weekday, settings: {} },
    { id: "map-pin", title: "Map pins: European capitals on the world", result: places, settings: { display: "map-pin" } },
    { id: "sankey", title: "Sankey: page flows", result: pageFlows, settings: { display: "sankey", "sankey.show_edge_labels": true } },
    { id: "sankey-loop", title: "Sankey with a loop", result: { cols: pageFlows.cols, rows: pageFlows.rows.concat([["Cart", "Home", 12]]) }, settings: { display: "sankey" } },
    { id: "sankey-many", title: "Sankey with too many nodes", result: manyFlows, settings: { display: "sankey" } },
    { id: "map-world", title: "Region map: countries", half: true, result: byCountry, settings: { display: "map" } },
    { id: "map-us", title: "Region map: US states", result: byUSState, settings: { display: "map" } },
    { id: "pivot", title: "Pivot (auto)", half: true, auto: true, result: sources, settings: {} },
    { id: "empty", title: "Empty result", result: { cols: [category, count], rows: [] }, settings: { display: "bar" } },
    // Small data and the vendor's visualization_settings keys.
    { id: "small-counts", title: "Invoices per month: 1,1,1,0,0,0", result: { cols: [month, count], rows: months.slice(0, 6).map((m, i) => [m, i < 3 ? 1 : 0]) }, settings: { display: "bar" } },
    { id: "one-point", title: "A one-point line", result: { cols: [month, count], rows: [[months[0], 7]] }, settings: { display: "line" } },
    { id: "settings-line", title: "Line: log scale, series settings, goal, trend", result: byMonth, settings: {
      display: "line", "graph.y_axis.scale": "log", "graph.y_axis.auto_split": false, "graph.show_goal": true, "graph.goal_value": 150,
      "graph.goal_label": "Target", "graph.show_trendline": true, "graph.x_axis.title_text": "Month", "graph.y_axis.axis_enabled": false,
      series_settings: { count: { title: "Orders", color: "#ff0000", "line.style": "dashed", "line.marker_enabled": false } } } },
    { id: "normalized", title: "Stacked 100%", result: monthByCategory, settings: { display: "bar", "stackable.stack_type": "normalized" } },
    { id: "range", title: "Bar with a fixed y range and formatted values", result: byCategory, settings: {
      display: "bar", "graph.y_axis.auto_range": false, "graph.y_axis.min": 0, "graph.y_axis.max": 100, "graph.show_values": true,
      column_settings: { '["name","count"]': { prefix: "~", suffix: " orders" } } } },
    { id: "chosen-axes", title: "Raw rows with chosen axes", result: orders, settings: {
      display: "bar", "graph.dimensions": ["EMAIL"], "graph.metrics": ["QUANTITY"], "graph.y_axis.scale": "pow" } },
    { id: "table-columns", title: "Table columns and formatting", wide: true, result: orders, settings: {
      display: "table", "table.columns": [{ name: "EMAIL", enabled: true }, { name: "ID", enabled: false }, { name: "TOTAL", enabled: true }],
      column_settings: { '["name","TOTAL"]': { column_title: "Amount", number_style: "currency", currency: "EUR", decimals: 0 },
        '["name","CREATED_AT"]': { date_style: "D/M/YYYY" } } } },
    // table.column_formatting: a row rule, a cell rule, a colour range, and
    // a rule whose colour is not a hex colour (ignored); a mini bar.
    { id: "table-formatting", title: "Table conditional formatting and mini bars", wide: true,
      result: { cols: orders.cols, rows: orders.rows.slice(0, 10) }, settings: {
        display: "table",
        "table.column_formatting": [
          { columns: ["EMAIL"], type: "single", operator: "=", value: "user3@example.com", color: "#FFFF00", highlight_row: true },
          { columns: ["QUANTITY"], type: "single", operator: ">=", value: 5, color: "#ff0000", highlight_row: false },
          { columns: ["TOTAL"], type: "range", colors: ["#ffffff", "#0000ff"], min_type: null, max_type: null },
          { columns: ["DISCOUNT"], type: "single", operator: "is-null", color: "red;background-image:url(/x)", highlight_row: false },
        ],
        column_settings: { '["name","QUANTITY"]': { show_mini_bar: true } } } },
    { id: "object", title: "Object detail", result: { cols: orders.cols, rows: orders.rows.slice(0, 3) }, settings: {
      display: "object", column_settings: { '["name","TOTAL"]': { column_title: "Amount" } } } },
    { id: "histogram", title: "Histogram with an outlier", result: {
      cols: [col("TOTAL", "Total", "type/Float", null, "breakout"), count],
      rows: Array.from({ length: 200 }, (v, i) => [10 + (i % 50) + 0.5, 1]).concat([[1000000, 1]]) }, settings: { display: "bar", "graph.x_axis.scale": "histogram" } },
    { id: "waterfall", title: "Waterfall crossing zero", result: {
      cols: [col("STEP", "Step", "type/Text", null, "breakout"), col("sum", "Change", "type/Integer", null, "aggregation")],
      rows: [["Start", 100], ["Refunds", -30], ["Upsell", 50], ["Churn", -150]] }, settings: { display: "waterfall", "graph.show_values": true } },
    { id: "row-negative", title: "Row chart with negative values", result: {
      cols: [category, col("sum", "Profit", "type/Integer", null, "aggregation")],
      rows: [["Doohickey", 40], ["Gadget", -25], ["Gizmo", 12], ["Widget", -8]] }, settings: { display: "row", "graph.show_values": true } },
    { id: "pie-threshold", title: "Pie with a 26% slice threshold", result: byCategory, settings: { display: "pie", "pie.slice_threshold": 26 } },
    { id: "scatter-settings", title: "Scatter with a log y axis", result: orders, settings: {
      display: "scatter", "graph.y_axis.scale": "log", series_settings: { QUANTITY: { color: "#00aa00" } } } },
  ];

  function draw() {
    const main = document.getElementById("cases");
    const list = document.getElementById("drills");
    const handles = {};
    window.__drills = [];
    document.addEventListener("sightline:drill", (e) => {
      const d = e.detail;
      const rec = {
        target: e.target.id,
        column: d.column ? d.column.name : null,
        value: d.value,
        row: d.row,
        dimensions: (d.dimensions || []).map((x) => ({ column: x.column.name, value: x.value })),
      };
      window.__drills.push(rec);
      const li = document.createElement("li");
      li.textContent = rec.target + ": " + rec.column + " = " + JSON.stringify(rec.value) + " " + JSON.stringify(rec.dimensions);
      list.appendChild(li);
    });
    for (const c of CASES) {
      const section = document.createElement("section");
      section.className = "harness-case" + (c.wide ? " wide" : "") + (c.half ? " half" : "") + (c.auto ? " auto" : "");
      const h = document.createElement("h2");
      h.textContent = c.title;
      const div = document.createElement("div");
      div.className = "harness-viz";
      div.id = "case-" + c.id;
      if (c.brand) div.style.setProperty("--brand", c.brand);
      section.append(h, div);
      main.appendChild(section);
      handles[c.id] = window.SightlineViz.render(div, c.result, Object.assign({}, still, c.settings));
      const note = document.createElement("p");
      note.className = "harness-note";
      note.textContent = "display: " + handles[c.id].display;
      h.after(note);
    }
    window.__viz = handles;
    Promise.all(Object.values(handles).map((h) => h.ready)).then(() => { document.body.dataset.ready = "true"; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
