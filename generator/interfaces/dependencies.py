"""Pinned dependencies: pyproject.toml, requirements files, Cargo.toml, package.json.

A dependency is named as declared (`torch`); its text is what pins it: for a Python
requirement everything after the name (`==2.8.0`, `[cuda]>=1.2; sys_platform == "linux"`),
for Cargo the `version` (or the `git`/`path` it comes from), for npm the version range.
When a package is listed twice (two optional groups), the first listing wins.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from generator.interfaces.python import ParseFailed
from generator.interfaces.resolve import Declarations

NPM_GROUPS = ("dependencies", "peerDependencies", "optionalDependencies")
"""`devDependencies` are left out: like tests, they do not ship."""


def dependency_declarations(language: str, text: bytes) -> Declarations:
    """Raises ParseFailed when the file cannot be read as TOML or JSON."""
    try:
        source = text.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseFailed(f"not UTF-8 ({exc.reason})") from None
    if language == "requirements":
        return _pinned(_requirement_lines(source))
    try:
        data = json.loads(source) if language == "package.json" else tomllib.loads(source)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ParseFailed(str(exc)) from None
    if not isinstance(data, dict):
        return {}
    if language == "pyproject":
        return _pinned(_pyproject(data))
    if language == "cargo":
        return _cargo(data)
    return _npm(data)


def _pyproject(data: dict[str, Any]) -> Iterable[str]:
    project = _table(data.get("project"))
    yield from _strings(project.get("dependencies"))
    for group in _table(project.get("optional-dependencies")).values():
        yield from _strings(group)
    for group in _table(data.get("dependency-groups")).values():
        yield from _strings(group)  # `{include-group = ...}` items are not strings


def _requirement_lines(source: str) -> Iterable[str]:
    for line in source.replace("\\\n", " ").splitlines():
        line = re.sub(r"(^|\s)#.*", "", line).strip()
        if line and not line.startswith("-") and "://" not in line:
            yield line


def _pinned(lines: Iterable[str]) -> Declarations:
    found: Declarations = {}
    for line in lines:
        parsed = _requirement(line)
        if parsed is not None:
            found.setdefault(("dependency", parsed[0]), parsed[1])
    return found


@lru_cache(maxsize=8192)
def _requirement(line: str) -> tuple[str, str | None] | None:
    """(name, pin) of a requirement line; cached: a file's next revision repeats most."""
    try:
        requirement = Requirement(line)
    except InvalidRequirement:
        return None
    pin = str(requirement)[len(requirement.name) :].strip()
    return requirement.name, pin or None


def _cargo(data: dict[str, Any]) -> Declarations:
    tables = [data.get("dependencies"), _table(data.get("workspace")).get("dependencies")]
    tables += [_table(target).get("dependencies") for target in _table(data.get("target")).values()]
    found: Declarations = {}
    for table in tables:
        for name, spec in _table(table).items():
            found.setdefault(("dependency", name), _cargo_pin(spec))
    return found


def _cargo_pin(spec: object) -> str | None:
    if isinstance(spec, str):
        return spec
    spec = _table(spec)
    if spec.get("workspace") is True:
        return "workspace"
    for key in ("version", "git", "path"):
        if isinstance(spec.get(key), str):
            pin = spec[key]
            for ref in ("tag", "rev", "branch"):
                if key == "git" and isinstance(spec.get(ref), str):
                    pin += f" {ref} {spec[ref]}"
            return pin if key != "path" else f"path {pin}"
    return None


def _npm(data: dict[str, Any]) -> Declarations:
    found: Declarations = {}
    for group in NPM_GROUPS:
        for name, version in _table(data.get(group)).items():
            found.setdefault(("dependency", name), version if isinstance(version, str) else None)
    return found


def _table(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
