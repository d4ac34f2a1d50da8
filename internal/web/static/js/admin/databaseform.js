// The database form shows only the fields of the chosen engine.

export function sync() {
  var sel = document.getElementById("engine");
  if (!sel) return;
  document.querySelectorAll(".engine-fields").forEach(function (fs) {
    var on = (fs.getAttribute("data-engine") || "").split(" ").indexOf(sel.value) >= 0;
    fs.hidden = !on;
    fs.disabled = !on;
  });
}
