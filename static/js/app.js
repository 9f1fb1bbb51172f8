// Small behaviours shared by every page. Libraries come from node_modules via the set-up.
(function () {
  "use strict";
  // Auto-dismiss success messages after a while; errors stay until closed.
  document.querySelectorAll(".app-messages .alert-success").forEach(function (el) {
    setTimeout(function () { bootstrap.Alert.getOrCreateInstance(el).close(); }, 6000);
  });

  // --- Errors of htmx requests: they always show -------------------------------------------
  // A refusal (4xx) is swapped in like a success: the server answers the fragment that says
  // what was refused and why (the CAB card with its comment error, the preview naming the
  // field), or, for a refusal that has no place of its own (a role, a missing object, an
  // outdated page), a toast it sends to #toasts itself (HX-Retarget). A server error (5xx)
  // swaps nothing and shows a toast here, as does a request that got no answer at all.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "4..", swap: true, error: true },
    { code: "...", swap: false, error: true },
  ];

  var toasts = document.getElementById("toasts");
  var template = document.getElementById("toast-template");  // templates/_partials/toast.html

  function show(el) {
    // Errors stay until closed: a toast that vanished before it was read would be silent again.
    bootstrap.Toast.getOrCreateInstance(el, { autohide: false }).show();
  }

  // Whether a toast saying the same is showing: a poll that fails every few seconds says so once.
  function showing(title, text) {
    return Array.prototype.some.call(toasts.querySelectorAll(".toast.show"), function (el) {
      return el.querySelector(".toast-title").textContent === title &&
        el.querySelector(".toast-body").textContent === text;
    });
  }

  // A toast with this title and text (set as text, never as markup).
  function toast(title, text) {
    if (!toasts || !template || showing(title, text)) return;
    var el = template.content.firstElementChild.cloneNode(true);
    el.querySelector(".toast-title").textContent = title;
    el.querySelector(".toast-body").textContent = text;
    el.addEventListener("hidden.bs.toast", function () { el.remove(); });
    toasts.appendChild(el);
    show(el);
  }
  function serverError(status, requestId) {
    toast(
      "Something went wrong on our side",
      "The server could not complete this (error " + status + "), so nothing on the page " +
        "changed. Try again in a moment." +
        (requestId ? " If it keeps failing, tell the service desk and quote " + requestId + "." : "")
    );
  }

  function noAnswer() {
    toast(
      "No answer from the server",
      "Check your connection and try again: nothing on the page changed."
    );
  }
  // For the page scripts that send requests of their own (the board's drag and drop).
  window.portal = { toast: toast, serverError: serverError, noAnswer: noAnswer };

  // The server's own toasts (a refusal sent to #toasts) are shown as they arrive.
  document.body.addEventListener("htmx:load", function (event) {
    var el = event.detail.elt;
    if (!(el.classList && el.classList.contains("toast") && toasts && toasts.contains(el))) return;
    if (showing(el.querySelector(".toast-title").textContent, el.querySelector(".toast-body").textContent)) {
      el.remove();
      return;
    }
    el.addEventListener("hidden.bs.toast", function () { el.remove(); });
    show(el);
  });

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    // A whole page answered to an htmx request (a refusal no fragment was written for) is not
    // swapped into a part of this one: its title says what happened.
    if (xhr.status >= 400 && xhr.status < 500 && /<html[\s>]/i.test(event.detail.serverResponse)) {
      event.detail.shouldSwap = false;
      var title = /<title>([^<]*)<\/title>/i.exec(event.detail.serverResponse);
      var doc = new DOMParser().parseFromString(title ? title[1] : "", "text/html");
      toast("Refused", (doc.body.textContent || "The request was refused.").split(" · ")[0] + ".");
    }
  });

  document.body.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status < 500) return;  // a refusal: swapped in above
    serverError(xhr.status, xhr.getResponseHeader("X-Request-ID"));
  });

  // htmx checks a form's fields before it sends (required, min, max…) and, when one is not
  // valid, sends nothing, silently. The field says why instead, until it is corrected.
  function markInvalid(field, message) {
    var place = field.closest(".mb-3, .mb-2, [class*='col-']") || field.parentElement;
    var note = place.querySelector(".invalid-feedback[data-client-error]");
    if (!note) {
      note = document.createElement("div");
      note.className = "invalid-feedback d-block";
      note.setAttribute("data-client-error", "");
      note.setAttribute("role", "alert");
      place.appendChild(note);
      field.addEventListener("input", function clear() {
        if (!field.checkValidity()) return;
        field.classList.remove("is-invalid");
        note.remove();
        field.removeEventListener("input", clear);
      });
    }
    field.classList.add("is-invalid");
    note.textContent = message;
  }
  document.body.addEventListener("htmx:validation:halted", function (event) {
    (event.detail.errors || []).forEach(function (error) { markInvalid(error.elt, error.message); });
  });

  document.body.addEventListener("htmx:sendError", noAnswer);
  document.body.addEventListener("htmx:timeout", noAnswer);
})();
