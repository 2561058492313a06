/*
 * mkdocs-material 9.8.1's helpers for its script (partials/javascripts/base.html): where the
 * site's root is, and where the reader's choices are kept. The theme writes them inline in
 * every page; here they are a file loaded once, and the root is the folder above this
 * file's own (assets/), which is where the theme's inline version points.
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
