/* The plan editor's unsaved edits: which fields differ from the saved plan, a warning before
   leaving the page with them, and the address of a new plan once it is saved.
   Called from clientside callbacks in dashboards/pages/plans/callbacks.py. */
(function () {
  "use strict";
  var LEAVE = "This plan has unsaved edits. Leave without saving them?";
  window.fitbudUnsaved = false;

  function blank(value) {
    return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
  }

  function same(saved, shown) {
    if (blank(saved) || blank(shown)) return blank(saved) && blank(shown);
    if (typeof saved === "boolean" || typeof shown === "boolean") return Boolean(saved) === Boolean(shown);
    var a = Number(saved), b = Number(shown);
    if (!isNaN(a) && !isNaN(b) && String(saved).trim() !== "" && String(shown).trim() !== "") return a === b;
    return String(saved).trim() === String(shown).trim();
  }

  function at(content, path) {
    return String(path).split(".").reduce(function (node, key) {
      return node === undefined || node === null ? undefined : node[/^\d+$/.test(key) ? Number(key) : key];
    }, content);
  }

  function tagList(text) {
    return (text || "").split(",").map(function (t) { return t.trim().toLowerCase(); }).filter(Boolean).join(",");
  }

  window.fitbudPlanDirty = function (draft, ids, values, meta) {
    if (!draft || !draft.saved) { window.fitbudUnsaved = false; return false; }
    var dirty = Boolean(draft.dirty);
    for (var i = 0; !dirty && i < (ids || []).length; i++) {
      if (!same(at(draft.saved.content, ids[i].path), values[i])) dirty = true;
    }
    var saved = draft.saved.meta || {};
    if (!dirty && (!same(saved.name, meta.name) || !same(saved.description, meta.description))) dirty = true;
    if (!dirty && tagList(saved.tags) !== tagList(meta.tags)) dirty = true;
    window.fitbudUnsaved = dirty;
    return dirty;
  };

  window.fitbudPlanAddress = function (draft, prefix) {
    // A new plan, once saved, gets its own address (without reloading the editor).
    if (draft && draft.plan_id && /\/plans\/new$/.test(window.location.pathname)) {
      window.history.replaceState(window.history.state, "", prefix + "plans/" + draft.plan_id);
      return draft.plan_id;
    }
    return window.dash_clientside.no_update;
  };

  window.addEventListener("beforeunload", function (event) {
    if (window.fitbudUnsaved) { event.preventDefault(); event.returnValue = LEAVE; }
  });

  // In-app links change the page without unloading it: ask before they do.
  document.addEventListener("click", function (event) {
    if (!window.fitbudUnsaved) return;
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.pathname === window.location.pathname) return;
    if (window.confirm(LEAVE)) { window.fitbudUnsaved = false; return; }
    event.preventDefault();
    event.stopPropagation();
  }, true);
})();

/* Diet items: a food's macros follow its quantity. The editor remembers each item's last
   quantity (its basis); when the quantity changes, kcal, protein, carbs and fat are scaled by
   new / old. An item named like a food of the table (in g, oz or servings) then gets its exact
   values from the table on the server (callbacks.fill_from_table), and is saved as a reference. */
(function () {
  "use strict";
  var MACROS = ["kcal", "protein", "carbs", "fat"];

  function quantities(ids, values) {
    var found = {};
    (ids || []).forEach(function (id, i) {
      var match = /^(.*)\.quantity$/.exec(id.path);
      if (match && Number(values[i]) > 0) found[match[1]] = Number(values[i]);
    });
    return found;
  }

  // The table's values for the item when it names a food of the table (the editor's datalist,
  // whose options carry energy and macros per 100 g and the serving's grams) in g, oz or
  // servings with a quantity: {kcal, protein, carbs, fat}, rounded like the server's; else null.
  var GRAMS_PER_OUNCE = 28.35;
  function fromTable(item, ids, values) {
    var name = null, unit = null, quantity = null;
    (ids || []).forEach(function (id, i) {
      if (id.path === item + ".food") name = values[i];
      if (id.path === item + ".unit") unit = values[i];
      if (id.path === item + ".quantity") quantity = Number(values[i]);
    });
    if (typeof name !== "string" || ["g", "oz", "serving"].indexOf(unit) === -1 || !(quantity > 0)) return null;
    var wanted = name.trim().toLowerCase(), found = null;
    Array.prototype.some.call(document.querySelectorAll("#pe-food-names option"), function (option) {
      if (option.value.toLowerCase() !== wanted) return false;
      found = option;
      return true;
    });
    if (!found || !found.dataset.per100g) return null;
    var grams = unit === "serving" ? quantity * Number(found.dataset.servingG)
      : unit === "oz" ? quantity * GRAMS_PER_OUNCE : quantity;
    var per100 = found.dataset.per100g.split(",").map(Number), result = {};
    MACROS.forEach(function (macro, i) { result[macro] = Math.round(per100[i] * grams / 100 * 10) / 10; });
    return result;
  }

  window.fitbudScaleMacros = function (values, draft, ids, known) {
    var noUpdate = window.dash_clientside.no_update;
    var unchanged = (values || []).map(function () { return noUpdate; });
    var triggered = (window.dash_clientside.callback_context.triggered || []).map(function (t) { return t.prop_id; });
    var fromField = triggered.length === 1 && triggered[0].indexOf('"type":"pe-f"') !== -1;
    if (!fromField || !draft || draft.kind !== "diet") return [unchanged, quantities(ids, values)];
    var path = JSON.parse(triggered[0].slice(0, triggered[0].lastIndexOf("."))).path;
    var now = quantities(ids, values);
    var edited = /^(.*)\.(food|quantity|unit)$/.exec(path);
    if (!edited) return [unchanged, now];
    var item = edited[1];
    var table = fromTable(item, ids, values);
    var before = (known || {})[item], after = now[item];
    if (!table && (edited[2] !== "quantity" || !(before > 0) || !(after > 0) || before === after)) return [unchanged, now];
    var scaled = unchanged.slice();
    ids.forEach(function (id, i) {
      var macro = id.path.slice(item.length + 1);
      if (id.path.indexOf(item + ".") !== 0 || MACROS.indexOf(macro) === -1) return;
      if (table) {
        scaled[i] = table[macro];
      } else if (values[i] !== null && values[i] !== "") {
        var value = Number(values[i]) * after / before;
        scaled[i] = macro === "kcal" ? Math.round(value) : Math.round(value * 10) / 10;
      }
    });
    return [scaled, now];
  };
})();
