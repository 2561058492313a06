/*
 * The reader's choice of light or dark, applied before the page is drawn: what
 * mkdocs-material 9.8.1 does in a script inline in its header
 * (partials/javascripts/palette.html), here in a file the browser loads once for the whole
 * site. It runs right after the header's palette form, and needs the theme's `__md_get`
 * (partials/javascripts/base.html, in <head>).
 */
(function () {
  "use strict";
  var palette = __md_get("__palette");
  if (!palette || !palette.color) return;
  if (palette.color.media === "(prefers-color-scheme)") {
    var scheme = matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark";
    var input = document.querySelector(
      "[data-md-color-media='(prefers-color-scheme: " + scheme + ")']",
    );
    palette.color.media = input.getAttribute("data-md-color-media");
    palette.color.scheme = input.getAttribute("data-md-color-scheme");
    palette.color.primary = input.getAttribute("data-md-color-primary");
    palette.color.accent = input.getAttribute("data-md-color-accent");
  }
  for (var key in palette.color) {
    document.body.setAttribute("data-md-color-" + key, palette.color[key]);
  }
})();
