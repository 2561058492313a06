/*
 * The header's search box over the site's Pagefind index (generator/site/search.py).
 *
 * The index is split into parts, one per month, listed newest first in
 * pagefind/digest-search.json with their page counts, the values of every
 * filter, the `window` and the box's labels in the site's language. Nothing of
 * it loads with a page: the list, Pagefind's script and the newest part load
 * when the reader first opens the search. A query then searches the newest
 * parts holding up to `window` pages, each part sorted newest first, and shows
 * RESULTS_SHOWN results; "more" shows the next ones, then searches the next,
 * older parts. So the first query costs the same whatever the size of the
 * archive, and results are exactly newest first across parts (Pagefind's own
 * sort is per index: merged indexes would interleave).
 *
 * The page carries none of it: this script adds the header's search button and builds the
 * theme's search markup in a box beside it when the page loads (no script, no search to
 * open), its input, reset button and filters named from the start by the site's settings
 * (assets/digest-site.js), and gives it the
 * rest of its labels (the filters' choices, the messages) when the list arrives, so
 * tens of thousands of pages do not each carry a copy. The list is asked for as soon
 * as the reader opens the search.
 *
 * Keyboard: / s f open the search, typing searches, Up/Down move through the
 * results, Enter opens the first (or the selected) one, Tab moves through the filters and
 * the results, Escape (or Tab out of the box) closes.
 */
