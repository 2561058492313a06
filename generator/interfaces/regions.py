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
