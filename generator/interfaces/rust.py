"""Rust declarations, read from the text: clap options and environment variables.

* a field under `#[arg(long ...)]` or `#[clap(long ...)]` is the option `--<long>` (the
  field's name with dashes when `long` has no value); its default is the source text of
  `default_value`, `default_value_t` or `default_values_t`;
* `env = "X"` in such an attribute declares the environment variable X with that default;
* `std::env::var("X")`, `env::var_os("X")`, `env!("X")` and `option_env!("X")` read X.

`#[cfg(test)]` modules are left out, like test files.
"""

from __future__ import annotations

import re

from generator.interfaces.resolve import Declarations

ATTRIBUTE = re.compile(rb"#\[(?:arg|clap)\(")
ENV_READ = re.compile(rb"\b(?:env::var(?:_os)?\(|(?:option_)?env!\()\s*\"([A-Z][A-Z0-9_]*)\"")
FIELD = re.compile(rb"(?:pub(?:\([^)]*\))?\s+)?(?:r#)?([A-Za-z_][A-Za-z0-9_]*)\s*:(?!:)")
TEST_MODULE = re.compile(rb"#\[cfg\(test\)\]\s*(?:pub\s+)?mod\s+\w+\s*\{")
DEFAULTS = (b"default_value", b"default_value_t", b"default_values_t", b"default_missing_value")
WORDS = (b"#[arg(", b"#[clap(", b"env::var", b"env!(")


def rust_declarations(text: bytes) -> Declarations:
    if not any(word in text for word in WORDS):
        return {}
    text = _without_tests(text)
    found: Declarations = {}
    for match in ATTRIBUTE.finditer(text):
        end = _closing(text, match.end() - 1)
        items = dict(_items(text[match.end() : end - 1]))
        field = FIELD.match(text, _after_attributes(text, end + 1))
        if field is None or b"long" not in items:
            continue
        name = field.group(1).decode()
        long = items[b"long"]
        flag = "--" + (_unquoted(long) if long else name.replace("_", "-"))
        default = next((items[key] for key in DEFAULTS if items.get(key)), None)
        found.setdefault(("option", flag), default)
        if items.get(b"env"):
            found.setdefault(("env", _unquoted(items[b"env"] or "")), default)
    for read in ENV_READ.finditer(text):
        found.setdefault(("env", read.group(1).decode()), None)
    return found


def _items(args: bytes) -> list[tuple[bytes, str | None]]:
    """`long, default_value = "x"` → [(b"long", None), (b"default_value", '"x"')]."""
    items, depth, start, quoted = [], 0, 0, False
    for i, byte in enumerate(args + b","):
        if quoted:
            quoted = not (byte == 0x22 and args[i - 1 : i] != b"\\")
        elif byte == 0x22:
            quoted = True
        elif byte in b"([{":
            depth += 1
        elif byte in b")]}":
            depth -= 1
        elif byte == 0x2C and depth == 0:
            key, _, value = args[start:i].partition(b"=")
            if key.strip():
                text = value.strip().decode("utf-8", "replace") if value.strip() else None
                items.append((key.strip(), text))
            start = i + 1
    return items


def _unquoted(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def _closing(text: bytes, open_at: int) -> int:
    """The offset after the bracket that closes the one at `open_at` (strings skipped)."""
    depth, i, n = 0, open_at, len(text)
    while i < n:
        byte = text[i]
        if byte == 0x22:
            i += 1
            while i < n and text[i] != 0x22:
                i += 2 if text[i] == 0x5C else 1
        elif byte == 0x2F and text[i + 1 : i + 2] == b"/":
            i = text.find(b"\n", i)
            i = n if i < 0 else i
        elif byte in b"([{":
            depth += 1
        elif byte in b")]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def _after_attributes(text: bytes, pos: int) -> int:
    """Past blanks, comments and further attributes: where the item they annotate starts."""
    n = len(text)
    while pos < n:
        if text[pos] in b" \t\r\n":
            pos += 1
        elif text.startswith(b"//", pos):
            eol = text.find(b"\n", pos)
            pos = n if eol < 0 else eol + 1
        elif text.startswith(b"#[", pos):
            pos = _closing(text, pos + 1)
        else:
            break
    return pos


def _without_tests(text: bytes) -> bytes:
    while (match := TEST_MODULE.search(text)) is not None:
        text = text[: match.start()] + text[_closing(text, match.end() - 1) :]
    return text
