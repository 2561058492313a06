"""What a watch follows, exactly: each criterion alone, the repositories and the lowest tier
around them, noise never; and the `watches:` config, each mistake one line."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from generator.config import Watch, parse_config
from generator.errors import ConfigError
from generator.models import Analysis, Commit, FileChange, InterfaceChange, Person, PullRequest
from generator.render.watches import WatchDay, hits_of, matches, newest_days, watches_of

from factory import at, make_commit, make_record

REPO, OTHER = "sgl-project/sglang", "acme/widgets"
DAY = date(2026, 2, 10)


def watch(**values: Any) -> Watch:
    return Watch.model_validate({"name": "w", **values})


def commit(
    subject: str = "change things",
    paths: tuple[str, ...] = ("python/pkg/mod.py",),
    tier: str = "medium",
    body: str = "",
    author: tuple[str, str, str | None] = ("Ann Author", "ann@example.org", None),
    pull: PullRequest | None = None,
    interfaces: tuple[InterfaceChange, ...] | None = None,
    renamed_from: str | None = None,
    ignored: str | None = None,
) -> Commit:
    files = tuple(
        FileChange(path=p, additions=1, deletions=1, old_path=renamed_from if i == 0 else None)
        for i, p in enumerate(paths)
    )
    made = make_commit(subject, at(DAY, 10), tier=tier, files=files, body=body)
    assert made.analysis is not None
    name, email, login = author
    return made.model_copy(
        update={
            "author": Person(name=name, email=email, login=login),
            "pull_request": pull,
            "interface_changes": interfaces,
            "analysis": made.analysis.model_copy(update={"ignored": ignored}),
        }
    )


OPTION = InterfaceChange(kind="option", name="--max-running-requests", change="added", file="a.py")


@pytest.mark.parametrize(
    ("criterion", "hit", "miss"),
    [
        # paths: any file, `*` inside a folder, `**` across folders, a rename's old path
        ({"paths": ["python/moe/**"]}, commit(paths=("a.py", "python/moe/x/y.py")), commit()),
        (
            {"paths": ["python/*.py"]},
            commit(paths=("python/a.py",)),
            commit(paths=("python/x/a.py",)),
        ),
        (
            {"paths": ["python/moe"]},
            commit(paths=("python/moe/a.py",)),
            commit(paths=("python/moe_x/a.py",)),
        ),
        (
            {"paths": ["old/**"]},
            commit(paths=("new/a.py",), renamed_from="old/a.py"),
            commit(paths=("new/a.py",)),
        ),
        # keywords: case-insensitive, in the subject, the body or the PR title
        ({"keywords": ["Fused_MoE"]}, commit("tune FUSED_MOE configs"), commit("tune fused moe")),
        ({"keywords": ["deepep"]}, commit(body="uses DeepEP now"), commit(body="uses deep ep")),
        (
            {"keywords": ["deepep"]},
            commit(pull=PullRequest(number=1, title="DeepEP low latency")),
            commit(pull=PullRequest(number=1, title="low latency", body="deepep")),
        ),
        # labels: equal to one of the PR's labels, ignoring case (not a part of one)
        (
            {"labels": ["MoE"]},
            commit(pull=PullRequest(number=1, labels=("moe", "perf"))),
            commit(pull=PullRequest(number=1, labels=("moe-kernels",))),
        ),
        ({"labels": ["moe"]}, commit(pull=PullRequest(number=1, labels=("MOE",))), commit()),
        # authors: the name, the e-mail or the login, ignoring case
        ({"authors": ["ann author"]}, commit(), commit(author=("Annie", "x@example.org", None))),
        (
            {"authors": ["ANN@example.org"]},
            commit(author=("A.", "ann@example.org", None)),
            commit(author=("Ann", "ann@example.com", None)),
        ),
        (
            {"authors": ["ann-gh"]},
            commit(author=("A.", "a@example.org", "Ann-GH")),
            commit(author=("ann-gh2", "a@example.org", "ann-gh2")),
        ),
        # interfaces: a commit with interface changes; none known or none found is no match
        ({"interfaces": True}, commit(interfaces=(OPTION,)), commit(interfaces=())),
        ({"interfaces": True}, commit(interfaces=(OPTION,)), commit(interfaces=None)),
    ],
)
def test_each_criterion_matches_exactly(criterion, hit: Commit, miss: Commit) -> None:
    w = watch(**criterion)
    assert matches(w, REPO, hit)
    assert not matches(w, REPO, miss)


def test_any_criterion_is_enough() -> None:
    w = watch(paths=["python/moe/**"], keywords=["deepep"], authors=["bot"])
    assert matches(w, REPO, commit("add deepep", paths=("README.md",)))
    assert matches(w, REPO, commit("x", paths=("python/moe/a.py",)))
    assert matches(w, REPO, commit("x", author=("bot", "b@example.org", None)))
    assert not matches(w, REPO, commit("x", paths=("README.md",)))


def test_repositories_and_the_lowest_tier_bound_every_criterion() -> None:
    w = watch(keywords=["moe"], repos=[REPO], min_tier="medium")
    assert matches(w, REPO, commit("moe", tier="medium"))
    assert matches(w, REPO, commit("moe", tier="high"))
    assert not matches(w, REPO, commit("moe", tier="low"))
    assert not matches(w, OTHER, commit("moe", tier="high"))
    everywhere = watch(keywords=["moe"], min_tier="high")
    assert matches(everywhere, OTHER, commit("moe", tier="high"))
    assert not matches(everywhere, OTHER, commit("moe", tier="medium"))


def test_noise_is_in_no_watch() -> None:
    w = watch(keywords=["bump"], authors=["dependabot[bot]"], interfaces=True)
    noise = commit(
        "Bump torch",
        author=("dependabot[bot]", "bot@example.org", "dependabot[bot]"),
        interfaces=(OPTION,),
        ignored="author dependabot[bot]",
    )
    assert not matches(w, REPO, noise)
    assert matches(w, REPO, noise.model_copy(update={"analysis": _plain(noise.analysis)}))


def _plain(analysis: Analysis | None) -> Analysis:
    assert analysis is not None
    return analysis.model_copy(update={"ignored": None})


def test_hits_list_each_watch_in_record_order() -> None:
    first = commit("moe one", tier="high")
    second = commit("moe two", paths=("docs/a.md",), tier="low").model_copy(
        update={"sha": "b" * 40}
    )
    record = make_record(REPO, DAY, [first, second])
    watches = (watch(name="moe", keywords=["moe"]), watch(name="docs", paths=["docs/**"]))
    assert hits_of(watches, record) == {
        "moe": ((first.short_sha, "high"), ("b" * 12, "low")),
        "docs": (("b" * 12, "low"),),
    }
    assert [w.name for w in watches_of(watches, REPO, second)] == ["moe", "docs"]


def test_a_page_lists_whole_days_up_to_its_bounds() -> None:
    def day(back: int, count: int) -> WatchDay:
        return WatchDay(REPO, DAY - timedelta(days=back), (("a" * 12, "low"),) * count)

    shown, older = newest_days([day(0, 150), day(1, 40), day(2, 30), day(3, 5)], 200, 60)
    assert [len(d.hits) for d in shown] == [150, 40, 30] and older == 5  # whole days
    shown, older = newest_days([day(0, 1), day(59, 1), day(60, 1)], 200, 60)
    assert len(shown) == 2 and older == 1  # 60 days at most
    two_repos = [day(0, 199), WatchDay(OTHER, DAY, (("b" * 12, "high"),) * 3), day(1, 1)]
    shown, older = newest_days(two_repos, 200, 60)
    assert len(shown) == 2 and older == 1  # a day is never cut, across repositories


# -- the config ---------------------------------------------------------------------------

BASE: dict[str, Any] = {
    "site_url": "https://example.org/",
    "repos": [{"name": REPO, "path": "clone"}, {"name": OTHER, "path": "clone"}],
}


def error(**raw: Any) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_config({**BASE, **raw}, base=Path("/srv"))
    return str(caught.value).removeprefix("digest.yml: ")


def test_a_watch_parses() -> None:
    config = parse_config(
        {
            **BASE,
            "watches": [
                {
                    "name": "moe",
                    "title": "MoE kernels",
                    "repos": [REPO],
                    "paths": ["python/sglang/srt/layers/moe/**", " sgl-kernel/csrc/moe/** "],
                    "keywords": ["fused_moe", "deepep"],
                    "labels": ["moe"],
                    "authors": [],
                    "interfaces": True,
                    "min_tier": "medium",
                    "notify": ["team-moe"],
                }
            ],
            "notify": [{"name": "team-moe", "type": "slack", "url_env": "X", "what": "watch"}],
        },
        base=Path("/srv"),
    )
    (moe,) = config.watches
    assert moe.heading == "MoE kernels" and moe.paths[1] == "sgl-kernel/csrc/moe/**"
    assert moe.min_tier == "medium" and moe.notify == ("team-moe",)


@pytest.mark.parametrize(
    ("watches", "notify", "message"),
    [
        (
            [{"name": "MoE", "keywords": ["x"]}],
            [],
            "watches[0].name: 'MoE' is not a watch name (lowercase letters, digits and '-')",
        ),
        (
            [{"name": "moe", "keywords": ["x"]}, {"name": "moe", "interfaces": True}],
            [],
            "watches: watch name used twice: moe",
        ),
        (
            [{"name": "moe", "interfaces": False}],
            [],
            "watches[0]: watch 'moe' matches nothing: give it paths, keywords, labels, authors "
            "or interfaces: true",
        ),
        (
            [{"name": "moe", "paths": ["python/[z-a]/**"]}],
            [],
            "watches[0].paths[0]: 'python/[z-a]/**' is not a path glob: bad character range "
            "z-a at position 8",
        ),
        (
            [{"name": "moe", "keywords": ["x"], "repos": ["acme/nothing"]}],
            [],
            "watches[0].repos: 'acme/nothing' is not under repos: (configured: "
            "sgl-project/sglang, acme/widgets)",
        ),
        (
            [{"name": "moe", "keywords": ["x"], "notify": ["team"]}],
            [],
            "watches[0].notify: 'team' is not a notify: target (targets: none)",
        ),
        (
            [{"name": "moe", "keywords": ["x"], "notify": ["team"]}],
            [{"name": "team", "type": "slack", "url_env": "X"}],
            "watches[0].notify: target 'team' has what: day; a watch sends to targets with "
            "what: watch",
        ),
        (
            [{"name": "moe", "keywords": ["x"]}],
            [{"name": "team", "type": "slack", "url_env": "X", "what": "watch"}],
            "notify: target 'team' has what: watch but no watch names it in its notify: list",
        ),
        (
            [{"name": "moe", "keywords": ["x"], "min_tier": "urgent"}],
            [],
            "watches[0].min_tier: must be 'low', 'medium' or 'high'",
        ),
        (
            [{"name": "moe", "keyword": ["x"]}],
            [],
            "watches[0].keyword: unknown key; did you mean 'keywords'?",
        ),
        (
            [{"name": "moe", "keywords": ["  "]}],
            [],
            "watches[0].keywords: an empty entry matches everything; remove it",
        ),
    ],
)
def test_each_mistake_is_one_line(watches, notify, message: str) -> None:
    assert error(watches=watches, notify=notify) == message


def test_a_watch_whose_feed_would_be_a_repositorys_is_refused() -> None:
    raw = {**BASE, "repos": [*BASE["repos"], {"name": "watches/moe", "path": "clone"}]}
    with pytest.raises(ConfigError, match="'moe' would share its feed with repository"):
        parse_config({**raw, "watches": [{"name": "moe", "keywords": ["x"]}]}, base=Path("/"))


@pytest.mark.parametrize(
    ("ignore", "message"),
    [
        (
            {"subjects": ["^[Auto Sync"]},
            "repos[0].ignore.subjects[0]: '^[Auto Sync' is not a regular expression: "
            "unterminated character set at position 1",
        ),
        (
            {"paths": [""]},
            "repos[0].ignore.paths[0]: '' is not a path glob (write e.g. docs/** or src/*.py)",
        ),
        (
            {"bots": ["x"]},
            "repos[0].ignore.bots: unknown key; check its spelling against the README's "
            "config reference",
        ),
    ],
)
def test_noise_rule_mistakes_are_one_line(ignore, message: str) -> None:
    raw = {**BASE, "repos": [{"name": REPO, "path": "clone", "ignore": ignore}]}
    with pytest.raises(ConfigError) as caught:
        parse_config(raw, base=Path("/srv"))
    assert str(caught.value) == "digest.yml: " + message