(() => {
  "use strict";

  // The feed links assets/digest-site.js hid from the theme's script, which has read the
  // page's links by now (its listener was added before this one): back for feed readers.
  document.addEventListener("DOMContentLoaded", () => {
    for (const link of document.querySelectorAll("link[rel=digest-feed]")) link.rel = "alternate";
  });

  const RESULTS_SHOWN = 10;
  const TYPING_PAUSE_MS = 150;
  const FILTERS = ["repo", "tier", "change_type", "topic"];
  const SELECTS = [...FILTERS, "year"];
  const SEGMENTED = /^(zh|ja|th)\b/i;

  const toggle = document.getElementById("__search");
  const header = document.querySelector(".md-header__inner");
  if (!toggle || !header || !window.__digest) return;

  // The site's settings (assets/digest-site.js) name the controls and say what to show when
  // the part list, with the rest of the labels, cannot be loaded.
  const site = window.__digest.search;
  const text = { placeholder: "", loading: "", failed: site.failed };
  const root = window.__md_scope;
  const indexUrl = new URL("pagefind/", root);
  const icons = new URL("assets/digest-icons.svg", root).pathname;
  const box = button();
  build();
  applyLabels(site);
  const form = box.querySelector("form");
  const input = box.querySelector(".md-search__input");
  const filterRow = box.querySelector(".digest-search__filters");
  const meta = box.querySelector(".md-search-result__meta");
  const list = box.querySelector(".md-search-result__list");
  const more = box.querySelector(".digest-search__more");
  const selects = Object.fromEntries(
    Array.from(filterRow.querySelectorAll("select"), (s) => [s.name, s]),
  );

  // -- the box -------------------------------------------------------------------------------

  /** The header's search button and the box it opens, at the end of the header, as the
   * theme places them (partials/header.html): made here rather than written into every
   * page, since without this script there is no search to open. Returns the box. */
  function button() {
    const label = element("label", "md-header__button md-icon");
    label.htmlFor = "__search";
    label.title = site.open;
    label.append(icon("magnify"));
    const dialog = element("div", "md-search digest-search");
    dialog.dataset.digestSearch = "";
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-label", site.open);
    header.append(label, dialog);
    return dialog;
  }

  function icon(name) {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    const use = document.createElementNS("http://www.w3.org/2000/svg", "use");
    use.setAttribute("href", `${icons}#${name}`);
    svg.append(use);
    return svg;
  }

  /** The theme's search markup (mkdocs-material 9.8.1, partials/search.html), with a row of
   * filters above the results. */
  function build() {
    const label = element("label", "md-search__overlay");
    label.htmlFor = "__search";
    const inner = element("div", "md-search__inner");
    inner.setAttribute("role", "search");
    const searchForm = element("form", "md-search__form");
    searchForm.name = "digest-search";
    searchForm.autocomplete = "off";
    const field = element("input", "md-search__input");
    const attributes = {
      type: "text", name: "query", autocapitalize: "off", autocorrect: "off",
      autocomplete: "off", spellcheck: "false", required: "", "aria-controls":
      "digest-search-results", "aria-keyshortcuts": "/ s f",
    };
    for (const [name, value] of Object.entries(attributes)) field.setAttribute(name, value);
    const back = element("label", "md-search__icon md-icon");
    back.htmlFor = "__search";
    back.append(icon("magnify"), icon("arrow-left"));
    const options = element("nav", "md-search__options");
    options.setAttribute("aria-label", box.getAttribute("aria-label"));
    const reset = element("button", "md-search__icon md-icon");
    reset.type = "reset";
    reset.tabIndex = -1;
    reset.append(icon("close"));
    options.append(reset);
    searchForm.append(field, back, options);
    const output = element("div", "md-search__output");
    const scroll = element("div", "md-search__scrollwrap");
    scroll.tabIndex = -1;
    const row = element("div", "digest-search__filters");
    row.setAttribute("role", "group");
    row.hidden = true; // until the part list brings the filters' values and names
    for (const name of [...SELECTS, "sort"]) {
      const select = element("select");
      select.name = name;
      row.append(select);
    }
    const result = element("div", "md-search-result");
    result.id = "digest-search-results";
    result.setAttribute("aria-live", "polite");
    const shown = element("div", "md-search-result__meta");
    shown.textContent = text.placeholder;
    const items = element("ol", "md-search-result__list");
    items.setAttribute("role", "presentation");
    const next = element("button", "digest-search__more");
    next.type = "button";
    next.hidden = true;
    result.append(shown, items, next);
    scroll.append(row, result);
    output.append(scroll);
    inner.append(searchForm, output);
    box.replaceChildren(label, inner);
  }

  /** The names of the box's controls in the site's language (the page's, then the list's). */
  function applyLabels(labels) {
    const field = box.querySelector(".md-search__input");
    field.placeholder = labels.input;
    field.setAttribute("aria-label", labels.input);
    const reset = box.querySelector("button[type=reset]");
    reset.title = labels.reset;
    reset.setAttribute("aria-label", labels.reset);
    const row = box.querySelector(".digest-search__filters");
    row.setAttribute("aria-label", labels.filters);
    for (const select of row.querySelectorAll("select")) {
      select.setAttribute("aria-label", labels[select.name]);
    }
  }

  /** The filters' names, an "all" choice and the values the index has; the sort order. */
  function fillFilters(values, labels) {
    for (const name of SELECTS) {
      const select = selects[name];
      if (select.options.length) continue;
      select.add(new Option(`${labels[name]}: ${labels.any}`, ""));
      for (const value of values[name] || []) select.add(new Option(value, value));
      select.hidden = select.options.length < 2; // nothing to choose (no topics recorded yet)
    }
    const sort = selects.sort;
    if (!sort.options.length) {
      sort.add(new Option(labels.newest, "newest"));
      sort.add(new Option(labels.relevance, "relevance"));
    }
    filterRow.hidden = false;
  }

  let engine = null; // a promise of the loaded index, once the search was opened
  let current = null; // the query being shown
  let typing = 0;

  // -- the index -------------------------------------------------------------------------

  function load() {
    engine = engine || start();
    return engine;
  }

  async function start() {
    if (!current) meta.textContent = text.loading;
    const response = await fetch(new URL("digest-search.json", indexUrl));
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    const manifest = await response.json();
    Object.assign(text, manifest.text);
    applyLabels(manifest.text);
    fillFilters(manifest.filters, manifest.text);
    if (!current) meta.textContent = text.placeholder;
    const parts = manifest.parts;
    const pages = manifest.window;
    const synonyms = manifest.synonyms || {};
    if (!parts.length) return { parts, window: pages, instance: null, synonyms };
    const path = (part) => new URL(`${part.id}/`, indexUrl).pathname;
    const options = (part) => ({ baseUrl: root.pathname, mergeFilter: { part: part.id } });
    const pagefind = await import(new URL(`${parts[0].id}/pagefind.js`, indexUrl).href);
    const instance = pagefind.createInstance({ basePath: path(parts[0]), ...options(parts[0]) });
    const merged = new Map([[parts[0].id, Promise.resolve()]]);
    const merge = (wanted) =>
      Promise.all(
        wanted.map((part) => {
          if (!merged.has(part.id)) {
            merged.set(part.id, instance.mergeIndex(path(part), options(part)));
          }
          return merged.get(part.id);
        }),
      );
    return { parts, window: pages, instance, merge, synonyms };
  }

  // -- a query ---------------------------------------------------------------------------

  /** The query as Pagefind should read it. On a Chinese (or Japanese, Thai) site Pagefind
   * indexes words as a segmenter cuts them, which splits `fused_moe` or `fp8_kernel.py` at
   * the `_` and `.`, while the browser keeps them whole: cut them the same way here. */
  function pagefindTerm(text) {
    const term = text.trim();
    if (!SEGMENTED.test(document.documentElement.lang) || /^".*"$/.test(term)) return term;
    return term.replace(/(\w)[_./:=,-]+(?=\w)/g, "$1 ");
  }

  /** The query with each word that is another name of a topic (推测解码) replaced by the
   * topic's name (投机解码), the name the chips of its commits show, and those topics. */
  function asTopics(term, synonyms) {
    const topics = [];
    if (!term || /^".*"$/.test(term)) return { term, topics };
    const words = term.split(/\s+/).map((word) => {
      const topic = synonyms[word.toLowerCase()];
      if (!topic) return word;
      topics.push(topic);
      return topic;
    });
    return { term: words.join(" "), topics };
  }

  function read() {
    const filters = {};
    for (const name of FILTERS) if (selects[name].value) filters[name] = selects[name].value;
    return {
      term: pagefindTerm(input.value) || null,
      typed: input.value.trim(),
      filters,
      year: selects.year.value,
      newest: selects.sort.value !== "relevance",
    };
  }

  async function search() {
    const query = read();
    const run = { ...query, parts: [], next: 0, hits: [], shown: 0, searched: [], topics: [] };
    current = run;
    if (!query.term && !Object.keys(query.filters).length && !query.year) {
      showPlaceholder();
      return;
    }
    try {
      const index = await load();
      if (current !== run) return;
      run.index = index;
      Object.assign(run, asTopics(run.term, index.synonyms));
      run.parts = index.parts.filter((part) => !run.year || part.year === run.year);
      await searchOlderParts(run);
      if (current !== run) return;
      list.replaceChildren();
      await showMore(run, false);
    } catch (error) {
      if (current === run) fail(error);
    }
  }

  /** The next parts, newest first, up to the manifest's window of pages (at least one). */
  async function searchOlderParts(run) {
    const step = [];
    let pages = 0;
    while (run.next < run.parts.length) {
      const part = run.parts[run.next];
      if (step.length && pages + part.pages > run.index.window) break;
      step.push(part);
      pages += part.pages;
      run.next += 1;
    }
    if (!step.length) return;
    await run.index.merge(step);
    const number = wholeNumber(run.typed);
    const found = [];
    for (const part of step) {
      const options = { filters: { ...run.filters, part: part.id } };
      if (run.newest) options.sort = { date: "desc" };
      let hits = (await run.index.instance.search(run.term, options)).results;
      // A word a part lacks matches the longest word it has that begins the query: for
      // "#18500" or a sha that is "1" or "0", on every page. Such a part has no results.
      if (number && hits.length && !(await shows(hits[0], number))) hits = [];
      found.push(...hits);
    }
    if (!run.newest) found.sort((a, b) => b.score - a.score);
    run.hits.push(...found);
    run.searched.push(...step);
  }

  /** The next results; when all found so far are shown, `older` searches older parts first. */
  /** A pull request number or a (short) sha, as Pagefind reads it; else null. */
  function wholeNumber(term) {
    const word = (term || "").trim().toLowerCase().replace(/^#/, "");
    return /^\d+$/.test(word) || (/^[0-9a-f]{7,40}$/.test(word) && /\d/.test(word)) ? word : null;
  }

  /** Whether a result shows a word that begins with `word`: marked in its excerpt, or in
   * its metadata. */
  async function shows(hit, word) {
    const data = await hit.data();
    const template = document.createElement("template");
    template.innerHTML = data.excerpt;
    const marked = Array.from(template.content.querySelectorAll("mark"), (m) => m.textContent);
    const meta = [...Object.values(data.meta || {}), ...facts(data)].flatMap((value) =>
      String(value).split(/\W+/),
    );
    return [...marked, ...meta].some((text) => text.trim().toLowerCase().startsWith(word));
  }

  async function showMore(run, older = true) {
    if (older && run.shown >= run.hits.length && run.next < run.parts.length) {
      await searchOlderParts(run);
      if (current !== run) return;
    }
    const batch = run.hits.slice(run.shown, run.shown + RESULTS_SHOWN);
    const data = await Promise.all(batch.map((hit) => hit.data()));
    if (current !== run) return;
    list.append(...data.map(item));
    run.shown += batch.length;
    describe(run);
  }

  // -- what the reader sees --------------------------------------------------------------

  function describe(run) {
    const count = run.hits.length;
    let line = count === 0 ? text.none : count === 1 ? text.one : text.other.replace("#", count);
    const topics = run.topics.join(", ");
    if (topics) line += ` · ${text.as_topics.replace("{topics}", topics)}`;
    const searched = run.searched.map((part) => part.id);
    if (run.next < run.parts.length && searched.length) {
      const range = text.searched
        .replace("{first}", searched[searched.length - 1])
        .replace("{last}", searched[0]);
      line += ` · ${range}`;
    }
    meta.textContent = line;
    if (run.shown < count) {
      more.textContent = text.more;
      more.hidden = false;
    } else if (run.next < run.parts.length) {
      more.textContent = text.older.replace("{month}", run.parts[run.next].id);
      more.hidden = false;
    } else {
      more.hidden = true;
    }
  }

  function showPlaceholder() {
    list.replaceChildren();
    meta.textContent = text.placeholder;
    more.hidden = true;
  }

  function fail(error) {
    list.replaceChildren();
    meta.textContent = text.failed.replace("{error}", error.message || String(error));
    more.hidden = true;
  }

  /** One result, in the theme's markup. Titles and metadata are page text: set as text. */
  function item(data) {
    const best = bestSection(data);
    const link = element("a", "md-search-result__link");
    link.href = best ? best.url : data.url;
    const article = element("article", "md-search-result__article md-typeset");
    article.append(element("div", "md-search-result__icon md-icon"));
    const title = element("h1");
    title.textContent = data.meta.title || data.url;
    article.append(title);
    const line = element("p", "digest-search__facts");
    line.textContent = facts(data).join(" · ");
    article.append(line);
    if (best) {
      const heading = element("h2");
      heading.textContent = best.title;
      article.append(heading);
    }
    const excerpt = element("p");
    excerpt.append(marked((best || data).excerpt));
    article.append(excerpt);
    link.append(article);
    const li = element("li", "md-search-result__item");
    li.append(link);
    return li;
  }

  /** A commit page: the one kind of page with a tier of its own. */
  function isCommit(data) {
    return Boolean(data.filters && data.filters.tier);
  }

  /** What a result shows beside its title: a commit's repository, date, tier, change type
   * (its filters) and whether it was reverted; a day's date. */
  function facts(data) {
    const one = (name) => (isCommit(data) ? (data.filters[name] || [])[0] : null);
    const shown = [one("repo"), data.meta.date, one("tier"), one("change_type"), data.meta.reverted];
    return shown.filter(Boolean);
  }

  /** On a day page, the commit's section that matched most. */
  function bestSection(data) {
    if (isCommit(data)) return null;
    const sections = (data.sub_results || []).filter((sub) => sub.url.includes("#"));
    if (!sections.length) return null;
    return sections.reduce((a, b) => (b.locations.length > a.locations.length ? b : a));
  }

  /** Pagefind's excerpt is escaped text with <mark> around the matches; rebuilt from its
   * text nodes and marks only, so no other markup can come through. */
  function marked(excerpt) {
    const template = document.createElement("template");
    template.innerHTML = excerpt;
    const fragment = document.createDocumentFragment();
    for (const node of template.content.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = element("mark");
        mark.textContent = node.textContent;
        fragment.append(mark);
      } else {
        fragment.append(document.createTextNode(node.textContent));
      }
    }
    return fragment;
  }

  function element(name, className) {
    const node = document.createElement(name);
    if (className) node.className = className;
    return node;
  }

  // -- opening, typing, keys -------------------------------------------------------------

  function open() {
    if (!toggle.checked) toggle.checked = true;
    load().catch(fail);
  }

  function close() {
    toggle.checked = false;
    input.blur();
  }

  function focusables() {
    return [input, ...list.querySelectorAll(".md-search-result__link"), ...(more.hidden ? [] : [more])];
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(search, TYPING_PAUSE_MS);
  });
  for (const select of Object.values(selects)) select.addEventListener("change", search);
  toggle.addEventListener("change", () => {
    if (toggle.checked) input.focus();
    else input.blur();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = list.querySelector(".md-search-result__link");
    if (first) window.location.assign(first.href);
  });
  form.addEventListener("reset", () => {
    clearTimeout(typing);
    current = null;
    showPlaceholder();
    setTimeout(() => input.focus());
  });
  more.addEventListener("click", () => {
    if (current) showMore(current).catch(fail);
  });

  // Tab past the box's last control (or back past its input) leaves the search: close it,
  // so the focus is not on the page hidden behind it.
  box.addEventListener("focusout", (event) => {
    if (toggle.checked && event.relatedTarget && !box.contains(event.relatedTarget)) close();
  });

  box.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    if (event.target instanceof HTMLSelectElement) return;
    const items = focusables();
    const at = items.indexOf(document.activeElement);
    const step = event.key === "ArrowDown" ? 1 : -1;
    const next = items[Math.min(Math.max(at + step, 0), items.length - 1)];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey || toggle.checked) return;
    const target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      event.preventDefault();
      open();
      input.focus();
    }
  });
})();
