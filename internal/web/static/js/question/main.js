// The question page: the notebook or SQL editor and its result.
import "../charts/global.js";
import { onReady } from "../shared/dom.js";
import { init } from "./page.js";

onReady(init);
