"""Weekly reports beyond the git test: the interface changes records hold (on the week's
page and on the module that declares them), a `what: week` target that gets each complete
week once through the ledger (a real webhook server), and `modules:` checked in the
config."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import feedparser
import pytest

from generator.config import load_config
from generator.errors import ConfigError
from generator.models import FileChange, InterfaceChange
from generator.pipeline import DayRange, render, run

from factory import at, make_commit, make_record, store
from gitrepo import GitRepo
from llm_server import Answer, LlmServer, default_answer
from notify_servers import ChatServer

REPO = "acme/engine"
ARGS = "python/engine/server_args.py"
MONDAY = date(2026, 2, 9)


def config_in(folder, extra: str = ""):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "digest.yml"
    path.write_text(
        f"site_url: https://example.org/digest/\nrepos:\n  - name: {REPO}\n    path: clone\n"
        + extra,
        encoding="utf-8",
    )
    return path


def test_interface_changes_are_on_the_week_and_on_the_module_that_declares_them(tmp_path):
    config = load_config(config_in(tmp_path))
    change = InterfaceChange(
        kind="option", name="--max-running-requests", change="default", file=ARGS,
        old="None", new="256",
    )  # fmt: skip
    commit = make_commit(
        "feat: cap running requests (#30)", at(MONDAY + timedelta(days=2), 10), tier="high",
        files=(FileChange(path=ARGS, additions=3, deletions=1),),
    ).model_copy(update={"interface_changes": (change,)})  # fmt: skip
    for n in range(7):
        day = MONDAY + timedelta(days=n)
        store(config, make_record(REPO, day, [commit] if n == 2 else []))
    render(config)
    week = (config.docs_dir / f"weekly/{REPO}/2026-W07.md").read_text(encoding="utf-8")
    section = week.split("## 接口变更")[1].split("##")[0]
    assert "选项 `--max-running-requests` 默认值变更: `None` → `256`" in section
    assert commit.sha[:12] in section
    module = (config.docs_dir / f"modules/{REPO}/python/engine.md").read_text(encoding="utf-8")
    assert "`--max-running-requests`" in module.split("## 接口变更")[1]


def test_a_week_target_gets_each_complete_week_once(tmp_path, monkeypatch):
    repo = GitRepo.init(tmp_path / "clone")
    repo.commit("init (#1)", {"README.md": "x\n"}, committed="2026-02-02T09:00:00+08:00")
    big = "".join(f"x{i} = {i}\n" for i in range(900))
    engine = {f"python/engine/e{i}.py": big for i in range(4)}
    repo.commit("feat(engine)!: a new engine (#2)", engine, committed="2026-02-04T10:00:00+08:00")
    repo.commit("fix: a typo (#3)", {"README.md": "y\n"}, committed="2026-02-10T09:00:00+08:00")
    with ChatServer("webhook") as hook:
        monkeypatch.setenv("HOOK_URL", hook.url)
        config = load_config(config_in(tmp_path, (
            "notify:\n  - {name: weekly, type: webhook, what: week, url_env: HOOK_URL}\n"
        )))  # fmt: skip
        after = lambda: datetime(2026, 2, 20, tzinfo=UTC)  # noqa: E731
        run(config, DayRange(date(2026, 2, 2), date(2026, 2, 10)), now=after)
        run(config, DayRange(date(2026, 2, 2), date(2026, 2, 10)), now=after)  # nothing new
        first = [r.json for r in hook.received]
        run(config, DayRange(date(2026, 2, 11), date(2026, 2, 15)), now=after)
        every = [r.json for r in hook.received]
    assert [(n["kind"], n["day"], n["last_day"]) for n in first] == [
        ("week", "2026-02-02", "2026-02-08")
    ]
    assert first[0]["counts"] == {"high": 1, "medium": 0, "low": 1}
    assert [c["subject"] for c in first[0]["commits"]] == ["feat(engine)!: a new engine (#2)"]
    assert first[0]["page_url"] == f"https://example.org/digest/weekly/{REPO}/2026-W06/"
    assert [n["day"] for n in every] == ["2026-02-02", "2026-02-09"]


@pytest.mark.parametrize(
    ("modules", "message"),
    [
        ("[{prefix: /python, depth: 1}]", "is not a folder path"),
        ("[{prefix: python, depth: -1}]", "greater than or equal to 0"),
        ("[{prefix: python, depth: 1}, {prefix: python, depth: 2}]", "prefix given twice"),
        ("[{prefix: python, deep: 1}]", "deep"),
    ],
)
def test_a_wrong_modules_entry_is_one_line(tmp_path, modules, message):
    path = config_in(tmp_path)
    path.write_text(path.read_text() + f"    modules: {modules}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value) and "\n" not in str(caught.value).strip()


def test_with_an_llm_a_complete_week_gets_its_overview_once(tmp_path):
    repo = GitRepo.init(tmp_path / "clone")
    for n in range(3):
        repo.commit(f"fix(sched): window {n} (#{10 + n})", {f"python/pkg/m{n}.py": "x = 1\n"},
                    committed=f"2026-02-{10 + n}T10:00:00+08:00")  # fmt: skip

    def answer(request: dict) -> Answer:
        text = request["messages"][-1]["content"]
        if "这一周" in text:  # the week's prompt: every day's overview is in it
            assert "LLM overview of the day." in text and "window 2" in text
            return Answer(content=json.dumps({"overview": "本周调度器修复了窗口处理。"}))
        return default_answer(request)

    with LlmServer(default=answer) as server:
        config_file = tmp_path / "digest.yml"
        config_file.write_text(json.dumps({
            "site_url": "https://example.org/digest/", "language": "zh", "analyzer": "llm",
            "llm": {"base_url": server.url, "model": "m", "api_key_env": None, "timeout": 5},
            "repos": [{"name": REPO, "path": "clone"}],
        }), encoding="utf-8")  # fmt: skip
        config = load_config(config_file)
        after = lambda: datetime(2026, 2, 20, tzinfo=UTC)  # noqa: E731
        run(config, DayRange(date(2026, 2, 9), date(2026, 2, 14)), now=after)
        assert not (config.docs_dir / f"weekly/{REPO}/2026-W07.md").exists()
        asked = len(server.requests)
        run(config, DayRange(date(2026, 2, 15), date(2026, 2, 15)), now=after)
        weeks = [r for r in server.requests[asked:] if "这一周" in r["messages"][-1]["content"]]
        assert len(weeks) == 1
        kept = config.data_dir / REPO / "weeks" / "2026-W07.json"
        assert json.loads(kept.read_text())["overview"]["text"] == "本周调度器修复了窗口处理。"
        week = (config.docs_dir / f"weekly/{REPO}/2026-W07.md").read_text(encoding="utf-8")
        assert "本周调度器修复了窗口处理。" in week
        feed = feedparser.parse((config.docs_dir / f"feeds/{REPO}/weekly.xml").read_bytes())
        assert "本周调度器修复了窗口处理。" in feed.entries[0].description
        asked = len(server.requests)
        run(config, DayRange(date(2026, 2, 15), date(2026, 2, 15)), now=after)
        assert len(server.requests) == asked  # kept: nothing asked again
