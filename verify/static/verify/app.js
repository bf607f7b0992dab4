// Small enhancements for every page; everything works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // An htmx request that fails swaps nothing (htmx leaves error responses alone): say so, so a
  // click never looks as if it worked. 404: what was clicked is gone (merged, removed).
  function requestFailed(message) {
    var box = document.getElementById("request-failed");
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
  }
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("request-failed");
    if (!box) return;
    var status = event.detail.xhr.status;
    requestFailed(status === 404 ? box.dataset.gone : box.dataset.failed.replace("{status}", status));
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("request-failed");
    if (box) requestFailed(box.dataset.offline);
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("request-failed");
    if (box) box.hidden = true;
  });
  // The language switcher submits itself on change.
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.requestSubmit();
  });
})();
