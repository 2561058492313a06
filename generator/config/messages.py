"""Validation errors as one line each, naming the key and, for a misspelt key, the key
it probably meant."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.config.repos import SOURCE_KINDS


def describe_errors(model: type[BaseModel], exc: ValidationError) -> list[str]:
    """One message per mistake. A misspelt key names the key it probably meant, and the
    errors it caused (that key missing, or empty) are not reported a second time."""
    errors = exc.errors()
    hints: dict[tuple[Any, ...], str] = {}
    for error in errors:
        if error["type"] == "extra_forbidden" and isinstance(error["loc"][-1], str):
            *parent, key = error["loc"]
            _, models = _walk(model, parent)
            close = difflib.get_close_matches(key, _keys(models), n=1, cutoff=0.6)
            if close:
                hints[error["loc"]] = close[0]
            elif other := _variant_with(model, parent, key):
                hints[error["loc"]] = f"source: {other}"
    meant = {(*loc[:-1], key) for loc, key in hints.items() if not key.startswith("source: ")}
    # A list whose only entries are invalid also counts as empty: the entries' own
    # errors say what is wrong.
    broken = {tuple(e["loc"][:i]) for e in errors for i in range(1, len(e["loc"]))}
    return [
        _describe(error, _walk(model, error["loc"])[0], hints.get(error["loc"]))
        for error in errors
        if not (error["type"] in {"missing", "too_short"} and tuple(error["loc"]) in meant)
        and not (error["type"] == "too_short" and tuple(error["loc"]) in broken)
    ]


def _walk(model: type[BaseModel], loc: Any) -> tuple[list[Any], list[type[BaseModel]]]:
    """Follow an error location through the models: the location as the user wrote it
    (without the union tags pydantic inserts, such as `mirror` in `repos.0.mirror.url`),
    and the models a mapping there may be (empty when it cannot be followed)."""
    shown: list[Any] = []
    models: list[type[BaseModel]] = [model]
    for part in loc:
        if isinstance(part, int):
            shown.append(part)  # an item of a list: the same types as the list's items
            continue
        fields = [m.model_fields[part] for m in models if part in m.model_fields]
        # A union member pydantic names in the location: a `source:` tag, or a class name.
        tagged = [m for m in models if part in (_tag(m), m.__name__)]
        if fields:
            models = _models_in(fields[0].annotation)
        elif tagged:
            models = tagged
            continue
        else:
            models = []
        shown.append(part)
    return shown, models


def _tag(model: type[BaseModel]) -> str | None:
    """The `source:` value that selects a repository variant."""
    field = model.model_fields.get("source")
    return field.default if field and isinstance(field.default, str) else _literal(field)


def _literal(field: Any) -> str | None:
    args = typing.get_args(field.annotation) if field else ()
    return args[0] if len(args) == 1 and isinstance(args[0], str) else None


def _variant_with(model: type[BaseModel], loc: list[Any], key: str) -> str | None:
    """Another repository variant that has `key`: `path` on a mirror entry is a git key."""
    _, models = _walk(model, loc)
    if len(models) != 1 or _tag(models[0]) is None:
        return None
    return next((tag for tag, m in SOURCE_KINDS.items() if key in m.model_fields), None)


def _keys(models: list[type[BaseModel]]) -> list[str]:
    return sorted({f.alias or name for m in models for name, f in m.model_fields.items()})


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation can hold: itself, its union members, its items."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) in (
        typing.Union,
        tuple,
        list,
        typing.Annotated,
    ):
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    return []


def _describe(error: Any, loc: list[Any], meant: str | None = None) -> str:
    location = ""
    for part in loc:
        location += f"[{part}]" if isinstance(part, int) else (f".{part}" if location else part)
    kind = error["type"]
    if kind == "extra_forbidden" and meant and meant.startswith("source: "):
        message = f"unknown key; it belongs to a '{meant}' entry"
    elif kind == "extra_forbidden" and meant:
        message = f"unknown key; did you mean '{meant}'?"
    elif kind == "extra_forbidden":
        message = "unknown key; check its spelling against the README's config reference"
    elif kind == "missing" and error["loc"][-2:] == ("git", "path"):
        message = "required key is missing; or set source: mirror or github (no clone needed)"
    elif kind == "missing":
        message = "required key is missing"
    elif kind == "source_kind":
        location, message = f"{location}.source", error["msg"]
    elif kind == "too_short":
        message = "needs at least one entry"
    elif kind in {"tuple_type", "list_type"}:
        message = "must be a list"
    else:
        message = re.sub(r"^Value error, ", "", error["msg"])
        if kind == "literal_error":
            message = message.replace("Input should be", "must be")
    return f"{location or '(top level)'}: {message}"
