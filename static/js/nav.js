/* The main menu's button below ~768 px, and wide tables reachable by keyboard (no framework, no inline script: the CSP allows 'self'
   scripts only). Loaded in <head> without defer so the page is marked "js" before it paints: the
   menu collapses only where this script runs; without it the menu stays open. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function setup() {
    var button = document.querySelector(".menu-toggle");
    var menu = document.getElementById("site-menu");
    if (!button || !menu) { return; }
    button.hidden = false;
    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    }
    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        set(false);
        button.focus();
      }
    });
  }
  /* A table wider than its container scrolls inside it: let the keyboard reach it. */
  function scrollables() {
    var boxes = document.querySelectorAll("table.data, .table-scroll");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
      }
    }
  }
  function ready() {
    setup();
    scrollables();
    window.addEventListener("resize", scrollables);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
