"""A model's reply, checked like any untrusted input before it becomes an `Analysis`.

The reply must be one JSON object with exactly the keys the prompt asks for (a
Markdown code fence around it is tolerated). What it says about the commit is
then held against the commit's facts: files it names that the commit does not
touch, and modules that are no folder of them, are dropped, so no invented path
reaches a page. Text is kept as plain text (the pages escape it); control
characters go and each field is bounded, so one reply cannot flood a page.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from generator.models import Analysis, ChangeType, Commit, Insight, Tier
from generator.text import clean

SUMMARY_LIMIT = 1200
ITEM_LIMIT = 600
ITEMS = 6
FENCE = re.compile(r"```[a-zA-Z]*\s*\n?(.*?)```", re.S)


class InvalidReply(Exception):
    """The reply is not the JSON object asked for; the message says why, for a repair."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Scope(_Strict):
    modules: list[str] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list)


class _Insights(_Strict):
    architecture: str = ""
    performance: str = ""
    security: str = ""


class CommitReply(_Strict):
    tier: Tier
    change_type: ChangeType
    summary: list[str]
    impact_scope: _Scope
    insights: _Insights
    risks: list[str]
    recommendations: list[str]

    @field_validator("summary", mode="before")
    @classmethod
    def _one_sentence_as_a_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class OverviewReply(_Strict):
    overview: str


def parse(text: str, model: type[_Strict]) -> Any:
    """The reply's JSON object validated against `model`, or InvalidReply."""
    body = text.strip()
    if fenced := FENCE.search(body):
        body = fenced.group(1).strip()
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise InvalidReply(f"it is not valid JSON ({exc.msg} at character {exc.pos})") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the object"
        raise InvalidReply(f"{where}: {first['msg']}") from None


def _text(value: str, limit: int) -> str:
    text = " ".join(clean(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _items(values: list[str]) -> tuple[str, ...]:
    return tuple(t for t in (_text(v, ITEM_LIMIT) for v in values) if t)[:ITEMS]


def _folders(paths: list[str]) -> set[str]:
    found = set()
    for path in paths:
        parts = path.split("/")[:-1]
        found.update("/".join(parts[:n]) for n in range(1, len(parts) + 1))
    return found


def commit_analysis(
    reply: CommitReply, commit: Commit, rules: Analysis, language: str, *, decides_tier: bool
) -> Analysis:
    """The analysis a valid reply gives; tier and type are the score's unless the model
    decides them. Raises InvalidReply when nothing readable is left of the summary."""
    separator = " " if language == "en" else ""
    summary = separator.join(_items(reply.summary)[:3])
    if not summary:
        raise InvalidReply("summary: it is empty")
    paths = [f.path for f in commit.files]
    known = set(paths)
    folders = _folders(paths)
    files = tuple(dict.fromkeys(f.strip() for f in reply.impact_scope.files if f.strip() in known))
    named = (m.strip().strip("/") for m in reply.impact_scope.modules)
    modules = tuple(dict.fromkeys(m for m in named if m in folders))
    insights = tuple(
        Insight(kind=kind, text=text)
        for kind, value in reply.insights.model_dump().items()
        if (text := _text(value, ITEM_LIMIT))
    )
    tier: Tier = reply.tier if decides_tier else rules.tier
    change_type: ChangeType = reply.change_type if decides_tier else rules.change_type
    return rules.model_copy(
        update={
            "tier": tier,
            "change_type": change_type,
            "summary": summary,
            "modules": modules[:8],
            "key_files": files[:10],
            "insights": insights,
            "risks": _items(reply.risks),
            "recommendations": _items(reply.recommendations),
            "fallback_reason": None,
        }
    )


def overview_text(reply: OverviewReply) -> str:
    text = _text(reply.overview, SUMMARY_LIMIT)
    if not text:
        raise InvalidReply("overview: it is empty")
    return text
