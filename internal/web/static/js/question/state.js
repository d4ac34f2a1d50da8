// The question being edited, shared by the question page's modules: the
// query in the wire format, its display and settings, the loaded metadata
// and what is open on screen.

export const $ = (id) => document.getElementById(id);

// ---- state ----

export const S = {
  mode: "new",
  card: null,
  query: null,
  display: "",
  settings: {},
  dirty: false,
  databases: [],
  meta: new Map(), // database id -> {tables, table(id), field(id)}
  cardCols: new Map(), // saved question id -> result columns
  editing: null, // {step, index} of the open inline editor
  preview: null, // {step, node} of the open step preview
  result: null,
  handle: null,
  actionButtons: true,
};

export function sq() { return S.query && S.query.query; }
export function isNative() { return S.query && S.query.type === "native"; }

export function changed() {
  S.dirty = true;
  // A preview shows the question as it was: a change closes it.
  S.preview = null;
  // A saved question the person may not overwrite offers Save (as a
  // copy) once it is changed.
  const b = $("save-button");
  if (b && b.hasAttribute("data-when-modified")) b.hidden = false;
}
