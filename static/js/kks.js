/* KKS progressive enhancement (the pages work without it).
   After htmx swaps in a card that carries errors, bring the first error into view and focus its field:
   the user tapped a button at the bottom of a long card, and the error may sit far above it. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    var root = event.detail.elt && event.detail.elt.isConnected ? event.detail.elt : document.getElementById(event.detail.target && event.detail.target.id);
    if (!root || !root.querySelector) { return; }
    var field = root.querySelector('[aria-invalid="true"]');
    var shown = field ? (field.closest(".mb-3") || field) : root.querySelector(".alert-danger");
    if (!shown) { return; }
    shown.scrollIntoView({block: "center"});
    if (field && typeof field.focus === "function") { field.focus({preventScroll: true}); }
  });
})();

/* "Salin" buttons (hidden without JavaScript, where the text box is selected and copied by hand):
   copy the text of the box named by data-copy, and say so next to the button. */
(function () {
  "use strict";
  function ready() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var box = document.getElementById(button.getAttribute("data-copy"));
      if (!box || !navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var status = document.getElementById(button.getAttribute("aria-describedby"));
        navigator.clipboard.writeText(box.value).then(function () {
          if (status) { status.textContent = button.getAttribute("data-copied"); }
        }, function () {
          box.select();
        });
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
})();
