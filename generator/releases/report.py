"""The comparison of two refs: a release record (README: Releases).

Every interface change between the two refs is computed from the declaring files at both
(each file the two trees differ in), not summed from the commits: a flag added and removed
again in between is no change to someone who upgrades. The files are read by the
interfaces' `Extractor`, as commits are, kept per run and rules: a run compares its
releases one after the other, so a tag's files are the newer side of one comparison and
the older side of the next, and a Python file at the next tag is derived from its pieces
at this one (only the pieces that changed are parsed again).

A cherry-pick on a release branch is matched to the followed branch's commit it came from
by the `(cherry picked from commit …)` line, then by the same patch among the branch's
commits of the same author and author date, then by the same subject.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from generator.analysis.paths import module_of
from generator.interfaces import Extractor, FileRevision, Rule, candidate
from generator.models import InterfaceChange
from generator.releases.record import Match, ModuleChange, Ref, ReleaseCommit, ReleaseRecord
from generator.releases.refs import RangeCommit, Refs

TOP_MODULES = 10
PICK_PREFIX = re.compile(
    r"^\s*(\[cherry[- ]?pick[^\]]*\]|cherry[- ]?pick(ed)?( to [^:]*)?:)\s*", re.IGNORECASE
)
PR_SUFFIX = re.compile(r"(\s*\(#\d+\))+\s*$")


def plain_subject(subject: str) -> str:
    """A subject without a cherry-pick prefix (`[Cherry-pick to release/v1.2] `) and the
    pull request numbers at its end: what a pick and its source share."""
    return PR_SUFFIX.sub("", PICK_PREFIX.sub("", subject)).strip().casefold()


def compare_refs(
    refs: Refs, repo: str, old: Ref, new: Ref, rules: Sequence[Rule] = ()
) -> ReleaseRecord:
    """What changed from `old` to `new`."""
    commits = refs.between(old.sha, new.sha)
    off = refs.off_branch(old.sha, new.sha) if commits else set()
    sources = _branch_sources(refs, old.sha, [c for c in commits if c.sha in off])
    listed = tuple(_release_commit(c, c.sha not in off, sources.get(c.sha)) for c in commits)
    files = refs.changed_files(old.sha, new.sha)
    changes, notes = interface_changes(refs, old.sha, new.sha, files, rules)
    return ReleaseRecord(
        repo=repo,
        release=new,
        previous=old,
        commits=listed,
        interface_changes=changes,
        interface_notes=notes,
        modules=most_changed(files),
        rules=rules_key(rules),
    )


def rules_key(rules: Sequence[Rule]) -> str:
    return hashlib.sha256(repr(tuple(rules)).encode()).hexdigest()[:16] if rules else ""


def _release_commit(
    commit: RangeCommit, on_branch: bool, source: tuple[RangeCommit, Match] | None
) -> ReleaseCommit:
    if on_branch:
        branch, match = commit, "sha"
    elif source is not None:
        branch, match = source
    else:
        return ReleaseCommit(sha=commit.sha, subject=commit.subject, committed=commit.committed)
    return ReleaseCommit(
        sha=commit.sha,
        subject=commit.subject,
        committed=commit.committed,
        branch_sha=branch.sha,
        branch_committed=branch.committed,
        match=match,  # type: ignore[arg-type]
    )


def _branch_sources(
    refs: Refs, old: str, picked: list[RangeCommit]
) -> dict[str, tuple[RangeCommit, Match]]:
    """For each commit only the release branch has, the branch commit it was picked from."""
    if not picked:
        return {}
    pool = refs.branch_since(old)
    by_sha = {c.sha: c for c in pool}
    by_author: dict[tuple[str, object], list[RangeCommit]] = defaultdict(list)
    by_subject: dict[str, list[RangeCommit]] = defaultdict(list)
    for commit in pool:
        by_author[commit.author_email, commit.authored].append(commit)
        by_subject[plain_subject(commit.subject)].append(commit)
    found: dict[str, tuple[RangeCommit, Match]] = {}
    for commit in picked:
        if commit.picked_from in by_sha:
            found[commit.sha] = (by_sha[commit.picked_from], "trailer")
            continue
        same_author = by_author.get((commit.author_email, commit.authored), [])
        if same_author and (own := refs.patch_id(commit.sha)) is not None:
            hits = [c for c in same_author if refs.patch_id(c.sha) == own]
            if hits:
                found[commit.sha] = (hits[0], "patch-id")
                continue
        plain = plain_subject(commit.subject)
        if plain and len(subjects := by_subject.get(plain, [])) == 1:
            found[commit.sha] = (subjects[0], "subject")
    return found


def interface_changes(
    refs: Refs,
    old: str,
    new: str,
    files: Sequence[tuple[str, str | None, int]],
    rules: Sequence[Rule] = (),
) -> tuple[tuple[InterfaceChange, ...], tuple[str, ...]]:
    """The changes in the declaring files that differ between `old` and `new`; a
    declaration that moved to another file unchanged is no change."""
    pairs = [
        (path, before or path)
        for path, before, _ in files
        if candidate(path, rules) or (before and candidate(before, rules))
    ]
    olds = refs.read(old, sorted({before for _, before in pairs}))
    news = refs.read(new, sorted({path for path, _ in pairs}))
    contents: dict[str, bytes] = {}

    def blob(data: bytes | None) -> str | None:
        """A revision's id for the extractor: its content's hash (git's ids are not read)."""
        if data is None:
            return None
        key = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        contents[key] = data
        return key

    revisions = [
        FileRevision(path, blob(olds.get(before)), blob(news.get(path)), before)
        for path, before in pairs
    ]
    found = _extractor(rules).changes(revisions, lambda ids: {i: contents[i] for i in ids})
    return merge_moves(found.changes), found.notes


_extractors: dict[str, Extractor] = {}


def _extractor(rules: Sequence[Rule]) -> Extractor:
    key = repr(tuple(rules))
    if key not in _extractors:
        _extractors[key] = Extractor(rules)
    return _extractors[key]


def merge_moves(changes: Sequence[InterfaceChange]) -> tuple[InterfaceChange, ...]:
    """A name removed from one file and added to another is one change (`default` when
    its text differs) or none."""
    grouped: dict[tuple[str, str], list[InterfaceChange]] = defaultdict(list)
    for change in changes:
        grouped[change.kind, change.name].append(change)
    kept: list[InterfaceChange] = []
    for group in grouped.values():
        added = [c for c in group if c.change == "added"]
        removed = [c for c in group if c.change == "removed"]
        if len(added) == 1 and len(removed) == 1:
            rest = [c for c in group if c not in (added[0], removed[0])]
            if added[0].new != removed[0].old:
                rest.append(
                    added[0].model_copy(update={"change": "default", "old": removed[0].old})
                )
            group = rest
        kept += group
    return tuple(sorted(kept, key=lambda c: (c.file, c.kind, c.name)))


def most_changed(files: Sequence[tuple[str, str | None, int]]) -> tuple[ModuleChange, ...]:
    count: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    for path, _, changed in files:
        module = module_of(path)
        count[module] += 1
        lines[module] += changed
    ranked = sorted(count, key=lambda m: (-lines[m], -count[m], m))[:TOP_MODULES]
    return tuple(ModuleChange(name=m, files=count[m], lines=lines[m]) for m in ranked)
