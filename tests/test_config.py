from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import ConfigError
from generator.sources.git import GitSource


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    path = tmp_path / "clone"
    path.mkdir()
    return path


def repo(clone: Path, **extra: object) -> dict[str, object]:
    return {"name": "sgl-project/sglang", "branch": "main", "path": str(clone), **extra}


def test_valid_config_resolves_paths_relative_to_the_file(write_config, clone, tmp_path):
    config = load_config(write_config(repos=[repo(clone)], data_dir="records"))
    assert config.repos[0].path == clone
    assert config.data_dir == tmp_path / "records"
    assert config.docs_dir == tmp_path / "docs"
    assert config.site_url == "https://example.org/digest/"
    assert config.tz.key == "Asia/Shanghai"


def test_relative_clone_path(write_config, clone, tmp_path):
    config = load_config(write_config(repos=[repo(Path("clone"))]))
    assert config.repos[0].path == tmp_path / "clone"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"colour": "blue"}, "digest.yml: colour: unknown key; check its spelling"),
        ({"timezone": "Mars/Olympus"}, "timezone: 'Mars/Olympus' is not an IANA timezone"),
        ({"language": "fr"}, "language: must be 'zh' or 'en'"),
        ({"site_url": "example.org"}, "site_url: 'example.org' is not an http(s) URL"),
        ({"repos": "sglang"}, "repos: must be a list"),
        ({"repos": []}, "repos: needs at least one entry"),
        ({"start": "last week"}, "start: Input should be a valid date"),
    ],
)
def test_config_mistakes_are_one_line_naming_the_key(write_config, clone, overrides, message):
    raw = {"repos": [repo(clone)], **overrides}
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(**raw))
    text = str(caught.value)
    assert message in text
    assert "\n" not in text


def test_repo_mistakes_name_the_list_index(write_config, clone):
    repos = [repo(clone), {"name": "nope", "path": str(clone), "brnach": "main"}]
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(repos=repos))
    text = str(caught.value)
    assert "repos[1].name: 'nope' is not of the form owner/name" in text
    assert "repos[1].brnach: unknown key" in text


def test_a_missing_clone_path_loads_and_is_checked_when_a_run_opens_it(write_config, tmp_path):
    config = load_config(write_config(repos=[repo(tmp_path / "gone")]))
    with pytest.raises(ConfigError) as caught:
        GitSource.open(config.repos[0])
    assert str(caught.value) == (
        f"Repository 'sgl-project/sglang': {tmp_path / 'gone'} does not exist; "
        "clone sgl-project/sglang there or fix repos[].path"
    )


def test_duplicate_repositories(write_config, clone):
    with pytest.raises(ConfigError, match="repository listed twice: sgl-project/sglang"):
        load_config(write_config(repos=[repo(clone), repo(clone)]))


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(ConfigError, match="config file not found; pass --config FILE"):
        load_config(tmp_path / "nothing.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("site_url: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.yml: invalid YAML at line 2, column 1"):
        load_config(bad)
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="expected a mapping of settings, got list"):
        load_config(bad)


def test_shipped_config_is_valid():
    config = load_config(Path(__file__).resolve().parent.parent / "digest.yml")
    assert config.repos[0].path.resolve() == Path(__file__).resolve().parent.parent


# -- sources, GitHub and publishing (issue 10) -----------------------------------------


def test_each_kind_of_source_has_its_own_entry(write_config, tmp_path):
    config = load_config(
        write_config(
            repos=[
                {"name": "o/clone", "path": "clone"},
                {"name": "o/api", "source": "github", "branch": "dev"},
                {"name": "o/kept", "source": "mirror", "pull_requests": "off"},
            ],
            github={"api_url": "https://ghe.example.com/api/v3/", "token_env": "GHE_TOKEN"},
        )
    )
    clone, api, kept = config.repos
    assert (clone.source, clone.path) == ("git", tmp_path / "clone")  # checked only by a run
    assert (api.source, api.branch, api.pull_requests) == ("github", "dev", None)
    assert (kept.source, kept.url, kept.pull_requests) == ("mirror", None, "off")
    assert config.mirror_dir == tmp_path / "mirrors"
    assert config.github.api_url == "https://ghe.example.com/api/v3"
    assert config.github.web_url == "https://ghe.example.com"
    assert config.publish.github_issue is None


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "o/r"}, "repos[0].path: required key is missing; or set source: mirror or "
                          "github (no clone needed)"),
        ({"name": "o/r", "source": "svn"}, "repos[0].source: must be 'git', 'mirror' or 'github'"),
        ({"name": "o/r", "source": "mirror", "path": "x"},
         "repos[0].path: unknown key; it belongs to a 'source: git' entry"),
        ({"name": "o/r", "source": "github", "ulr": "x"},
         "repos[0].ulr: unknown key; check its spelling"),
        ({"name": "o/r", "source": "mirror", "ulr": "x"}, "repos[0].ulr: unknown key; did you "
                                                          "mean 'url'?"),
        ({"name": "o/r", "source": "mirror", "url": "github.com/o/r"},
         "repos[0].url: 'github.com/o/r' is not a git URL"),
        ({"name": "o/r", "source": "mirror", "url": "https://me:ghp_x@github.com/o/r.git"},
         "repos[0].url: must not hold credentials; the token comes from github.token_env"),
        ({"name": "o/r", "source": "github", "pull_requests": "all"},
         "repos[0].pull_requests: must be 'api', 'subject' or 'off'"),
    ],
)  # fmt: skip
def test_source_mistakes_are_one_line_naming_the_key(write_config, entry, message):
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(repos=[entry]))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"github": {"tokn_env": "X"}}, "github.tokn_env: unknown key; did you mean 'token_env'?"),
        ({"github": {"token_env": "$GITHUB_TOKEN"}}, "github.token_env: '$GITHUB_TOKEN' is not an "
                                                    "environment variable name"),
        ({"github": {"api_url": "api.github.com"}}, "github.api_url: 'api.github.com' is not an "
                                                    "http(s) URL"),
        ({"github": {"max_wait": -1}}, "github.max_wait: Input should be greater than or equal "
                                       "to 0"),
        ({"publish": {"github_issue": {"repo": "digest"}}},
         "publish.github_issue.repo: 'digest' is not of the form owner/name"),
        ({"publish": {"github_isue": {"repo": "o/d"}}},
         "publish.github_isue: unknown key; did you mean 'github_issue'?"),
    ],
)  # fmt: skip
def test_github_and_publish_mistakes_are_one_line(write_config, overrides, message):
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(repos=[{"name": "o/r", "source": "github"}], **overrides))
    assert message in str(caught.value)
