/* Submission room: move focus to the list of missing items after a refused submission,
   so keyboard and screen-reader users land on what to fix (the box is also role="alert"). */
(function () {
  "use strict";
  var box = document.getElementById("submit-errors");
  if (box) { box.focus(); }
})();
