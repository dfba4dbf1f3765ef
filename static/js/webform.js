/* WEB form: autosave per section and checks before upload (progressive enhancement).
 *
 * Without this file every section still saves with its 保存する button and uploads are
 * plain multipart POSTs; the server decides in every case. Loaded as a file (CSP).
 */
(function () {
  "use strict";

  var TYPING_PAUSE_MS = 1500;
  var CHANGE_DELAY_MS = 300;

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function errorBox(form, name) {
    var field = form.elements.namedItem(name);
    var id = null;
    if (field && field.id) { id = field.id; }
    else if (field && field.length && field[0].id) { id = field[0].id.replace(/_\d+$/, ""); }
    return id ? document.getElementById(id + "_error") : null;
  }

  function describedTarget(box) {
    // The element whose aria-describedby names the error: the fieldset of a group, else the input.
    var group = box.closest("fieldset:not(.webform-section)");
    if (group) { return [group]; }
    var id = box.id.replace(/_error$/, "");
    var input = document.getElementById(id);
    return input ? [input] : [];
  }

  function setError(box, messages) {
    box.textContent = messages.join(" ");
    describedTarget(box).forEach(function (el) {
      var ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
      var has = ids.indexOf(box.id) !== -1;
      if (messages.length && !has) { ids.push(box.id); }
      if (!messages.length && has) { ids.splice(ids.indexOf(box.id), 1); }
      if (ids.length) { el.setAttribute("aria-describedby", ids.join(" ")); }
      else { el.removeAttribute("aria-describedby"); }
      var inputs = el.tagName === "FIELDSET" ? el.querySelectorAll("input") : [el];
      Array.prototype.forEach.call(inputs, function (input) {
        if (messages.length) {
          input.setAttribute("aria-invalid", "true");
          input.classList.add("is-invalid");
        } else {
          input.removeAttribute("aria-invalid");
          input.classList.remove("is-invalid");
        }
      });
    });
  }

  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll(".invalid-feedback[id$='_error']"),
      function (box) { if (box.textContent) { setError(box, []); } });
  }

  function updateMissing(items) {
    var root = document.getElementById("missing-items");
    if (!root || !items) { return; }
    var list = root.querySelector("[data-list]");
    list.textContent = "";
    items.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    });
    root.querySelector("[data-when=complete]").classList.toggle("d-none", items.length > 0);
    root.querySelector("[data-when=incomplete]").classList.toggle("d-none", items.length === 0);
    var count = root.querySelector("[data-when=incomplete] p");
    if (count) { count.textContent = "あと" + items.length + "件の項目が必要です。"; }
  }

  function Autosave(form) {
    this.form = form;
    this.status = document.getElementById("status-" + form.getAttribute("data-autosave"));
    this.timer = null;
    this.busy = false;
    this.dirty = false;
    var self = this;
    form.addEventListener("input", function (event) {
      if (event.target.type === "radio" || event.target.type === "checkbox") { return; }
      self.schedule(TYPING_PAUSE_MS);
    });
    form.addEventListener("change", function () { self.schedule(CHANGE_DELAY_MS); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.save();
    });
  }

  Autosave.prototype.schedule = function (delay) {
    var self = this;
    this.dirty = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.save(); }, delay);
  };

  Autosave.prototype.say = function (text, isError) {
    if (!this.status) { return; }
    this.status.textContent = text;
    this.status.classList.toggle("text-danger", Boolean(isError));
  };

  Autosave.prototype.save = function () {
    var self = this;
    clearTimeout(this.timer);
    if (this.busy) { this.schedule(CHANGE_DELAY_MS); return; }
    this.busy = true;
    this.dirty = false;
    this.say("保存しています…");
    fetch(this.form.action, {
      method: "POST", body: new FormData(this.form), credentials: "same-origin",
      headers: {"X-Requested-With": "XMLHttpRequest", "X-CSRFToken": csrfToken(this.form),
                "Accept": "application/json"}
    }).then(function (response) {
      return response.json().catch(function () { return {ok: false}; }).then(function (data) {
        clearErrors(self.form);
        if (data.ok) {
          self.say(data.message);
          updateMissing(data.missing);
          return;
        }
        Object.keys(data.errors || {}).forEach(function (name) {
          var box = errorBox(self.form, name);
          if (box) { setError(box, data.errors[name]); }
        });
        self.say(data.message || "保存できませんでした。もう一度お試しください。", true);
      });
    }).catch(function () {
      self.dirty = true;
      self.say("保存できませんでした。通信状況をご確認のうえ、「保存する」を押してください。", true);
    }).then(function () { self.busy = false; });
  };

  // Before the tab goes away, send what is still unsaved (keepalive outlives the page).
  Autosave.prototype.flush = function () {
    if (!this.dirty) { return; }
    clearTimeout(this.timer);
    this.dirty = false;
    try {
      fetch(this.form.action, {
        method: "POST", body: new FormData(this.form), credentials: "same-origin",
        keepalive: true,
        headers: {"X-Requested-With": "XMLHttpRequest", "X-CSRFToken": csrfToken(this.form)}
      });
    } catch (e) { /* the button remains */ }
  };

  var savers = Array.prototype.map.call(document.querySelectorAll("form[data-autosave]"),
    function (form) { return new Autosave(form); });
  function flushAll() { savers.forEach(function (s) { s.flush(); }); }
  window.addEventListener("pagehide", flushAll);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { flushAll(); }
  });

  // Uploads: check type and size in the browser first (the server still decides).
  function uploadProblem(input) {
    var file = input.files && input.files[0];
    if (!file) { return "ファイルを選んでください。"; }
    var max = parseInt(input.getAttribute("data-max-bytes") || "0", 10);
    var isPdf = /\.pdf$/i.test(file.name) &&
      (file.type === "" || file.type === "application/pdf");
    if (!isPdf) { return "PDFファイル（拡張子 .pdf）を選んでください。"; }
    if (file.size === 0) { return "ファイルが空です（0バイト）。"; }
    if (max && file.size > max) {
      return "ファイルサイズが10MBを超えています（" + (file.size / 1048576).toFixed(1) +
        "MB）。10MB以下のPDFにしてください。";
    }
    return "";
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.document-upload"), function (form) {
    var input = form.querySelector("input[type=file]");
    if (!input) { return; }
    var box = document.getElementById(input.id + "_error");
    function check() {
      var problem = uploadProblem(input);
      if (box) { setError(box, problem ? [problem] : []); }
      return problem;
    }
    input.addEventListener("change", check);
    form.addEventListener("submit", function (event) {
      if (check()) {
        event.preventDefault();
        input.focus();
      }
    });
  });
})();
