"""`python -m generator.site.mkdocs_dirty build --dirty --strict -f CONFIG`: MkDocs' own
command line, except that the warning every `--dirty` build logs does not count.

A dirty build rebuilds only the pages whose Markdown is newer than their HTML. MkDocs
warns that this may leave other pages' navigation stale, and `--strict` turns that
warning into a failure. Here it cannot: the generator re-renders every page whose
links or navigation a change touches, and builds from scratch whenever the theme,
the config or the navigation changed. Every other warning still fails the build.
This is how the build is run, not part of the site: `mkdocs.generated.yml` has no
hooks or plugins, and `mkdocs build` or `zensical build` builds it as before.
"""

from __future__ import annotations

import logging
import sys

DIRTY_NOTICE = "A 'dirty' build is being performed"


class _DirtyNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_NOTICE)


def main() -> None:
    from mkdocs.__main__ import cli

    # The build module logs the notice; a filter on its own logger drops the record before
    # any handler, the strict-mode counter included, sees it.
    logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())
    cli(prog_name="mkdocs")


if __name__ == "__main__":
    sys.exit(main())
