"""The LLM is told a commit's interface changes as facts (prompt p4), read from the clone."""

from __future__ import annotations

import json
from datetime import date

from generator.analysis import make_analyzer, open_llm_session
from generator.analysis.prompts import PROMPT_VERSION
from generator.config import load_config
from generator.localdays import day_window
from generator.sources.git import GitSource

from gitrepo import GitRepo
from llm_server import LlmServer

DAY = date(2026, 3, 2)
ENVS = "class Envs:\n    SGLANG_LOG_LEVEL = EnvStr('info')\n"


def test_the_prompt_gives_the_interface_changes_as_facts(tmp_path):
    repo = GitRepo.init(tmp_path / "clone")
    repo.commit("seed", {"python/pkg/environ.py": ENVS}, committed="2026-03-01T10:00:00+08:00")
    changed = ENVS.replace("'info'", "'debug'") + "    SGLANG_USE_MODELSCOPE = EnvBool(False)\n"
    repo.commit(
        "Support ModelScope",
        {"python/pkg/environ.py": changed},
        committed="2026-03-02T10:00:00+08:00",
    )
    with LlmServer() as server:
        settings = {"base_url": server.url, "model": "m", "api_key_env": None, "overview": False}
        config = {
            "site_url": "https://example.org/d/",
            "language": "en",
            "analyzer": "llm",
            "llm": settings,
            "repos": [{"name": "o/r", "branch": "main", "path": "clone"}],
        }
        (tmp_path / "digest.yml").write_text(json.dumps(config), encoding="utf-8")
        config = load_config(tmp_path / "digest.yml")
        source = GitSource.open(config.repos[0])
        (commit,) = source.commits(day_window(DAY, config.tz))
        session = open_llm_session(config)
        analysis = make_analyzer(config, config.repos[0], source, session).analyze(commit)
        session.close()
    assert PROMPT_VERSION == "p4" and analysis.analyzer == "llm:m@p4"
    (prompt,) = server.user_messages()
    assert (
        "Interface changes (found by comparing the declarations at this commit and its parent: "
        "facts the analysis must not contradict; a removal or a default change may break "
        "deployments that rely on it):\n"
        "- env SGLANG_LOG_LEVEL: default EnvStr('info') → EnvStr('debug') (python/pkg/environ.py)\n"
        "- env SGLANG_USE_MODELSCOPE: added EnvBool(False) (python/pkg/environ.py)\n"
    ) in prompt
