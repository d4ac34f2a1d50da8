// A card's click behavior: what a click on a value does (link to a URL,
// another dashboard or question, or set this dashboard's filters).

// ---- click behavior ----
// A dashboard card's visualization_settings may say what a click on its
// data does, in the vendor's keys: click_behavior for the whole card, or
// column_settings['["name","COLUMN"]'].click_behavior for one column.
// {type: "actionMenu"} (or none) opens the drill menu; {type: "link",
// linkType: "dashboard" | "question" | "url", targetId, linkTemplate,
// parameterMapping} opens another dashboard (its filters set from the
// clicked row), a saved question or a URL; {type: "crossfilter",
// parameterMapping} sets this dashboard's filters.

// clickBehaviorOf finds the click behavior for a click on column col.
export function clickBehaviorOf(settings, col) {
  const cs = settings.column_settings || {};
  const own = col && cs['["name","' + col.name + '"]'];
  if (own && own.click_behavior && own.click_behavior.type) return own.click_behavior;
  const cb = settings.click_behavior;
  return cb && cb.type ? cb : null;
}

// rowValue is the clicked row's value of a column named name (any case).
function rowValue(cols, row, name) {
  const i = cols.findIndex((c) => c.name === name);
  const j = i >= 0 ? i : cols.findIndex((c) => String(c.name).toLowerCase() === String(name).toLowerCase());
  return j >= 0 && row ? row[j] : undefined;
}

// sourceValues turns a click behavior's parameterMapping into values by
// target filter id: a column's value from the clicked row, or the current
// value of one of this dashboard's filters.
export function sourceValues(cb, cols, row, params, values) {
  const out = {};
  for (const k of Object.keys(cb.parameterMapping || {})) {
    const m = cb.parameterMapping[k] || {};
    const src = m.source || {};
    const target = (m.target && m.target.id) || k;
    if (src.type === "parameter") {
      const p = params.find((x) => x.id === src.id);
      if (p && (values[p.id] || []).length) out[target] = values[p.id].slice();
      continue;
    }
    const v = rowValue(cols, row, src.id);
    if (v !== undefined) out[target] = v === null ? [] : [String(v)];
  }
  return out;
}

// safeURL is a link opened by a click or a text card: an http or https
// address or a path of this site; anything else (javascript:, data:,
// //host) is null. A browser drops tabs and new lines anywhere in an
// address ("/\t/host" opens //host), so one holding a control character
// is null too.
export function safeURL(u) {
  const s = String(u || "").trim();
  if (/[\u0000-\u001f\u007f]/.test(s)) return null;
  if (/^\/(?![\/\\])/.test(s)) return s;
  if (/^https?:\/\/[^\/\\]/i.test(s)) return s;
  return null;
}

// fillTemplate puts the clicked row's values (by column name) and the
// dashboard's filter values (by filter slug) into a URL template's
// {{name}} places, URL-encoded.
export function fillTemplate(tpl, cols, row, params, values) {
  return String(tpl || "").replace(/\{\{\s*([^}]+?)\s*\}\}/g, (all, name) => {
    let v = rowValue(cols, row, name);
    if (v === undefined) {
      const p = params.find((x) => x.slug === name);
      v = p ? (values[p.id] || []).join(",") : "";
    }
    return encodeURIComponent(v === null || v === undefined ? "" : String(v));
  });
}
