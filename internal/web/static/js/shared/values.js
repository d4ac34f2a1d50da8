// Small pure helpers over JSON values and names.

// clone deep-copies a JSON value (undefined stays undefined).
export function clone(v) { return v === undefined ? undefined : JSON.parse(JSON.stringify(v)); }

// settingsOf reads visualization settings stored as an object or as JSON
// text; anything unreadable is no settings.
export function settingsOf(v) {
  if (!v) return {};
  if (typeof v === "string") {
    try { return JSON.parse(v) || {}; } catch (e) { return {}; }
  }
  return v;
}

// slug mirrors sightline.Slug: lower-case letters and digits joined by
// dashes, at most 80 characters, for /dashboard/ID-slug and
// /question/ID-slug links.
export function slug(name) {
  let out = "";
  let dash = false;
  for (const ch of String(name || "").toLowerCase()) {
    if ((ch >= "a" && ch <= "z") || (ch >= "0" && ch <= "9")) {
      if (dash && out) out += "-";
      dash = false;
      out += ch;
    } else {
      dash = true;
    }
    if (out.length >= 80) break;
  }
  return out;
}
