/*
 * What every page's theme markup needs that is the same on every page, loaded once in
 * <head> rather than written into each of tens of thousands of pages.
 *
 * - mkdocs-material 9.8.1's helpers for its script (partials/javascripts/base.html): where
 *   the site's root is (the folder above this file's own, assets/, which is where the
 *   theme's inline version points) and where the reader's choices are kept.
 * - `__digest` (written above by generator/site/sitescript.py from digest.yml): the
 *   light/dark toggle's options (assets/digest-palette.js), the search box's labels
 *   (assets/digest-search.js), and the settings the theme's script reads from its
 *   `#__config` element, which this script adds to a page whose tag asks for it
 *   (`data-config`: commit, day, module and week pages), the root as an absolute address.
 * - The page's feed links renamed when the page is loaded, before the theme's script reads
 *   its links (it would fetch sitemap.xml next to each); assets/digest-search.js, which runs
 *   after the theme's script, renames them back (overrides/main.html).
 */
/* eslint-disable no-unused-vars */
var __md_scope = new URL("..", document.currentScript.src);
var __md_hash = function (value) {
  return [...value].reduce(function (hash, char) {
    return (hash << 5) - hash + char.charCodeAt(0);
  }, 0);
};
var __md_get = function (key, storage, scope) {
  storage = storage || localStorage;
  scope = scope || __md_scope;
  return JSON.parse(storage.getItem(scope.pathname + "." + key));
};
var __md_set = function (key, value, storage, scope) {
  storage = storage || localStorage;
  scope = scope || __md_scope;
  try {
    storage.setItem(scope.pathname + "." + key, JSON.stringify(value));
  } catch (error) {
    /* full or unavailable storage: the choice is not kept */
  }
};
(function () {
  "use strict";
  var tag = document.currentScript;
  if (!tag.hasAttribute("data-config")) return;
  var config = document.createElement("script");
  config.id = "__config";
  config.type = "application/json";
  config.textContent = JSON.stringify(Object.assign({ base: __md_scope.href }, __digest.config));
  tag.after(config);
})();
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("link[rel=alternate][type]").forEach(function (link) {
    if (/(rss|atom|feed)\+(xml|json)$/.test(link.type)) link.rel = "digest-feed";
  });
});
