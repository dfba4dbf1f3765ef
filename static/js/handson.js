/* Site-wide behaviour, loaded as a file (the CSP forbids inline script). */
(function () {
  "use strict";
  // Language switch submits on change for mouse users; the button remains for keyboards.
  var select = document.getElementById("language-select");
  if (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  }
})();
