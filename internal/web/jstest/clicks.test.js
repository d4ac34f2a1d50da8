// The one check of an address a click or a text card's link opens.
import test from "node:test";
import assert from "node:assert/strict";
import { fillTemplate, safeURL } from "../static/js/dashboard/clicks.js";

const base = "http://127.0.0.1:3000/dashboard/1";

test("safeURL keeps http, https and this site's pages", () => {
  for (const u of ["/dashboard/2?plan=Basic", "/question/7#x", "https://example.com/a?b=c", "HTTP://example.com", " /browse "]) {
    assert.ok(safeURL(u), u);
  }
});

test("safeURL refuses what does not open an http page or a page of this site", () => {
  const refused = ["javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:x", "//evil.example", "/\\evil.example", "\\\\evil.example", "https:/\\evil.example", "https:evil.example",
    // A browser drops tabs and new lines from an address: "/\t/host" is "//host".
    "/\t/evil.example", "/\n/evil.example", "/\r\\evil.example", "https:\t//evil.example", "java\tscript:alert(1)",
    "/x\u0000", ""];
  for (const u of refused) {
    const got = safeURL(u);
    assert.equal(got, null, JSON.stringify(u));
  }
});

test("what safeURL keeps stays on this site or goes to http(s), as the browser reads it", () => {
  const addresses = ["/ok", "/\t/evil.example", "/\n/evil.example", "/\r\\evil.example", "/%09/evil.example", "/.//evil.example", "https://example.com"];
  for (const u of addresses) {
    const got = safeURL(u);
    if (!got) continue;
    const at = new URL(got, base);
    assert.ok(got[0] === "/" ? at.origin === new URL(base).origin : /^https?:$/.test(at.protocol), JSON.stringify(u) + " opens " + at.href);
  }
});

test("a clicked value cannot change where a URL template goes", () => {
  const cols = [{ name: "V" }];
  for (const v of ["javascript:alert(1)", "//evil.example", "/\t/evil.example", "\\evil.example", "https://evil.example"]) {
    for (const tpl of ["{{V}}", "/{{V}}", "/plans/{{V}}", "https://example.com/{{V}}"]) {
      const got = safeURL(fillTemplate(tpl, cols, [v], [], {}));
      if (!got) continue;
      const at = new URL(got, base);
      const wantOrigin = tpl[0] === "/" ? new URL(base).origin : "https://example.com";
      assert.equal(at.origin, wantOrigin, tpl + " with " + JSON.stringify(v) + " opens " + at.href);
    }
  }
});
