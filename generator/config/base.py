"""What every section of the config shares: strict models and a few value checks."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

REPO_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
DEFAULT_CONFIG = "digest.yml"


def owner_slash_name(value: str) -> str:
    if not REPO_NAME.match(value) or value.split("/")[1] in {".", ".."}:
        raise ValueError(f"{value!r} is not of the form owner/name")
    return value


def http_base_url(value: str) -> str:
    """An http(s) URL that paths are appended to: no trailing slash."""
    if not re.match(r"^https?://[^\s/]+(/\S*)?$", value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value.rstrip("/")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
