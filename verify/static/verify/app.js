// Small enhancements for every page; everything works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // The language switcher submits itself on change.
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.requestSubmit();
  });
})();
