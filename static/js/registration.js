/* Online registration (FORM-TIMEOUT): the 2-hour countdown, loaded as a file (CSP).
 *
 * The server renders the time left and decides; this only keeps the display current.
 * The visible countdown (role="timer", not a live region) updates every second; the
 * polite live region speaks only twice: at 10 minutes and at 1 minute left. At zero the
 * browser goes to the timeout page, where the server erases the draft.
 */
(function () {
  "use strict";
  var box = document.getElementById("registration-timer");
  if (!box) { return; }
  var countdown = document.getElementById("registration-countdown");
  var warning = document.getElementById("registration-warning");
  var announcer = document.getElementById("registration-announcer");
  var remaining = parseInt(box.getAttribute("data-remaining-seconds") || "0", 10);
  var timeoutUrl = box.getAttribute("data-timeout-url");
  var deadline = Date.now() + remaining * 1000;  // relative: the client's clock may be off
  var SOON = 600, FINAL = 60;
  var announced = {};

  function format(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var ss = (s < 10 ? "0" : "") + s;
    if (h > 0) { return h + "時間" + (m < 10 ? "0" : "") + m + "分" + ss + "秒"; }
    return m + "分" + ss + "秒";
  }

  function warn(level) {
    if (announced[level]) { return; }
    announced[level] = true;
    var text = warning.getAttribute(level === "final" ? "data-text-final" : "data-text-soon");
    warning.textContent = text;
    warning.classList.toggle("alert-danger", level === "final");
    warning.classList.toggle("alert-warning", level !== "final");
    warning.hidden = false;
    // Clear first so the same words are announced again if needed.
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 100);
  }

  function tick() {
    var ms = deadline - Date.now();
    var left = Math.max(0, Math.ceil(ms / 1000));
    countdown.textContent = format(left);
    if (left <= FINAL) { warn("final"); } else if (left <= SOON) { warn("soon"); }
    // A little after the deadline, so the server has surely expired the draft by then.
    if (ms <= -300) {
      window.clearInterval(timer);
      window.location.assign(timeoutUrl);
    }
  }

  // A page opened already inside a warning period says so once, like a crossing would.
  if (remaining <= FINAL) { announced.soon = true; }
  var timer = window.setInterval(tick, 1000);
  tick();

  // 「登録する」 sends once, whatever the number of clicks (the server also locks the draft).
  Array.prototype.forEach.call(document.querySelectorAll("form[data-submit-once]"),
    function (form) {
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-submitted")) { event.preventDefault(); return; }
        form.setAttribute("data-submitted", "1");
      });
    });

  // Put the keyboard focus on the error summary after a failed submission.
  var errors = document.getElementById("form-errors");
  if (errors) { errors.focus(); }
})();
