// A dashboard's text cards: Markdown read before the filters' values go
// in, so a value is always text.
import test from "node:test";
import assert from "node:assert/strict";
import { parseMarkdown } from "../static/js/dashboard/text.js";

const params = [{ id: "p1", slug: "plan", type: "category" }, { id: "p2", slug: "since", type: "date/single" }];

// shape writes parsed blocks as compact text: <tag href>kids</tag>.
function shape(kids) {
  return kids.map((k) => (typeof k === "string" ? k
    : "<" + k.tag + (k.href ? " " + k.href : "") + ">" + shape(k.kids || []) + "</" + k.tag + ">")).join("");
}

test("the author's Markdown is read", () => {
  const got = shape(parseMarkdown("# Plan {{plan}}\nRead **[the guide](https://example.com/g?p={{plan}})** or [this](javascript:alert(1))\n- one *item*\n\n{{unknown}}",
    params, { p1: ["Premium", "Basic plus"] }));
  assert.equal(got, "<h3>Plan Premium, Basic plus</h3>" +
    "<p>Read <strong><a https://example.com/g?p=Premium%2C%20Basic%20plus>the guide</a></strong> or [this](javascript:alert(1))</p>" +
    "<ul><li>one <em>item</em></li></ul><p>{{unknown}}</p>");
});

test("a filter's value is text, never Markdown", () => {
  const tests = [
    { name: "link", value: "[Sign in again](https://evil.example/login)" },
    { name: "heading on a new line", value: "Basic\n# Your session expired" },
    { name: "list on a new line", value: "Basic\r\n- item" },
    { name: "emphasis", value: "**loud** *soft* _under_ `code`" },
    { name: "markup", value: "<img src=x onerror=alert(1)>" },
    { name: "placeholder look-alike", value: "\uE0000\uE001 {{plan}}" },
  ];
  for (const tt of tests) {
    const got = parseMarkdown("Plan: {{plan}}!", params, { p1: [tt.value] });
    assert.deepEqual(got, [{ tag: "p", kids: ["Plan: " + tt.value + "!"] }], tt.name);
  }
});

test("a filter's value in a link's address is encoded and cannot change where it goes", () => {
  const tests = [
    { value: "javascript:alert(1)", want: "<p>[go]({{plan}})</p>".replace("{{plan}}", "javascript:alert(1)") },
    { value: "//evil.example", want: "<p><a /plans/%2F%2Fevil.example>go</a></p>", tpl: "[go](/plans/{{plan}})" },
    { value: "a) [x](https://evil.example", want: "<p><a https://example.com/a)%20%5Bx%5D(https%3A%2F%2Fevil.example>go</a></p>", tpl: "[go](https://example.com/{{plan}})" },
  ];
  for (const tt of tests) {
    const got = shape(parseMarkdown(tt.tpl || "[go]({{plan}})", params, { p1: [tt.value] }));
    assert.equal(got, tt.want, tt.value);
  }
});

test("private-use characters the author typed stay as typed", () => {
  assert.equal(shape(parseMarkdown("a \uE0007\uE001 {{plan}}", params, { p1: ["x"] })), "<p>a \uE0007\uE001 x</p>");
});

test("an empty value leaves an empty line", () => {
  assert.equal(shape(parseMarkdown("one\n{{plan}}\ntwo", params, {})), "<p>one</p><p>two</p>");
});
