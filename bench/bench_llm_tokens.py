"""What an LLM analysis costs in input tokens, on real days replayed through real git.

Rebuilds the five recorded sgl-project/sglang days (tests/fixtures, the same history
the tests use: real subjects, people, dates and per-file line counts; file contents
made up to give those counts) as a git repository, runs the real pipeline with
`analyzer: llm` against a local chat-completions server (tests/llm_server.py, which
answers every request with a valid analysis), and counts the tokens of every
request the server received with the model's tokenizer. Prints a table per day.

    .venv/bin/python bench/bench_llm_tokens.py [--model deepseek-chat] [--max-input 24000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from generator.analysis.tokens import counter_for  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.pipeline import DayRange, run  # noqa: E402

from llm_server import LlmServer  # noqa: E402
from sglang_repo import build_sglang_repo  # noqa: E402

DAYS = [date(2026, 2, d) for d in range(10, 15)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="deepseek-chat")
    parser.add_argument("--max-input", type=int, default=24000)
    args = parser.parse_args()
    count, exact = counter_for(args.model)
    with tempfile.TemporaryDirectory() as tmp, LlmServer() as server:
        folder = Path(tmp)
        build_sglang_repo(folder / "clone")
        settings = {
            "base_url": server.url,
            "model": args.model,
            "api_key_env": None,
            "max_input_tokens": args.max_input,
        }
        (folder / "digest.yml").write_text(
            json.dumps(
                {
                    "site_url": "https://example.org/d/",
                    "language": "zh",
                    "analyzer": "llm",
                    "llm": settings,
                    "repos": [{"name": "sgl-project/sglang", "path": "clone"}],
                }
            ),
            encoding="utf-8",
        )
        config = load_config(folder / "digest.yml")
        print(f"model {args.model} ({'its own tokenizer' if exact else 'estimated'}), "
              f"max_input_tokens {args.max_input}\n")  # fmt: skip
        print("| day | commits | requests | tokens in per commit: min / median / mean / max "
              "| overview | total in |")  # fmt: skip
        print("|---|--:|--:|---|--:|--:|")
        for day in DAYS:
            first = len(server.requests)
            run(config, DayRange(day, day), now=lambda: datetime(2026, 2, 20, tzinfo=UTC))
            sent = [
                sum(count(m["content"]) for m in request["messages"])
                for request in server.requests[first:]
            ]
            is_overview = [
                '{"overview"' in r["messages"][-1]["content"] for r in server.requests[first:]
            ]
            overview = [n for n, o in zip(sent, is_overview, strict=True) if o]
            commits = [n for n, o in zip(sent, is_overview, strict=True) if not o]
            print(
                f"| {day} | {len(commits)} | {len(sent)} | {min(commits)} / "
                f"{statistics.median(commits):.0f} / {statistics.mean(commits):.0f} / "
                f"{max(commits)} | {sum(overview)} | {sum(sent)} |"
            )


if __name__ == "__main__":
    main()
