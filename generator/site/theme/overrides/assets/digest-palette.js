/*
 * The light/dark toggle in the header, and the reader's choice applied before the page is
 * drawn. It runs right after the header's empty palette form, with the config's
 * `theme.palette` in `__digest.palette` (assets/digest-site.js, in <head>): it adds the
 * inputs and labels mkdocs-material 9.8.1 writes there (partials/palette.html), which the
 * theme's script then drives, and does what the theme's inline script does next
 * (partials/javascripts/palette.html). Written once for the whole site rather than repeated
 * in every page. Needs the theme's `__md_get` and `__md_scope` (assets/digest-site.js).
 */
(function () {
  "use strict";
  var form = document.currentScript.previousElementSibling;
  // The generated palette sets no primary or accent colour nor an option without a toggle,
  // so neither is passed (generator/site/sitescript.py).
  var options = __digest.palette.map(function (option) {
    return { scheme: option.scheme, media: option.media, toggle: option };
  });
  var icons = new URL("assets/digest-icons.svg", __md_scope).href;
  options.forEach(function (option, index) {
    var input = document.createElement("input");
    input.className = "md-option";
    input.type = "radio";
    input.name = "__palette";
    input.id = "__palette_" + index;
    input.setAttribute("data-md-color-media", option.media || "");
    input.setAttribute("data-md-color-scheme", option.scheme || "default");
    input.setAttribute("data-md-color-primary", option.primary || "indigo");
    input.setAttribute("data-md-color-accent", option.accent || "indigo");
    form.append(input);
    if (!option.toggle) {
      input.setAttribute("aria-hidden", "true");
      return;
    }
    input.setAttribute("aria-label", option.toggle.name);
    var label = document.createElement("label");
    label.className = "md-header__button md-icon";
    label.title = option.toggle.name;
    label.htmlFor = "__palette_" + ((index + 1) % options.length);
    label.hidden = true;
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    var use = document.createElementNS("http://www.w3.org/2000/svg", "use");
    use.setAttribute("href", icons + "#" + option.toggle.icon);
    svg.append(use);
    label.append(svg);
    form.append(label);
  });

  var palette = __md_get("__palette");
  if (!palette || !palette.color) return;
  if (palette.color.media === "(prefers-color-scheme)") {
    var scheme = matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark";
    var chosen = form.querySelector(
      "[data-md-color-media='(prefers-color-scheme: " + scheme + ")']",
    );
    palette.color.media = chosen.getAttribute("data-md-color-media");
    palette.color.scheme = chosen.getAttribute("data-md-color-scheme");
    palette.color.primary = chosen.getAttribute("data-md-color-primary");
    palette.color.accent = chosen.getAttribute("data-md-color-accent");
  }
  for (var key in palette.color) {
    document.body.setAttribute("data-md-color-" + key, palette.color[key]);
  }
})();
