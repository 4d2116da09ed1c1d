/* Character counter for every <textarea maxlength>: "123/2.000" under the field, in the page's language.
   Progressive enhancement only: the server checks the limit and shows a field error without JavaScript.
   No inline script or style (CSP script-src 'self'); htmx swaps are picked up through htmx:load. */
(function () {
  "use strict";
  var format = new Intl.NumberFormat(document.documentElement.lang || "id");

  function update(area, counter) {
    var limit = parseInt(area.getAttribute("maxlength"), 10);
    var used = area.value.length;
    counter.textContent = format.format(used) + "/" + format.format(limit);
    counter.classList.toggle("text-danger", used >= limit * 0.9);
  }

  function attach(area) {
    if (area.dataset.charcount === "on" || !area.getAttribute("maxlength")) {
      return;
    }
    area.dataset.charcount = "on";
    var counter = document.createElement("div");
    counter.className = "form-text text-end charcount";
    counter.id = (area.id || area.name) + "_charcount";
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", described ? described + " " + counter.id : counter.id);
    area.insertAdjacentElement("afterend", counter);
    area.addEventListener("input", function () { update(area, counter); });
    update(area, counter);
  }

  function scan(root) {
    var areas = (root.querySelectorAll ? root : document).querySelectorAll("textarea[maxlength]");
    Array.prototype.forEach.call(areas, attach);
    if (root.matches && root.matches("textarea[maxlength]")) {
      attach(root);
    }
  }

  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
})();
