// Keyboard review: j/k move between claims, c/d/u mark the focused claim, n focuses its note,
// ? shows the shortcuts. Keys do nothing while typing in a field. After a verdict the focus
// moves to the next unreviewed claim. The buttons and forms work without this file.
(function () {
  "use strict";
  var currentId = null;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#claim-list .claim-row"));
  }

  // focus=false when the reviewer put the focus somewhere inside the row themselves (a note,
  // a button): moving it to the row would turn their typing into shortcuts.
  function setCurrent(row, scroll, focus) {
    if (!row) return;
    document.querySelectorAll(".claim-row.current, mark.hl.current").forEach(function (el) {
      el.classList.remove("current");
    });
    currentId = row.dataset.claim;
    row.classList.add("current");
    if (focus !== false) row.focus({ preventScroll: true });
    var mark = document.getElementById("hl-" + currentId);
    if (mark) mark.classList.add("current");
    if (scroll !== false) {
      row.scrollIntoView({ block: "nearest" });
      if (mark) mark.scrollIntoView({ block: "nearest" });
    }
  }

  function currentRow() {
    return currentId && document.getElementById("claim-" + currentId);
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var i = all.indexOf(currentRow());
    var next = i < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, i + step));
    setCurrent(all[next]);
  }

  function nextUnreviewedAfter(row) {
    var all = rows();
    var start = all.indexOf(row);
    for (var k = 1; k <= all.length; k++) {
      var candidate = all[(start + k) % all.length];
      if (candidate.dataset.status === "unreviewed") return candidate;
    }
    return row;
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']") !== null;
  }

  function toggleShortcuts() {
    var dialog = document.getElementById("shortcuts");
    if (!dialog) return;
    if (dialog.open) dialog.close();
    else dialog.showModal();
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    var key = event.key;
    if (key === "?") { event.preventDefault(); toggleShortcuts(); return; }
    if (key === "j") { event.preventDefault(); move(1); return; }
    if (key === "k") { event.preventDefault(); move(-1); return; }
    var row = currentRow();
    if (!row) return;
    if (key === "c" || key === "d" || key === "u") {
      var button = row.querySelector("button[data-key='" + key + "']");
      if (button) { event.preventDefault(); button.click(); }
    } else if (key === "n") {
      var note = row.querySelector("[data-note]");
      if (note) { event.preventDefault(); note.focus(); }
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-shortcuts-toggle]")) { toggleShortcuts(); return; }
    var row = event.target.closest(".claim-row");
    if (row && !event.target.closest("a, button, input, textarea, select, summary")) setCurrent(row, false);
  });

  document.addEventListener("focusin", function (event) {
    var row = event.target.closest && event.target.closest(".claim-row");
    if (row && row.dataset.claim !== currentId) setCurrent(row, false, event.target === row);
  });

  // After a verdict: the row was swapped; go on to the next unreviewed claim, unless the answer
  // is a conflict or an error the reviewer has to read first.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var path = (event.detail.requestConfig && event.detail.requestConfig.path) || "";
    var match = path.match(/\/claims\/(\d+)\/verdict\//);
    if (!match) return;
    var row = document.getElementById("claim-" + match[1]);
    if (!row) return;
    if (row.querySelector(".conflict, .error")) setCurrent(row);
    else setCurrent(nextUnreviewedAfter(row));
  });
})();
