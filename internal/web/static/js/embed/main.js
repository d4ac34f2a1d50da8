// Static embeds, public links and previews: one published dashboard or
// question, read-only.
import "../charts/global.js";
import { onReady } from "../shared/dom.js";
import { init } from "./page.js";

onReady(init);
