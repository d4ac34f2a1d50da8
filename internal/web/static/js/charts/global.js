// Exposes the visualizations as window.SightlineViz for the browser tests
// (e2e), which draw fixed results in a page, and for the visualization
// harness; modules import charts/viz.js instead.
import { render, autoDisplay, canonicalDisplay, fitsRegionMap, format, displays } from "./viz.js";

window.SightlineViz = Object.freeze({ render, autoDisplay, canonicalDisplay, fitsRegionMap, format, displays });
