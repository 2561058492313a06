"""What a reader's search for a topic finds: the glossary's topics against a plain English count.

    .venv/bin/python bench/bench_topics.py [--repo DIR] [--since DAY] [--until DAY]
        [--language zh|en] [--samples N] [--config digest.yml]

Reads the commits of a real history (`git log` on the branch, committer dates in
Asia/Shanghai, subject and changed paths; no pull-request titles or labels), gives each its
topics as the archive would, and prints for each topic of TOPICS:

- `topic`: the commits that carry the topic (what a search for its name finds);
- `english`: the commits whose subject or paths name it in English by a plain,
  independent test (a case-insensitive regular expression of the usual spellings, below),
  and `in subject`: those whose subject does;
- `both`, `topic only`, `english only`: the overlap, and a sample of the subjects of each
  part, so that precision and recall can be judged by eye;
- `contains`: the commits carrying any topic whose name contains the word (a search for
  注意力 also finds 稀疏注意力 and MLA 注意力 chips, if the search engine segments them).

Default: sglang 2026-02-10..16 from the snapshot the owner named.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from generator.analysis.topics import Glossary, Language, load_glossary
from generator.config import load_config
from generator.errors import ConfigError

REPO = Path("/work/.mirror/bytedance-iaas+sglang/repo")
SGLANG = "sgl-project/sglang"

# The topic's Chinese name, and what "names it in English" means for the independent count:
# the canonical term and the obvious variants, anywhere in the subject or a path.
TOPICS: dict[str, str] = {
    "量化": r"quant|fp8|fp4|int4|int8|awq|gptq|w8a8|w4a8|marlin|modelopt|gguf|mxfp|nvfp",
    "投机解码": r"specul|\bspec\b|spec_|eagle|\bmtp\b|_mtp|mtp_|nextn|draft|medusa|ngram",
    "注意力": r"attention|attn|\batten\b",
    "调度": r"schedul|\bsched",
    "显存": r"memory|\bmem\b|mem_|_mem\b|vram|\boom\b",
    "张量并行": r"tensor[ _-]?parallel|\btp\b|\btp_|_tp\b|\btp\d|\btp=",
    "专家并行": r"expert[ _-]?parallel|\bep\b|\bep_|_ep\b|\bep\d|deepep|eplb|\bep=",
    "分词器": r"tokeniz",
    "混合专家": r"\bmoe\b|moe_|_moe|fusedmoe|mixture[ _-]of[ _-]experts|\bexperts?\b",
}


@dataclass(frozen=True)
class Commit:
    sha: str
    subject: str
    paths: tuple[str, ...]


def read_commits(repo: Path, branch: str, since: str, until: str) -> list[Commit]:
    """Commits whose committer date falls in [since 00:00, until+1 00:00) Asia/Shanghai."""
    out = subprocess.run(
        [
            "git", f"--git-dir={repo}", "log", branch, "--name-only", "--format=%x1e%H%x1f%s",
            f"--since={since}T00:00:00+08:00", f"--until={until}T23:59:59+08:00",
        ],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    commits = []
    for chunk in out.split("\x1e")[1:]:
        head, _, rest = chunk.partition("\n")
        sha, _, subject = head.partition("\x1f")
        paths = tuple(line for line in rest.splitlines() if line.strip())
        commits.append(Commit(sha, subject, paths))
    return commits


def report(commits: list[Commit], glossary: Glossary, language: Language, samples: int) -> None:
    started = time.perf_counter()
    topics = [
        glossary.topics(c.subject, paths=c.paths, language=language, repo=SGLANG) for c in commits
    ]
    elapsed = time.perf_counter() - started
    files = sum(len(c.paths) for c in commits)
    print(f"{len(commits)} commits, {files} paths, topics in {elapsed * 1000:.0f} ms")
    with_any = sum(1 for t in topics if t)
    print(f"commits with at least one topic: {with_any} ({with_any / len(commits):.0%})\n")
    print("| topic | topic | english | in subject | both | topic only | english only | contains |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    details = []
    names = {e.zh: e.name(language) for e in glossary.entries}
    for zh, pattern in TOPICS.items():
        name = names.get(zh, zh)  # what the archive shows, and a reader searches for
        english = re.compile(pattern, re.IGNORECASE)
        named = {
            i
            for i, c in enumerate(commits)
            if any(english.search(t) for t in (c.subject, *c.paths))
        }
        in_subject = {i for i, c in enumerate(commits) if english.search(c.subject)}
        tagged = {i for i, t in enumerate(topics) if name in t}
        contains = {i for i, t in enumerate(topics) if any(name in x for x in t)}
        print(
            f"| {name} | {len(tagged)} | {len(named)} | {len(in_subject)} | {len(tagged & named)} "
            f"| {len(tagged - named)} | {len(named - tagged)} | {len(contains)} |"
        )
        details.append((name, tagged, named))
    for name, tagged, named in details:
        for label, part in (("both", tagged & named), ("topic only", tagged - named),
                            ("english only", named - tagged)):  # fmt: skip
            if not part:
                continue
            print(f"\n{name}, {label} ({len(part)}):")
            for i in sorted(part)[:samples]:
                print(f"  {commits[i].subject[:100]}  → {', '.join(topics[i])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=REPO, help="a git directory (bare is fine)")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--since", default="2026-02-10", help="first day (YYYY-MM-DD)")
    parser.add_argument("--until", default="2026-02-16", help="last day (YYYY-MM-DD)")
    parser.add_argument("--language", choices=("zh", "en"), default="zh")
    parser.add_argument("--samples", type=int, default=8, help="subjects listed per part")
    parser.add_argument("--config", type=Path, help="digest.yml whose glossary: to merge")
    args = parser.parse_args(argv)
    if not args.repo.exists():
        print(f"Error: {args.repo} not found; pass --repo DIR", file=sys.stderr)
        return 2
    try:
        glossary = load_glossary(load_config(args.config).glossary if args.config else ())
    except ConfigError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    commits = read_commits(args.repo, args.branch, args.since, args.until)
    print(f"{args.repo} {args.branch} {args.since}..{args.until}, glossary "
          f"{len(glossary.entries)} entries ({glossary.fingerprint()})")  # fmt: skip
    report(commits, glossary, args.language, args.samples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
