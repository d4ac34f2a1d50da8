// resize.js lets the embedded Sightline grow with its content. Sightline
// posts {sightline: {type: "frame", frame: {mode, height}}} to the parent
// page when its content height changes; only messages from the iframe, sent
// from Sightline's origin (data-sightline-origin), are trusted.
(function () {
  "use strict";
  var frame = document.getElementById("sightline");
  if (!frame) {
    return;
  }
  var origin = frame.getAttribute("data-sightline-origin");
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) {
      return;
    }
    var msg = event.data && event.data.sightline;
    if (!msg || msg.type !== "frame" || !msg.frame) {
      return;
    }
    var height = Number(msg.frame.height);
    if (isFinite(height) && height > 0) {
      frame.style.height = Math.ceil(height) + "px";
    }
  });
})();
