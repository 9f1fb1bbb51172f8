// The triage board: drag a card to another stage; the server decides, the board follows.
(function () {
  "use strict";
  var board = document.querySelector(".board");
  if (!board || board.dataset.canMove !== "1") return;
  var alertBox = document.getElementById("board-alert");
  var modalEl = document.getElementById("move-comment");
  var modal = bootstrap.Modal.getOrCreateInstance(modalEl);

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function showError(text) {
    alertBox.textContent = text;
    alertBox.classList.remove("d-none");
    alertBox.scrollIntoView({ block: "nearest" });
  }

  function askComment() {
    return new Promise(function (resolve) {
      var form = document.getElementById("move-comment-form");
      var text = document.getElementById("move-comment-text");
      var done = false;
      text.value = "";
      form.onsubmit = function (e) { e.preventDefault(); done = true; modal.hide(); resolve(text.value); };
      modalEl.addEventListener("hidden.bs.modal", function once() {
        modalEl.removeEventListener("hidden.bs.modal", once);
        if (!done) resolve(null);
      });
      modal.show();
      setTimeout(function () { text.focus(); }, 200);
    });
  }

  function putBack(evt) {
    var ref = evt.from.children[evt.oldIndex] || null;
    evt.from.insertBefore(evt.item, ref);
  }

  async function move(evt) {
    var card = evt.item, stage = evt.to.dataset.stage;
    var comment = "";
    // The move table says which moves need a comment; the card carries its own.
    if ((card.dataset.needsComment || "").split(",").indexOf(stage) !== -1) {
      comment = await askComment();
      if (comment === null) { putBack(evt); return; }
    }
    var body = new FormData();
    body.append("to", stage);
    body.append("comment", comment);
    card.classList.add("is-moving");
    var response;
    try {
      response = await fetch(card.dataset.url, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      });
    } catch (err) {
      response = null;
    }
    card.classList.remove("is-moving");
    // The same messages as every htmx request's (static/js/app.js): no answer, a server error.
    if (response === null) { putBack(evt); window.portal.noAnswer(); return; }
    if (response.status >= 500) {
      putBack(evt);
      window.portal.serverError(response.status, response.headers.get("X-Request-ID"));
      return;
    }
    if (!response.ok) {
      // A refusal says why in its JSON body (the move table's reason).
      var data = await response.json().catch(function () { return {}; });
      putBack(evt);
      showError(card.dataset.code + ": " + (data.detail || "the move was refused (" + response.status + ")."));
      return;
    }
    // The move is saved: reload so columns are re-ranked and counts are right.
    window.location.reload();
  }

  function sortable(list) {
    if (list.dataset.sortable) return;
    list.dataset.sortable = "1";
    new Sortable(list, {
      // forceFallback: mouse and touch events instead of native drag and drop, which
      // behaves the same in every browser (and in the browser tests).
      group: "board", sort: false, animation: 150, draggable: ".board-card", forceFallback: true,
      ghostClass: "board-card-ghost", filter: "button, .dropdown-menu", preventOnFilter: false,
      fallbackTolerance: 5,  // a click on the title stays a click
      onAdd: move,
    });
  }

  board.querySelectorAll(".board-cards").forEach(sortable);
  // "Show more" swaps a column in place: its new list of cards takes drops too.
  document.body.addEventListener("htmx:afterSwap", function () {
    board.querySelectorAll(".board-cards").forEach(sortable);
  });
})();
