"""`run` with `notify:` targets, end to end: a real git history, the command line in its own
process, one local server per channel type. Complete days arrive once, an open day never;
noise is in no message; a failure is one warning and the next run sends only it; strangers'
text arrives as text; no secret appears in anything the run prints or writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

from generator.config import load_config
from generator.records import load_record
from generator.text import WORD_JOINER

from gitrepo import GitRepo
from notify_cases import HOSTILE, SIGNED, seen
from notify_servers import ChatServer, SmtpServer

REPO = "sgl-project/sglang"
NOW = "2026-02-13T15:00:00+08:00"
"""The 13th is still open: its commit must never be sent."""
CLOCK = datetime.fromisoformat(NOW).timestamp()
DAYS = ["2026-02-10", "2026-02-11", "2026-02-12"]
PASSWORD = "smtp-PLANTED-password-0123456789"
MOE = "python/sglang/srt/layers/moe"
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
# A plain-text login on 127.0.0.1, on purpose: its password must still appear nowhere.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def big(n: int) -> str:
    return "".join(f"x{i} = {i}\n" for i in range(n))


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """Four days of a repository: a watch's commits, noise of every kind, an open day."""
    repo = GitRepo.init(tmp_path_factory.mktemp("notify-run") / "clone")
    repo.commit("init", {"README.md": "x\n"}, committed="2026-02-09T10:00:00+08:00")
    kernels = {f"{MOE}/fused_moe_{i}.py": big(150) for i in range(6)}
    repo.commit("feat(moe): fused_moe kernels for H100 (#101)", kernels,
                committed="2026-02-10T10:00:00+08:00")  # fmt: skip
    hostile = {f"{MOE}/hostile_{i}.py": big(200) for i in range(8)}  # high: every target has it
    repo.commit(HOSTILE, hostile, committed="2026-02-10T11:00:00+08:00")
    repo.commit("Bump torch from 2.1 to 2.2 (#103)", {"requirements.txt": "torch==2.2\n"},
                author=BOT, committed="2026-02-10T12:00:00+08:00")  # fmt: skip
    repo.commit("[Auto Sync] mirror the moe configs", {f"{MOE}/sync.py": big(3)},
                committed="2026-02-11T09:00:00+08:00")  # fmt: skip
    repo.commit("docs: the moe guide", {"docs/moe.md": big(40)},
                committed="2026-02-11T10:00:00+08:00")  # fmt: skip
    repo.commit("fix(scheduler): a deadlock when a request is aborted (#105)",
                {"python/sglang/srt/managers/scheduler.py": big(30)},
                committed="2026-02-11T11:00:00+08:00")  # fmt: skip
    repo.commit("perf: tune the fused_moe configs (#106)", {f"{MOE}/configs/h100.json": "{}\n"},
                committed="2026-02-12T10:00:00+08:00")  # fmt: skip
    repo.commit("feat(moe): a new router (#107)", {f"{MOE}/router.py": big(200)},
                committed="2026-02-13T10:00:00+08:00")  # fmt: skip
    return repo.path


@dataclass
class Services:
    chats: dict[str, ChatServer]
    mail: SmtpServer

    def environ(self) -> dict[str, str]:
        env = {"SMTP_USER": "digest", "SMTP_PASS": PASSWORD}
        for kind, server in self.chats.items():
            env[f"{kind.upper()}_URL"] = server.url
            if server.secret:
                env[f"{kind.upper()}_SECRET"] = server.secret
        return env

    def secrets(self) -> list[str]:
        found = [PASSWORD]
        for server in self.chats.values():
            found += [server.token, server.url] + ([server.secret] if server.secret else [])
        return found


@pytest.fixture
def services() -> Iterator[Services]:
    chats = {
        kind: ChatServer(
            kind, secret=f"SEC{kind}PLANTED0123456789" if kind in SIGNED else None,
            clock=lambda: CLOCK,
        )
        for kind in ("slack", "feishu", "dingtalk", "wecom", "webhook")
    }  # fmt: skip
    mail = SmtpServer("none", "digest", PASSWORD)
    for server in chats.values():
        server.__enter__()
    with mail:
        try:
            yield Services(chats, mail)
        finally:
            for server in chats.values():
                server.__exit__(None, None, None)


