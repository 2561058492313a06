"""Release reports: what changed between a repository's releases (README: Releases).

* `update_releases(refs, repo, data_dir, since, tz)`: the release records a run writes;
* `compare_refs(refs, repo, old, new, rules)`: the comparison of any two refs (`report`);
* `resolve(refs, text, tz)`: a tag, branch, sha or date as a `Ref`;
* `open_refs(repo, source)`: the `Refs` of a repository's opened source;
* `load_releases(data_dir, repo)`: the stored records, for the pages.
"""

from generator.releases.open import open_refs
from generator.releases.record import (
    ModuleChange,
    Ref,
    ReleaseCommit,
    ReleaseRecord,
    load_releases,
    release_path,
)
from generator.releases.refs import RangeCommit, Refs, UnknownRef
from generator.releases.report import compare_refs
from generator.releases.update import ReleaseUpdate, resolve, update_releases
from generator.releases.versions import Tag, release_tags, version_of

__all__ = [
    "ModuleChange",
    "RangeCommit",
    "Ref",
    "Refs",
    "ReleaseCommit",
    "ReleaseRecord",
    "ReleaseUpdate",
    "Tag",
    "UnknownRef",
    "compare_refs",
    "load_releases",
    "open_refs",
    "release_path",
    "release_tags",
    "resolve",
    "update_releases",
    "version_of",
]
