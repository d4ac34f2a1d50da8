// The script of every page (layout.html and embed.html): the page shell,
// the database form's engine fields and, in a frame, the messages to the
// host page. Pages load their own feature module besides this one.
import { onReady } from "./shared/dom.js";
import { initNavToggle, initMenus, initConfirm, initCopy } from "./shell/page.js";
import { sync } from "./admin/databaseform.js";
import { startFrameMessages } from "./embed/frame.js";

document.addEventListener("change", (e) => { if (e.target && e.target.id === "engine") sync(); });
onReady(() => {
  initNavToggle();
  initMenus();
  initConfirm();
  initCopy();
  sync();
  startFrameMessages();
});