def project(folder: Path, clone: Path, mail: SmtpServer) -> Path:
    folder.mkdir()
    config = {
        "site_url": "https://digest.example/",
        "language": "en",
        "repos": [
            {
                "name": REPO,
                "path": str(clone),
                "ignore": {
                    "authors": ["dependabot[bot]"],
                    "subjects": ["^\\[Auto Sync\\]"],
                    "paths": ["docs/**"],
                },
            }
        ],
        "watches": [
            {
                "name": "moe",
                "title": "MoE kernels",
                "paths": [f"{MOE}/**"],
                "keywords": ["fused_moe"],
                "notify": ["team-feishu", "team-webhook"],
            }
        ],
        "notify": [
            {"name": "team-slack", "type": "slack", "url_env": "SLACK_URL"},
            {"name": "team-wecom", "type": "wecom", "url_env": "WECOM_URL"},
            {
                "name": "team-dingtalk",
                "type": "dingtalk",
                "what": "high",
                "url_env": "DINGTALK_URL",
                "secret_env": "DINGTALK_SECRET",
            },
            {
                "name": "team-feishu",
                "type": "feishu",
                "what": "watch",
                "url_env": "FEISHU_URL",
                "secret_env": "FEISHU_SECRET",
            },
            {
                "name": "team-webhook",
                "type": "webhook",
                "what": "watch",
                "url_env": "WEBHOOK_URL",
                "secret_env": "WEBHOOK_SECRET",
            },
            {
                "name": "team-mail",
                "type": "email",
                "smtp_host": "127.0.0.1",
                "smtp_port": mail.port,
                "security": "none",
                "username_env": "SMTP_USER",
                "password_env": "SMTP_PASS",
                "from": "digest@example.org",
                "to": ["moe@example.org"],
            },
        ],
    }
    (folder / "digest.yml").write_text(json.dumps(config, indent=1), encoding="utf-8")
    return folder / "digest.yml"


