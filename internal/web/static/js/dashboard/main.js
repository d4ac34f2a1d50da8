// The dashboard and X-ray pages: runs the page found in the document.
// window.SightlineDashboard.dateLabel is kept for the browser tests.
import "../charts/global.js";
import { onReady } from "../shared/dom.js";
import { dateLabel } from "./filters.js";
import { initDashboard } from "./page.js";
import { initXray } from "./xray.js";

window.SightlineDashboard = Object.freeze({ dateLabel });

onReady(() => {
  const d = document.getElementById("dashboard");
  if (d) initDashboard(d);
  const x = document.getElementById("xray");
  if (x) initXray(x);
});
