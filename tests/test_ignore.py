"""Noise rules (`ignore:`): which rule makes a commit noise, and what that does. A noise
commit stays in the day's table and counts, rated low with its rule as the reason; it is
never sent to an LLM (counted at a real chat-completions server); a change of the rules
re-rates the recorded days from their facts."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from generator.analysis.ignore import ignored_by
from generator.analysis.prompts import PROMPT_VERSION
from generator.analysis.rules import RulesAnalyzer
from generator.config import IgnoreRules, load_config
from generator.models import FileChange, Person
from generator.pipeline import DayRange, run
from generator.records import load_record

from factory import unanalysed
from gitrepo import GitRepo
from llm_server import LlmServer

DAY = date(2026, 3, 2)
AFTER = datetime(2026, 3, 5, tzinfo=UTC)
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")


def rules(**values: Any) -> IgnoreRules:
    return IgnoreRules.model_validate(values)


def by(name: str, email: str = "x@example.org", login: str | None = None):
    commit = unanalysed("Bump torch", [("requirements.txt", 1, 1)])
    return commit.model_copy(update={"author": Person(name=name, email=email, login=login)})


@pytest.mark.parametrize(
    ("ignore", "commit", "reason"),
    [
        ({"authors": ["dependabot[bot]"]}, by("dependabot[bot]"), "author dependabot[bot]"),
        (
            {"authors": ["Dependabot[bot]"]},
            by("x", login="dependabot[BOT]"),
            "author Dependabot[bot]",
        ),
        (
            {"authors": ["bot@example.org"]},
            by("x", email="BOT@example.org"),
            "author bot@example.org",
        ),
        ({"authors": ["dependabot"]}, by("dependabot[bot]"), None),  # equal, not a part
        (
            {"subjects": [r"^\[Auto Sync\]"]},
            unanalysed("[Auto Sync] mirrors"),
            r"subject ^\[Auto Sync\]",
        ),
        ({"subjects": [r"^\[Auto Sync\]"]}, unanalysed("fix [Auto Sync] bug"), None),
        ({"subjects": ["typo"]}, unanalysed("fix a typo in the docs"), "subject typo"),
        (
            {"paths": ["docs/**", "*.md"]},
            unanalysed("docs", [("docs/a.md", 1, 0), ("README.md", 2, 0)]),
            "paths docs/**, *.md",
        ),
        ({"paths": ["docs/**"]}, unanalysed("docs", [("docs/a.md", 1, 0), ("a.py", 1, 0)]), None),
        ({"paths": ["docs/**"]}, unanalysed("empty"), None),  # no file: not noise by its paths
        (
            {"paths": ["docs/**"]},
            unanalysed(
                "move",
                [FileChange(path="docs/a.py", additions=0, deletions=0, old_path="src/a.py")],
            ),
            None,  # code moved into docs/ is not a docs change
        ),
        (
            {"authors": ["dependabot[bot]"], "subjects": ["Bump"]},
            by("dependabot[bot]"),
            "author dependabot[bot]",  # authors first
        ),
    ],
)
def test_the_first_rule_that_matches_is_the_reason(ignore, commit, reason) -> None:
    assert ignored_by(rules(**ignore), commit) == reason


def test_noise_is_rated_low_with_its_score_and_reason_kept() -> None:
    big = unanalysed("feat: huge change", [(f"docs/p{n}.md", 400, 0) for n in range(20)])
    plain = RulesAnalyzer("en").analyze(big)
    noisy = RulesAnalyzer("en", ignore=rules(paths=["docs/**"]))
    analysis = noisy.analyze(big)
    assert plain.tier != "low" and plain.ignored is None
    assert analysis.tier == "low" and analysis.ignored == "paths docs/**"
    assert analysis.score == plain.score and analysis.summary == plain.summary
    assert noisy.is_current(analysis)  # a re-run does not redo it
    assert not RulesAnalyzer("en").is_current(analysis)  # rules removed: redone
    assert RulesAnalyzer("en").is_current(plain)  # no rules: settings as they always were


# -- through the pipeline -------------------------------------------------------------


def make_project(tmp_path: Path, server: LlmServer | None, ignore: dict | None) -> Path:
    if not (tmp_path / "clone").exists():
        repo = GitRepo.init(tmp_path / "clone")
        repo.commit("Bump torch from 2.1 to 2.2 (#1)", {"requirements.txt": "torch\n"},
                    author=BOT, committed="2026-03-02T09:00:00+08:00")  # fmt: skip
        repo.commit("[Auto Sync] mirror the configs (#2)", {"python/pkg/sync.py": "x = 1\n"},
                    committed="2026-03-02T10:00:00+08:00")  # fmt: skip
        repo.commit("fix(sched): handle a window (#3)", {"python/pkg/sched.py": "x = 2\n" * 9},
                    committed="2026-03-02T11:00:00+08:00")  # fmt: skip
    config: dict[str, Any] = {
        "site_url": "https://example.org/d/",
        "language": "en",
        "repos": [{"name": "o/r", "path": "clone", **({"ignore": ignore} if ignore else {})}],
    }
    if server is not None:
        config["analyzer"] = "llm"
        config["llm"] = {"base_url": server.url, "model": "m", "api_key_env": None, "timeout": 5}
    path = tmp_path / "digest.yml"
    path.write_text(json.dumps(config), encoding="utf-8")
    return path


def ignored(config_file: Path) -> dict[str, str | None]:
    config = load_config(config_file)
    record = load_record(config.data_dir, "o/r", DAY)
    assert record is not None
    found = {}
    for commit in record.commits:
        assert commit.analysis is not None
        found[commit.subject.split(" (")[0]] = commit.analysis.ignored
    return found


NOISE = {"authors": ["dependabot[bot]"], "subjects": [r"^\[Auto Sync\]"]}


def test_noise_is_never_sent_to_the_llm_and_a_change_of_rules_re_rates(tmp_path):
    with LlmServer() as server:
        config_file = make_project(tmp_path, server, NOISE)
        config = load_config(config_file)
        run(config, DayRange(DAY, DAY), now=lambda: AFTER)
        sent = server.user_messages()
        assert len(sent) == 2  # the one real commit, and the day's overview
        assert not [m for m in sent if "Bump torch" in m or "Auto Sync" in m]
        assert ignored(config_file) == {
            "fix(sched): handle a window": None,
            "[Auto Sync] mirror the configs": r"subject ^\[Auto Sync\]",
            "Bump torch from 2.1 to 2.2": "author dependabot[bot]",
        }
        record = load_record(config.data_dir, "o/r", DAY)
        assert [c.analysis.analyzer for c in record.commits] == [
            f"llm:m@{PROMPT_VERSION}",
            RulesAnalyzer.name,
            RulesAnalyzer.name,
        ]
        page = (config.docs_dir / "daily/2026/03/02.md").read_text(encoding="utf-8")
        assert "3 commits" in page and "Ignored by a noise rule: `author dependabot[bot]`" in page

        # More noise: re-rated from the records, no commit sent (the overview, whose input
        # changed, is asked again).
        more = make_project(tmp_path, server, {**NOISE, "paths": ["python/pkg/sched.py"]})
        before = len(server.requests)
        run(load_config(more), now=lambda: AFTER)
        assert [m for m in server.user_messages()[before:] if '{"overview"' not in m] == []
        assert ignored(more)["fix(sched): handle a window"] == "paths python/pkg/sched.py"

        # Less noise: the commit the rules no longer match is analysed, once.
        less = make_project(tmp_path, server, {"authors": ["dependabot[bot]"]})
        before = len(server.requests)
        run(load_config(less), now=lambda: AFTER)
        commits = [m for m in server.user_messages()[before:] if '{"overview"' not in m]
        assert len(commits) == 2 and all("Bump torch" not in m for m in commits)
        assert ignored(less) == {
            "fix(sched): handle a window": None,
            "[Auto Sync] mirror the configs": None,
            "Bump torch from 2.1 to 2.2": "author dependabot[bot]",
        }


def test_a_change_of_rules_re_rates_the_archive_without_fetching(tmp_path):
    config_file = make_project(tmp_path, None, None)
    run(load_config(config_file), DayRange(DAY, DAY), now=lambda: AFTER)
    assert set(ignored(config_file).values()) == {None}
    config = load_config(make_project(tmp_path, None, NOISE))
    feed = config.docs_dir / "feeds/o/r.xml"
    assert "Bump torch" in feed.read_text(encoding="utf-8")
    summary = run(config, now=lambda: AFTER)
    assert DAY not in summary.days  # not fetched again: re-rated from its record
    assert (
        ignored(tmp_path / "digest.yml")["Bump torch from 2.1 to 2.2"] == "author dependabot[bot]"
    )
    assert "Bump torch" not in feed.read_text(encoding="utf-8")
    assert run(config, now=lambda: AFTER).records_written == 0  # current now
