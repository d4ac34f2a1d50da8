// Every module under static/js that is not a page's entry point loads
// without a page: importing it touches no DOM, so node's test runner and
// other modules can import it freely. Entry points start their page and
// are listed here by name.
import test from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../static/js/", import.meta.url));
const entries = new Set(["app.js", "charts/global.js", "dashboard/main.js", "question/main.js", "embed/main.js",
  "admin/permissions.js", "admin/forms.js", "embed/publish.js"]);

function modules(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? modules(join(dir, d.name)) : d.name.endsWith(".js") ? [join(dir, d.name)] : []);
}

test("library modules import without a DOM", async () => {
  assert.equal(typeof document, "undefined");
  const libs = modules(root).filter((f) => !entries.has(relative(root, f).split("\\").join("/")));
  assert.ok(libs.length > 20, "found " + libs.length + " modules");
  for (const f of libs) {
    await assert.doesNotReject(import(pathToFileURL(f).href), relative(root, f));
  }
});

test("the entry points exist", () => {
  const all = new Set(modules(root).map((f) => relative(root, f).split("\\").join("/")));
  for (const e of entries) assert.ok(all.has(e), e);
});
