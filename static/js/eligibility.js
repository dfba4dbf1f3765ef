/* Eligibility self-check: show only the questions that apply to the answers given so far.
   Each block carries data-show-when="field=value1,value2"; it is shown when the checked
   radio (or selected option) of `field` has one of those values. Without JavaScript every
   question is shown and the server ignores the ones that do not apply. */
(function () {
  "use strict";
  var form = document.getElementById("selfcheck-form");
  if (!form) { return; }
  var blocks = Array.prototype.slice.call(form.querySelectorAll("[data-show-when]"));

  function currentValue(name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    if (checked) { return checked.value; }
    var select = form.querySelector('select[name="' + name + '"]');
    return select ? select.value : "";
  }

  function update() {
    blocks.forEach(function (block) {
      var spec = block.getAttribute("data-show-when").split("=");
      var values = spec[1].split(",");
      block.hidden = values.indexOf(currentValue(spec[0])) === -1;
    });
  }

  form.addEventListener("change", update);
  update();

  var errors = document.getElementById("selfcheck-errors");
  if (errors) { errors.setAttribute("tabindex", "-1"); errors.focus(); }
})();
