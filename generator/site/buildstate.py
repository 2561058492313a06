"""What site/ was last built from: how a build knows what to redo.

`<cache_dir>/site/<site>.json` (one per site folder, next to `render.rendered`'s files;
like them a cache the workflow carries with docs/ and site/) says which site folder was
built, with which inputs (`site_fingerprint`: the generated config, the theme config and
templates, the versions of MkDocs, the theme and Pagefind, the generator's code),
from which rendering of docs/ (its generation and revision), and which search
index parts were made from which built pages (`search.part_signature`).

A build whose inputs and site folder are as recorded and whose docs/ lineage is
the same only rebuilds the pages rendered since (MkDocs `--dirty`) and re-indexes
the parts whose pages' files changed; with nothing rendered since, it does
nothing. Anything else, or no readable state, means a build from scratch. The
state is removed before a build from scratch starts and written after a build
ends, so a build that fails halfway is redone from scratch.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from generator.files import write_atomic
from generator.fingerprint import code_fingerprint, fingerprint
from generator.render.rendered import place

ENGINES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "pagefind")
"""Packages whose version changes the built HTML or the index."""


@dataclass
class SiteState:
    fingerprint: str
    site_dir: str
    generation: str
    """The lineage of docs/ the site was built from (`RenderState.generation`)."""
    revision: int
    parts: dict[str, str] = field(default_factory=dict)
    """Search index part → the signature of the built pages it was made from."""
    squeezed: int = 0
    """A time by the file system's clock (`build.file_clock`) before which every built page
    was squeezed (`site.squeeze`): pages written after it, by a build that stopped
    halfway, may not be; 0 if unknown."""

    @classmethod
    def load(cls, cache_dir: Path, site_dir: Path) -> SiteState | None:
        try:
            raw = json.loads(_file(cache_dir, site_dir).read_bytes())
            state = cls(**raw)
        except (OSError, ValueError, TypeError):
            return None
        if not isinstance(state.parts, dict) or not all(
            isinstance(value, int) for value in (state.revision, state.squeezed)
        ):
            return None
        return state

    def save(self, cache_dir: Path) -> None:
        text = json.dumps(asdict(self), indent=1, sort_keys=True) + "\n"
        write_atomic(_file(cache_dir, Path(self.site_dir)), text)

    @staticmethod
    def forget(cache_dir: Path, site_dir: Path) -> None:
        _file(cache_dir, site_dir).unlink(missing_ok=True)


def _file(cache_dir: Path, site_dir: Path) -> Path:
    return cache_dir / "site" / f"{place(site_dir)}.json"


def site_fingerprint(engine_config: Path, theme_config: Path, theme_dir: Path) -> str:
    """Everything besides the rendered pages that goes into the built site and its index."""
    versions = []
    for name in ENGINES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=none")
    theme = sorted(p for p in theme_dir.rglob("*") if p.is_file())
    return fingerprint(
        code_fingerprint(),
        *versions,
        engine_config.read_bytes(),
        theme_config.read_bytes(),
        *(part for p in theme for part in (p.relative_to(theme_dir).as_posix(), p.read_bytes())),
    )
