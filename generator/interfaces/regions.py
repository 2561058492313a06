"""Where two revisions of a file differ: stretches of whole lines, found with slice
comparisons (memcmp) and `find`, not a line diff."""

from __future__ import annotations

BLOCK = 4096
Hunk = tuple[int, int, int, int]
"""old[a:b] became new[c:d], whole lines; the text between hunks is the same."""
SMALL = 2048
"""Bytes: a changed stretch this short is not split further."""
ANCHOR = 160
"""Bytes of unchanged text looked for to split a changed stretch in two."""


def common_prefix(a: bytes, b: bytes, i: int = 0, j: int = 0, limit: int | None = None) -> int:
    """Length of the longest common head of a[i:] and b[j:], at most `limit`."""
    n = min(len(a) - i, len(b) - j) if limit is None else limit
    lo, step = 0, BLOCK
    while lo < n:
        hi = min(lo + step, n)
        if not a.startswith(b[j + lo : j + hi], i + lo):
            while hi - lo > 32:
                mid = (lo + hi) // 2
                if a.startswith(b[j + lo : j + mid], i + lo):
                    lo = mid
                else:
                    hi = mid
            while a[i + lo] == b[j + lo]:
                lo += 1
            return lo
        lo, step = hi, step * 2
    return n


def common_suffix(
    a: bytes, b: bytes, limit: int, ea: int | None = None, eb: int | None = None
) -> int:
    """Length of the longest common tail of a[:ea] and b[:eb], at most `limit`."""
    la = len(a) if ea is None else ea
    lb = len(b) if eb is None else eb
    lo, step = 0, BLOCK
    while lo < limit:
        hi = min(lo + step, limit)
        if not a.startswith(b[lb - hi : lb - lo], la - hi):
            while hi - lo > 32:
                mid = (lo + hi) // 2
                if a.startswith(b[lb - mid : lb - lo], la - mid):
                    lo = mid
                else:
                    hi = mid
            while a[la - lo - 1] == b[lb - lo - 1]:
                lo += 1
            return lo
        lo, step = hi, step * 2
    return limit


def changed_lines(old: bytes, new: bytes) -> tuple[int, int, int]:
    """The whole lines that differ: old[lo:hi_old] became new[lo:hi_new], the rest of
    the two texts is the same."""
    a, b, _, d = _trimmed(old, new, (0, len(old), 0, len(new)))
    return a, b, d


def _trimmed(old: bytes, new: bytes, hunk: Hunk) -> Hunk:
    """The hunk without its unchanged first and last lines (empty when nothing changed)."""
    a, b, c, d = hunk
    p = common_prefix(old, new, a, c, min(b - a, d - c))
    q = common_suffix(old, new, min(b - a, d - c) - p, b, d)
    start = old.rfind(b"\n", a, a + p) + 1 if p else a
    start = max(start, a)
    end_old, end_new = b - q, d - q
    at_line_end = (end_old == start or old[end_old - 1] == 10) and (
        end_new == c + (start - a) or new[end_new - 1] == 10
    )
    if not at_line_end:
        eol = old.find(b"\n", end_old, b)
        grow = b - end_old if eol < 0 else eol + 1 - end_old
        end_old, end_new = end_old + grow, end_new + grow
    return start, end_old, c + (start - a), end_new


def hunks(old: bytes, new: bytes) -> list[Hunk]:
    """The changed stretches, in order: the lines from the first to the last changed
    byte, split again wherever a line-aligned stretch of its middle occurs once, whole,
    on both sides (not minimal, but the text between hunks is exactly the same)."""
    if old == new:
        return []
    found: list[Hunk] = []
    _split(old, new, _trimmed(old, new, (0, len(old), 0, len(new))), found, 0)
    return found


def _split(old: bytes, new: bytes, hunk: Hunk, found: list[Hunk], depth: int) -> None:
    a, b, c, d = hunk
    if depth > 24 or b - a < SMALL or d - c < SMALL:
        found.append(hunk)
        return
    mid = old.rfind(b"\n", a, (a + b) // 2) + 1
    end = old.find(b"\n", mid + ANCHOR, b)
    if mid <= a or end < 0:
        found.append(hunk)
        return
    anchor = old[mid : end + 1]
    at = new.find(anchor, c, d)
    if (
        at <= c
        or new[at - 1] != 10
        or new.find(anchor, at + 1, d) >= 0
        or old.find(anchor, a, mid) >= 0
        or old.find(anchor, end + 1, b) >= 0
    ):
        found.append(hunk)
        return
    for part in ((a, mid, c, at), (end + 1, b, at + len(anchor), d)):
        if old[part[0] : part[1]] != new[part[2] : part[3]]:
            _split(old, new, _trimmed(old, new, part), found, depth + 1)