def cli(config: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", "run", "--config", str(config), *args]
    environ = {**os.environ, **env, "DIGEST_NOW": NOW, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(command, capture_output=True, text=True, env=environ, check=False)


def run_days(config: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return cli(config, env, "--since", DAYS[0], "--until", "2026-02-13")


def days_in(server: ChatServer) -> list[str]:
    """The days of the messages the service accepted, in order."""
    found = []
    for received in server.accepted:
        text = received.body.decode("utf-8")
        found += [d for d in (*DAYS, "2026-02-13") if d in text]
    return found


def test_each_channel_gets_its_complete_days_once(clone: Path, services: Services, tmp_path):
    config = project(tmp_path / "p", clone, services.mail)
    first = run_days(config, services.environ())
    assert first.returncode == 0, first.stderr
    assert "Warning" not in first.stdout + first.stderr
    assert "14 messages sent" in first.stdout  # 3 + 3 + 3 mails + 1 high + 2 + 2 watch
    chats = services.chats
    assert days_in(chats["slack"]) == DAYS and days_in(chats["wecom"]) == DAYS
    mails = services.mail.mails
    assert [m.message["Subject"] for m in mails] == [f"{REPO} daily report {d}" for d in DAYS]
    assert days_in(chats["dingtalk"]) == ["2026-02-10"]  # the one day with a high commit
    assert days_in(chats["feishu"]) == ["2026-02-10", "2026-02-12"]  # the watch's days
    hook = [r.json for r in chats["webhook"].accepted]
    assert [h["key"] for h in hook] == [
        "watch/moe/sgl-project/sglang/2026-02-10",
        "watch/moe/sgl-project/sglang/2026-02-12",
    ]
    # The watch's messages: its commits only, noise never (the Auto Sync under moe/).
    assert {c["subject"] for c in hook[0]["commits"]} == {
        "feat(moe): fused_moe kernels for H100 (#101)",
        HOSTILE,
    }
    assert hook[0]["title"] == "MoE kernels" and hook[0]["page_url"].endswith("/watches/moe/")
    # The day's message counts the noise (the day page does) but lists none of it.
    day = json.loads(chats["slack"].accepted[1].body)["text"]
    assert (
        "3 commits | 🔴 high 0" in day and "2 commits ignored by noise rules are not listed" in day
    )
    assert "Auto Sync" not in day and "moe guide" not in day
    assert "Bump torch" not in chats["slack"].accepted[0].body.decode()

    again = run_days(config, services.environ())
    assert again.returncode == 0 and "messages sent" not in again.stdout
    assert [len(s.received) for s in chats.values()] == [3, 2, 1, 3, 2]
    assert len(mails) == 3


def test_strangers_subject_arrives_as_text_everywhere(clone, services: Services, tmp_path):
    config = project(tmp_path / "p", clone, services.mail)
    assert run_days(config, services.environ()).returncode == 0
    for kind in ("slack", "feishu", "dingtalk", "wecom"):
        received = services.chats[kind].accepted[0]
        shown, links = seen(received)
        assert HOSTILE in shown, kind
        assert not [link for link in links if "evil" in link], kind
        raw = received.body.decode("utf-8")
        for live in ("@all", "https://evil", *(() if kind == "feishu" else ("<script",))):
            assert live not in raw, (kind, live)
    subjects = [c["subject"] for c in services.chats["webhook"].accepted[0].json["commits"]]
    assert HOSTILE in subjects
    mail = services.mail.mails[0].message
    plain = mail.get_body(("plain",)).get_content()
    page = mail.get_body(("html",)).get_content()
    assert HOSTILE in plain.replace(WORD_JOINER, "") and "<script" not in page
    assert "@all" not in plain and "https://evil" not in page


def test_signatures_verify(clone, services: Services, tmp_path):
    config = project(tmp_path / "p", clone, services.mail)
    assert run_days(config, services.environ()).returncode == 0
    for kind in SIGNED:  # the servers refuse a bad signature; every request was accepted
        received = services.chats[kind].received
        assert received and all(r.accepted for r in received), [r.refusal for r in received]


def test_a_failure_is_one_warning_and_the_next_run_sends_only_it(
    clone, services: Services, tmp_path
):
    config = project(tmp_path / "p", clone, services.mail)
    slack = services.chats["slack"]
    slack.fail(400, "invalid_payload", times=1)  # the first message is refused
    first = run_days(config, services.environ())
    assert first.returncode == 0, first.stderr  # the site still deploys
    warnings = [ln for ln in (first.stdout + first.stderr).splitlines() if "Warning" in ln]
    assert warnings == [
        "Warning: notify 'team-slack' (slack): day/sgl-project/sglang/2026-02-10: HTTP 400 "
        "from the webhook: invalid_payload; it is sent again next run"
    ]
    assert days_in(slack) == DAYS[1:]
    others = {k: len(s.received) for k, s in services.chats.items() if k != "slack"}
    second = run_days(config, services.environ())
    assert second.returncode == 0 and "Warning" not in second.stdout + second.stderr
    assert days_in(slack) == [*DAYS[1:], DAYS[0]]  # only what failed
    assert {k: len(s.received) for k, s in services.chats.items() if k != "slack"} == others
    assert len(services.mail.mails) == 3


def test_no_secret_in_any_output(clone, services: Services, tmp_path):
    config = project(tmp_path / "p", clone, services.mail)
    services.chats["wecom"].fail(500, "server error", times=1)
    done = [run_days(config, services.environ()) for _ in range(2)]
    written = b"".join(p.read_bytes() for p in (tmp_path / "p").rglob("*") if p.is_file()).decode(
        "utf-8", "replace"
    )
    printed = "".join(d.stdout + d.stderr for d in done)
    assert "Warning: notify 'team-wecom' (wecom)" in printed
    for secret in services.secrets():
        assert secret not in printed and secret not in written


def test_a_missing_variable_stops_the_run_before_anything_is_written(
    clone, services: Services, tmp_path
):
    config = project(tmp_path / "p", clone, services.mail)
    env = {k: v for k, v in services.environ().items() if k != "FEISHU_SECRET"}
    done = run_days(config, env)
    assert done.returncode == 2
    assert "needs $FEISHU_SECRET" in done.stderr
    assert not (tmp_path / "p" / "data").exists()


def test_noise_is_rated_low_with_its_rule(clone, services: Services, tmp_path):
    config_file = project(tmp_path / "p", clone, services.mail)
    assert run_days(config_file, services.environ()).returncode == 0
    config = load_config(config_file)
    found = {}
    for day in (date(2026, 2, 10), date(2026, 2, 11)):
        record = load_record(config.data_dir, REPO, day)
        assert record is not None
        for commit in record.commits:
            found[commit.subject] = (commit.tier, commit.analysis and commit.analysis.ignored)
    assert found["Bump torch from 2.1 to 2.2 (#103)"] == ("low", "author dependabot[bot]")
    assert found["[Auto Sync] mirror the moe configs"] == ("low", "subject ^\\[Auto Sync\\]")
    assert found["docs: the moe guide"] == ("low", "paths docs/**")
    assert found["feat(moe): fused_moe kernels for H100 (#101)"][1] is None
