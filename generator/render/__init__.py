"""The rendering stage: records → the Markdown pages and the feeds under docs/.

A pure function of the records, the site settings and the templates: no
network, no clock, byte-identical output for the same inputs.

- `settings`: the few settings pages need (`SiteSettings`), not the whole config;
- `archive`: every record, indexed the way pages look things up;
- `pages` (with `contexts` and `templates/`): one page of each kind, or all of them;
  day and commit pages there, home, repository, archive and month pages in `indexes`,
  with `activity` (what they count) and `charts` (SVG);
- `feeds` (with `feedformats`): the feeds in RSS, Atom and JSON Feed; `subscriptions`
  names every feed for both the feeds and the pages that offer them;
- `links`, `mdtext`, `i18n`: page paths, untrusted text as Markdown, labels.

This module imports none of them, so that `generator.models` can use `mdtext`
without importing the renderers (which import the models).
"""

from __future__ import annotations

from typing import NamedTuple


class Rendered(NamedTuple):
    """One output file: where it goes under docs/, and its text."""

    path: str
    text: str
