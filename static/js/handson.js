/* Site-wide behaviour, loaded as a file (the CSP forbids inline script). */
(function () {
  "use strict";
  // Language switch submits on change for mouse users; the button remains for keyboards.
  var select = document.getElementById("language-select");
  if (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  }

  // Staff, committee and expert sessions end after 30 idle minutes: warn 2 minutes before.
  var idle = parseInt(document.body.getAttribute("data-idle-seconds") || "0", 10);
  var warning = document.getElementById("session-warning");
  if (!idle || !warning) { return; }
  var timer;
  function arm() {
    clearTimeout(timer);
    warning.hidden = true;
    timer = setTimeout(function () { warning.hidden = false; }, Math.max(idle - 120, 30) * 1000);
  }
  var keep = document.getElementById("session-keepalive");
  keep.addEventListener("click", function () {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(keep.getAttribute("data-url"), {
      method: "POST", credentials: "same-origin",
      headers: {"X-CSRFToken": token ? token.value : ""}
    }).then(arm);
  });
  arm();
})();
