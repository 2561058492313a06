"""A release page from a record alone: hostile commit subjects, names and defaults stay
text (no HTML, no broken table, no link), and the report's JSON keeps its shape."""

from __future__ import annotations

from datetime import UTC, datetime

import markdown

from generator.models import InterfaceChange
from generator.releases import Ref, ReleaseCommit, ReleaseRecord
from generator.render.releasepages import report_json, report_markdown
from generator.render.settings import RepoSettings, SiteSettings

REPO = "acme/engine"
WHEN = datetime(2026, 2, 5, 12, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script> | [x](javascript:alert(1)) {{ 7*7 }} @team #12"


def record() -> ReleaseRecord:
    return ReleaseRecord(
        repo=REPO,
        release=Ref(name="v1.1.0", sha="b" * 40, date=WHEN),
        previous=Ref(name="v1.0.0", sha="a" * 40, date=WHEN),
        commits=(
            ReleaseCommit(sha="c" * 40, subject=HOSTILE, committed=WHEN),
            ReleaseCommit(
                sha="d" * 40,
                subject=HOSTILE,
                committed=WHEN,
                branch_sha="e" * 40,
                branch_committed=WHEN,
                match="subject",
            ),
        ),
        interface_changes=(
            InterfaceChange(
                kind="option", name="x|y", change="default", file="a|b.py", old="'a|b'", new=HOSTILE
            ),
            InterfaceChange(kind="env", name="`TICK`", change="added", file="a|b.py", new="<b>"),
        ),
    )


def settings() -> SiteSettings:
    return SiteSettings(
        site_name="Digest",
        site_url="https://example.org/d/",
        language="en",
        timezone="UTC",
        repos=(RepoSettings(REPO, "main", "acme-engine"),),
    )


def test_hostile_text_stays_text_in_the_report():
    text = report_markdown(record(), settings(), {})
    html = markdown.markdown(text, extensions=["tables"])
    assert "<script>" not in html and "<b>" not in html
    assert 'href="javascript' not in html
    assert "{{ 7*7 }}" in html  # no template evaluated it
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows and all(row.count(" | ") == 2 for row in rows)  # three cells each
    assert "2 commits, 0 in the archive" in text


def test_report_json_counts_nothing_the_archive_lacks():
    data = report_json(record(), {})
    assert data["tiers"] == {"high": 0, "medium": 0, "low": 0} and data["high"] == []
    assert [c["name"] for c in data["interface_changes"]] == ["x|y", "`TICK`"]
    assert data["dependencies"] == []
