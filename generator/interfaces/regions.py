"""Where two revisions of a file differ: the lines between the first and the last
changed byte, found with a few slice comparisons (memcmp) instead of a line diff."""

from __future__ import annotations

BLOCK = 4096


def common_prefix(a: bytes, b: bytes) -> int:
    """Length of the longest common head of `a` and `b`."""
    n = min(len(a), len(b))
    lo, step = 0, BLOCK
    while lo < n:
        hi = min(lo + step, n)
        if a[lo:hi] != b[lo:hi]:
            while hi - lo > 32:
                mid = (lo + hi) // 2
                if a[lo:mid] == b[lo:mid]:
                    lo = mid
                else:
                    hi = mid
            while a[lo] == b[lo]:
                lo += 1
            return lo
        lo, step = hi, step * 2
    return n


def common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """Length of the longest common tail of `a` and `b`, at most `limit`."""
    la, lb = len(a), len(b)
    lo, step = 0, BLOCK
    while lo < limit:
        hi = min(lo + step, limit)
        if a[la - hi : la - lo] != b[lb - hi : lb - lo]:
            while hi - lo > 32:
                mid = (lo + hi) // 2
                if a[la - mid : la - lo] == b[lb - mid : lb - lo]:
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
    p = common_prefix(old, new)
    q = common_suffix(old, new, min(len(old), len(new)) - p)
    lo = old.rfind(b"\n", 0, p) + 1
    end_old, end_new = len(old) - q, len(new) - q
    at_line_end = (end_old == lo or old[end_old - 1] == 10) and (
        end_new == lo or new[end_new - 1] == 10
    )
    if not at_line_end:
        eol = old.find(b"\n", end_old)
        grow = len(old) - end_old if eol < 0 else eol + 1 - end_old
        end_old, end_new = end_old + grow, end_new + grow
    return lo, end_old, end_new


Hunk = tuple[int, int, int, int]
"""old[a:b] became new[c:d], whole lines; the text between hunks is the same."""
SMALL = 2048
"""Bytes: a changed stretch this short is not split further."""
ANCHOR = 160
"""Bytes of unchanged text looked for to split a changed stretch in two."""


def hunks(old: bytes, new: bytes) -> list[Hunk]:
    """The changed stretches, in order: the lines from the first to the last changed
    byte, split again wherever a line-aligned stretch of its middle occurs once, whole,
    on both sides (a few memcmp and find calls, not a line diff; not minimal)."""
    lo, hi_old, hi_new = changed_lines(old, new)
    if lo == hi_old == hi_new:
        return []
    found: list[Hunk] = []
    _split(old, new, (lo, hi_old, lo, hi_new), found, 0)
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
        trimmed = _trim(old, new, part)
        if trimmed is not None:
            _split(old, new, trimmed, found, depth + 1)


def _trim(old: bytes, new: bytes, hunk: Hunk) -> Hunk | None:
    """The hunk without its unchanged first and last lines; None when nothing changed."""
    a, b, c, d = hunk
    left, right = old[a:b], new[c:d]
    if left == right:
        return None
    lo, hi_left, hi_right = changed_lines(left, right)
    return a + lo, a + hi_left, c + lo, c + hi_right
