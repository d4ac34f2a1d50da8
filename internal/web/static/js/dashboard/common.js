// What the dashboard modules share: the grid's size, the conflict message,
// a dashboard's link and the page's alert line.

import { slug } from "../shared/values.js";

export const GRID_COLUMNS = 24;
export const GAP = 8;
export const CONFLICT = "Someone else changed this dashboard since you opened it. Reload to see their changes; your edits are still on screen.";

export function dashboardURL(d) {
  const s = slug(d.name);
  return "/dashboard/" + d.id + (s ? "-" + s : "");
}

export function showAlert(msg) {
  const a = document.getElementById("dash-alert");
  if (!a) return;
  a.textContent = msg || "";
  a.hidden = !msg;
}
