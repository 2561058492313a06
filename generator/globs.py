"""Path globs as the config writes them (`python/sglang/srt/layers/**`), matched against the
paths of a commit's files: critical paths, watches and noise rules all mean the same by one.

At the bottom of the layers, so that the config can check a glob when it is loaded and the
analysis and the pages can match with it.
"""

from __future__ import annotations

import re

_WILDCARDS = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
_TOKENS = re.compile(r"(\*\*/|\*\*|\*|\?|\[!?[^\]]+\])")


def glob_regex(glob: str) -> re.Pattern[str]:
    """fnmatch-style, but `*` stays in one directory and `**` crosses directories.

    A glob without wildcards names a file or a whole directory.
    """
    glob = glob.strip().strip("/")
    if not any(c in glob for c in "*?["):
        return re.compile(re.escape(glob) + r"(?:/.*)?")
    out = []
    for token in _TOKENS.split(glob):
        if token in _WILDCARDS:
            out.append(_WILDCARDS[token])
        elif token.startswith("[") and token.endswith("]"):
            out.append("[^" + token[2:] if token.startswith("[!") else token)
        else:
            out.append(re.escape(token))
    return re.compile("".join(out))


def checked_glob(glob: str) -> str:
    """The glob, stripped, if it can match a path; ValueError saying why not (for the config)."""
    value = glob.strip()
    if not value.strip("/"):
        raise ValueError(f"{glob!r} is not a path glob (write e.g. docs/** or src/*.py)")
    try:
        glob_regex(value)
    except re.error as exc:
        raise ValueError(f"{glob!r} is not a path glob: {exc}") from None
    return value


def any_match(patterns: tuple[re.Pattern[str], ...], path: str) -> bool:
    return any(p.fullmatch(path) for p in patterns)
