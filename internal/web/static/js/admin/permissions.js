// The permissions editor drives Admin > Permissions: it keeps the edits of the
// server-rendered grids (across the groups, databases and collections the
// sidebar links to, in sessionStorage until saved), opens the sandbox modal
// when a table is set to "Sandboxed", summarises the changes and asks before
// posting them in one form with the revision the page was loaded at.

const root = document.getElementById("perm-editor");
const dataEl = document.getElementById("perm-data");

// start wires the editor; it runs only on the page that has one.
function start() {
  var cfg = JSON.parse(dataEl.textContent);
  var L = cfg.labels;
  var tab = cfg.tab;
  var storeKey = "sightline.permissions." + tab;

  var groups = {};
  (cfg.groups || []).forEach(function (g) { groups[g.id] = g; });
  var dbs = {}, tables = {};
  (cfg.databases || []).forEach(function (d) {
    dbs[d.id] = d;
    (d.tables || []).forEach(function (t) { t.db = d.id; tables[t.id] = t; });
  });
  var collections = {};
  (cfg.collections || []).forEach(function (c) { collections[c.id] = c; });
  var savedPolicies = {};
  (cfg.sandboxes || []).forEach(function (p) { savedPolicies[p.group_id + ":" + p.table_id] = p; });

  // state: cells ("group:db" -> grant), sandboxes ("group:table" -> policy),
  // colls ("group:collection" -> level) and children (collection -> bool).
  var state = { cells: {}, sandboxes: {}, colls: {}, children: {} };

  function clone(v) { return JSON.parse(JSON.stringify(v)); }
  function label(kind, v) { return (L[kind] && L[kind][v]) || v; }

  function origCell(g, db) {
    var c = cfg.perms && cfg.perms[g] && cfg.perms[g][db];
    return c ? c : { view: "blocked", create: "no", download: "none" };
  }
  function cell(g, db) {
    var k = g + ":" + db;
    return state.cells[k] || clone(origCell(g, db));
  }
  function tableLevel(c, t) {
    if (c.view !== "granular") return c.view;
    return (c.tables && c.tables[t]) || "blocked";
  }
  function sameCell(a, b) {
    if (a.view !== b.view || a.create !== b.create || a.download !== b.download) return false;
    if (a.view !== "granular") return true;
    var ka = Object.keys(a.tables || {}), kb = Object.keys(b.tables || {});
    if (ka.length !== kb.length) return false;
    return ka.every(function (t) { return (b.tables || {})[t] === a.tables[t]; });
  }

  // Wire shapes, as PUT /api/permissions/graph takes them.
  function toWire(c, db) {
    var view = c.view;
    if (c.view === "granular") {
      view = {};
      Object.keys(c.tables || {}).forEach(function (t) {
        var schema = tables[t] ? tables[t].schema : "";
        view[schema] = view[schema] || {};
        view[schema][t] = c.tables[t];
      });
    }
    return { "view-data": view, "create-queries": c.create, download: { schemas: c.download } };
  }
  function fromWire(w) {
    var c = { view: "blocked", create: w["create-queries"] || "no", download: (w.download && w.download.schemas) || "none" };
    var v = w["view-data"];
    if (typeof v === "string") {
      c.view = v;
    } else if (v && typeof v === "object") {
      c.view = "granular";
      c.tables = {};
      Object.keys(v).forEach(function (s) {
        Object.keys(v[s]).forEach(function (t) { c.tables[t] = v[s][t]; });
      });
    }
    return c;
  }

  function save() {
    try {
      sessionStorage.setItem(storeKey, JSON.stringify({ revision: cfg.revision, state: state }));
    } catch (e) { /* storage may be off: the edits then live as long as the page */ }
  }
  function restore() {
    if (cfg.pending) {
      var p = cfg.pending;
      Object.keys(p.changes || {}).forEach(function (g) {
        Object.keys(p.changes[g]).forEach(function (db) { state.cells[g + ":" + db] = fromWire(p.changes[g][db]); });
      });
      (p.sandboxes || []).forEach(function (s) { state.sandboxes[s.group_id + ":" + s.table_id] = s; });
      (p.collections || []).forEach(function (c) {
        state.colls[c.group + ":" + c.collection] = c.level;
        if (c.children) state.children[c.collection] = true;
      });
      save();
      return;
    }
    try {
      var stored = JSON.parse(sessionStorage.getItem(storeKey) || "null");
      if (stored && stored.revision === cfg.revision && stored.state) state = stored.state;
      else sessionStorage.removeItem(storeKey);
    } catch (e) { /* nothing stored */ }
    state.children = state.children || {};
  }

  // ---- the data grid ----

  function setCell(g, db, c) {
    var k = g + ":" + db;
    if (sameCell(c, origCell(g, db))) delete state.cells[k];
    else state.cells[k] = c;
  }

  // normalize keeps a grant consistent the way the server will: native SQL
  // needs unrestricted access to the whole database; blocked and no
  // self-service create nothing; sandboxing a table takes native SQL away.
  function normalize(c) {
    if (c.view !== "unrestricted" && c.create === "query-builder-and-native") c.create = "query-builder";
    if (c.view === "blocked" || c.view === "legacy-no-self-service") c.create = "no";
    if (c.view === "blocked") c.download = "none";
    if (c.view !== "granular") delete c.tables;
  }

  function dropSandboxes(g, db, keep) {
    Object.keys(state.sandboxes).forEach(function (k) {
      var p = state.sandboxes[k];
      if (String(p.group_id) === String(g) && tables[p.table_id] && String(tables[p.table_id].db) === String(db) &&
          (!keep || !keep(p.table_id))) delete state.sandboxes[k];
    });
  }

  function onDataChange(sel) {
    var g = sel.dataset.group, db = sel.dataset.database, t = sel.dataset.table, v = sel.value;
    var c = cell(g, db);
    if (t) {
      var prev = tableLevel(c, t);
      if (c.view !== "granular") {
        var base = c.view;
        c.view = "granular";
        c.tables = {};
        (dbs[db].tables || []).forEach(function (x) { c.tables[x.id] = base; });
      }
      c.tables[t] = v;
      if (v === "sandboxed") {
        // A sandboxed table is there to be explored inside its sandbox:
        // the query builder, never native SQL.
        if (c.create !== "query-builder") c.create = "query-builder";
        setCell(g, db, c);
        openSandbox(g, t, prev);
      } else {
        delete state.sandboxes[g + ":" + t];
        setCell(g, db, c);
      }
    } else if (sel.dataset.kind === "view") {
      if (v === "granular" && c.view !== "granular") {
        var level = c.view;
        c.tables = {};
        (dbs[db].tables || []).forEach(function (x) { c.tables[x.id] = level; });
      }
      c.view = v;
      normalize(c);
      if (v !== "granular") dropSandboxes(g, db);
      setCell(g, db, c);
    } else if (sel.dataset.kind === "create") {
      c.create = v;
      setCell(g, db, c);
    } else if (sel.dataset.kind === "download") {
      c.download = v;
      setCell(g, db, c);
    }
    save();
    paint();
  }

  // paint shows the current state in the grid and the save bar.
  function paint() {
    if (tab === "data") {
      root.querySelectorAll("select.perm-select").forEach(function (sel) {
        var c = cell(sel.dataset.group, sel.dataset.database);
        var v = sel.dataset.table ? tableLevel(c, sel.dataset.table) : c[sel.dataset.kind];
        if (sel.value !== v) sel.value = v;
        var orig = origCell(sel.dataset.group, sel.dataset.database);
        var ov = sel.dataset.table ? tableLevel(orig, sel.dataset.table) : orig[sel.dataset.kind];
        sel.classList.toggle("changed", v !== ov);
        if (sel.dataset.kind === "create") {
          sel.querySelectorAll("option").forEach(function (o) {
            o.disabled = o.value === "query-builder-and-native" && c.view !== "unrestricted";
          });
        }
      });
      root.querySelectorAll("tr.perm-table-row").forEach(function (tr) {
        var c = cell(tr.dataset.group, tr.dataset.database);
        tr.hidden = c.view !== "granular";
        var btn = tr.querySelector(".perm-edit-sandbox");
        var k = tr.dataset.group + ":" + tr.dataset.table;
        if (btn) btn.hidden = !(tableLevel(c, tr.dataset.table) === "sandboxed" && (state.sandboxes[k] || savedPolicies[k]));
      });
    } else {
      root.querySelectorAll("select.perm-select").forEach(function (sel) {
        var k = sel.dataset.group + ":" + sel.dataset.collection;
        var v = state.colls[k] || origColl(sel.dataset.group, sel.dataset.collection);
        if (sel.value !== v) sel.value = v;
        sel.classList.toggle("changed", k in state.colls);
      });
      var box = document.getElementById("perm-children");
      if (box) box.checked = !!state.children[root.dataset.selected];
    }
    var n = summary().length;
    document.getElementById("perm-savebar").hidden = n === 0;
    document.getElementById("perm-count").textContent = n === 1 ? "1 change" : n + " changes";
  }

  // ---- collections ----

  function origColl(g, c) {
    var m = cfg.collection_perms && cfg.collection_perms[g];
    return (m && m[String(c) === "0" ? "root" : c]) || "none";
  }
  function onCollChange(sel) {
    var k = sel.dataset.group + ":" + sel.dataset.collection;
    if (sel.value === origColl(sel.dataset.group, sel.dataset.collection)) delete state.colls[k];
    else state.colls[k] = sel.value;
    save();
    paint();
  }

  // ---- the sandbox modal ----

  var modal = document.getElementById("sandbox-modal");
  var editing = null;

  function option(value, text) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    return o;
  }

  function openSandbox(g, t, prev) {
    if (!modal) return;
    var table = tables[t];
    var k = g + ":" + t;
    var p = state.sandboxes[k] || savedPolicies[k] || null;
    editing = { g: g, t: t, prev: prev };
    document.getElementById("sandbox-subtitle").textContent = groups[g].name + ": " + dbs[table.db].name + ": " + table.name;
    var col = document.getElementById("sandbox-column");
    col.replaceChildren(option("", "Pick a column"));
    (table.fields || []).forEach(function (f) { col.appendChild(option(String(f.id), f.name)); });
    var attr = document.getElementById("sandbox-attr");
    attr.replaceChildren(option("", "Pick a user attribute"));
    (cfg.attributes || []).forEach(function (a) { attr.appendChild(option(a, a)); });
    attr.appendChild(option("__other", "Other attribute…"));
    var other = document.getElementById("sandbox-attr-other");
    other.value = "";
    other.hidden = true;
    var card = document.getElementById("sandbox-card");
    card.replaceChildren(option("0", "Pick a saved question"));
    (cfg.cards || []).forEach(function (c) {
      if (String(c.database_id) === String(table.db)) card.appendChild(option(String(c.id), c.name + (c.native ? " (SQL)" : "")));
    });
    var byCol = document.getElementById("sandbox-by-column");
    var byView = document.getElementById("sandbox-by-view");
    byCol.checked = true;
    byView.checked = false;
    var bound = {};
    if (p) {
      var names = Object.keys(p.attribute_remappings || {}).filter(function (n) {
        var target = p.attribute_remappings[n];
        if (target && target[0] === "variable" && target[1]) { bound[target[1][1]] = n; return false; }
        return true;
      });
      byCol.checked = names.length > 0;
      if (names.length) {
        var target = p.attribute_remappings[names[0]];
        if (target && target[1] && target[1][0] === "field") col.value = String(target[1][1]);
        if ((cfg.attributes || []).indexOf(names[0]) >= 0) attr.value = names[0];
        else { attr.value = "__other"; other.hidden = false; other.value = names[0]; }
      }
      card.value = String(p.card_id || 0);
      byView.checked = !!p.card_id;
    }
    paintVariables(bound);
    document.getElementById("sandbox-column-fields").hidden = !byCol.checked;
    document.getElementById("sandbox-view-fields").hidden = !byView.checked;
    document.getElementById("sandbox-error").hidden = true;
    modal.showModal();
  }

  // cardByID finds a saved question the modal offers.
  function cardByID(id) {
    return (cfg.cards || []).filter(function (c) { return String(c.id) === String(id); })[0] || null;
  }

  // paintVariables lists the variables of the chosen SQL question, each
  // with the user attribute bound to it (bound maps variable -> attribute).
  function paintVariables(bound) {
    var box = document.getElementById("sandbox-variables");
    box.replaceChildren();
    var c = cardByID(document.getElementById("sandbox-card").value);
    if (!c || !c.native) return;
    (c.variables || []).forEach(function (v, i) {
      var label = document.createElement("label");
      label.htmlFor = "sandbox-var-" + i;
      label.textContent = "Variable {{" + v + "}} takes the user attribute";
      var sel = document.createElement("select");
      sel.id = "sandbox-var-" + i;
      sel.className = "sandbox-var";
      sel.dataset.variable = v;
      sel.appendChild(option("", "None"));
      var attrs = (cfg.attributes || []).slice();
      if (bound[v] && attrs.indexOf(bound[v]) < 0) attrs.push(bound[v]);
      attrs.forEach(function (a) { sel.appendChild(option(a, a)); });
      sel.value = bound[v] || "";
      box.appendChild(label);
      box.appendChild(sel);
    });
  }

  function closeSandbox(saved) {
    if (!editing) return;
    var e = editing;
    editing = null;
    modal.close();
    var k = e.g + ":" + e.t;
    if (!saved && !state.sandboxes[k] && !savedPolicies[k]) {
      // Cancelled without a policy: the table goes back to its level.
      var c = cell(e.g, tables[e.t].db);
      c.tables[e.t] = e.prev === "sandboxed" ? "blocked" : e.prev;
      setCell(e.g, tables[e.t].db, c);
    }
    save();
    paint();
  }

  function saveSandbox() {
    var err = document.getElementById("sandbox-error");
    var byCol = document.getElementById("sandbox-by-column").checked;
    var field = document.getElementById("sandbox-column").value;
    var attr = document.getElementById("sandbox-attr").value;
    if (attr === "__other") attr = document.getElementById("sandbox-attr-other").value.trim();
    var byView = document.getElementById("sandbox-by-view").checked;
    var card = byView ? parseInt(document.getElementById("sandbox-card").value, 10) || 0 : 0;
    var remaps = {};
    if (byView && !card) {
      err.textContent = "Pick the saved question of the custom view.";
      err.hidden = false;
      return;
    }
    if (byCol) {
      if (!field || !attr) {
        err.textContent = "Pick a column and the user attribute it must equal.";
        err.hidden = false;
        return;
      }
      remaps[attr] = ["dimension", ["field", parseInt(field, 10), null]];
    } else if (!card) {
      err.textContent = "Filter by a column, or pick a saved question as the custom view.";
      err.hidden = false;
      return;
    }
    var clash = false;
    Array.prototype.forEach.call(document.querySelectorAll("#sandbox-variables .sandbox-var"), function (sel) {
      if (!sel.value) return;
      if (remaps[sel.value]) clash = true;
      remaps[sel.value] = ["variable", ["template-tag", sel.dataset.variable]];
    });
    if (clash) {
      err.textContent = "Each user attribute can go to one column or variable only.";
      err.hidden = false;
      return;
    }
    var e = editing;
    state.sandboxes[e.g + ":" + e.t] = { group_id: parseInt(e.g, 10), table_id: parseInt(e.t, 10), card_id: card, attribute_remappings: remaps };
    closeSandbox(true);
  }

  function describePolicy(p) {
    var t = tables[p.table_id];
    var parts = [];
    Object.keys(p.attribute_remappings || {}).forEach(function (a) {
      var target = p.attribute_remappings[a];
      if (target && target[0] === "variable") {
        parts.push("variable {{" + (target[1] && target[1][1]) + "}} = user attribute " + a);
        return;
      }
      var fid = target && target[1] && target[1][1];
      var f = t && (t.fields || []).filter(function (x) { return x.id === fid; })[0];
      parts.push((f ? f.name : "column " + fid) + " = user attribute " + a);
    });
    if (p.card_id) {
      var c = (cfg.cards || []).filter(function (x) { return x.id === p.card_id; })[0];
      parts.push("custom view " + (c ? c.name : "question " + p.card_id));
    }
    return parts.join(", ");
  }

  // ---- summary and save ----

  // summary lists every change as "Group: Database: Table: What: from -> to".
  function summary() {
    var out = [];
    if (tab === "data") {
      Object.keys(state.cells).sort().forEach(function (k) {
        var ids = k.split(":"), g = ids[0], db = ids[1];
        var o = origCell(g, db), c = state.cells[k];
        var head = (groups[g] ? groups[g].name : "Group " + g) + ": " + (dbs[db] ? dbs[db].name : "Database " + db) + ": ";
        if (o.view !== c.view) out.push(head + "View data: " + label("view", o.view) + " -> " + label("view", c.view));
        if (c.view === "granular") {
          (dbs[db] ? dbs[db].tables : []).forEach(function (t) {
            var a = tableLevel(o, t.id), b = tableLevel(c, t.id);
            if (a !== b) out.push(head + t.name + ": View data: " + label("view", a) + " -> " + label("view", b));
          });
        }
        if (o.create !== c.create) out.push(head + "Create queries: " + label("create", o.create) + " -> " + label("create", c.create));
        if (o.download !== c.download) out.push(head + "Download results: " + label("download", o.download) + " -> " + label("download", c.download));
      });
      Object.keys(state.sandboxes).sort().forEach(function (k) {
        var p = state.sandboxes[k], t = tables[p.table_id];
        if (!t) return;
        out.push(groups[p.group_id].name + ": " + dbs[t.db].name + ": " + t.name + ": Sandbox: " + describePolicy(p));
      });
    } else {
      Object.keys(state.colls).sort().forEach(function (k) {
        var ids = k.split(":"), g = ids[0], c = ids[1];
        var name = collections[c] ? collections[c].name : "Collection " + c;
        out.push((groups[g] ? groups[g].name : "Group " + g) + ": " + name + ": Collection access: " +
          label("collection", origColl(g, c)) + " -> " + label("collection", state.colls[k]) +
          (state.children[c] ? " (and its sub-collections)" : ""));
      });
    }
    return out;
  }

  function submit() {
    var changes, sandboxes = [];
    if (tab === "data") {
      changes = {};
      Object.keys(state.cells).forEach(function (k) {
        var ids = k.split(":");
        changes[ids[0]] = changes[ids[0]] || {};
        changes[ids[0]][ids[1]] = toWire(state.cells[k], ids[1]);
      });
      Object.keys(state.sandboxes).forEach(function (k) { sandboxes.push(state.sandboxes[k]); });
    } else {
      changes = Object.keys(state.colls).map(function (k) {
        var ids = k.split(":");
        return { group: parseInt(ids[0], 10), collection: parseInt(ids[1], 10), level: state.colls[k], children: !!state.children[ids[1]] };
      });
    }
    document.getElementById("perm-changes").value = JSON.stringify(changes);
    document.getElementById("perm-sandboxes").value = JSON.stringify(sandboxes);
    // The page that answers carries the edits back if the save is refused.
    sessionStorage.removeItem(storeKey);
    document.getElementById("perm-form").submit();
  }

  // ---- wiring ----

  restore();
  root.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches("select.perm-select")) {
      if (tab === "data") onDataChange(el);
      else onCollChange(el);
    } else if (el.id === "perm-children") {
      if (el.checked) state.children[root.dataset.selected] = true;
      else delete state.children[root.dataset.selected];
      save();
      paint();
    } else if (el.id === "sandbox-attr") {
      var other = document.getElementById("sandbox-attr-other");
      other.hidden = el.value !== "__other";
      if (!other.hidden) other.focus();
    } else if (el.id === "sandbox-by-column") {
      document.getElementById("sandbox-column-fields").hidden = !el.checked;
    } else if (el.id === "sandbox-by-view") {
      document.getElementById("sandbox-view-fields").hidden = !el.checked;
    } else if (el.id === "sandbox-card") {
      paintVariables({});
    }
  });
  root.addEventListener("click", function (e) {
    var el = e.target.closest("button");
    if (!el) return;
    if (el.classList.contains("perm-edit-sandbox")) {
      openSandbox(el.dataset.group, el.dataset.table, "sandboxed");
    } else if (el.id === "sandbox-save") {
      saveSandbox();
    } else if (el.id === "sandbox-cancel") {
      closeSandbox(false);
    } else if (el.id === "perm-save") {
      var list = document.getElementById("perm-summary");
      list.replaceChildren();
      summary().forEach(function (line) {
        var li = document.createElement("li");
        li.textContent = line;
        list.appendChild(li);
      });
      document.getElementById("perm-confirm").showModal();
    } else if (el.id === "perm-confirm-cancel") {
      document.getElementById("perm-confirm").close();
    } else if (el.id === "perm-confirm-yes") {
      el.disabled = true;
      submit();
    } else if (el.id === "perm-discard") {
      state = { cells: {}, sandboxes: {}, colls: {}, children: {} };
      sessionStorage.removeItem(storeKey);
      paint();
    }
  });
  if (modal) {
    // Escape closes the dialog: treat it as Cancel.
    modal.addEventListener("cancel", function (e) {
      e.preventDefault();
      closeSandbox(false);
    });
  }
  paint();
}

if (root && dataEl) start();
