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
