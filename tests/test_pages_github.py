"""What the records know from GitHub on the pages: pull requests, logins, truncated files;
rendered, built strictly with MkDocs and read as a browser does."""

from __future__ import annotations

from datetime import date

from generator.models import FileChange, Person, PullRequest
from generator.pipeline import render

from factory import at, make_commit, make_record, store
from sitebuild import NS, build_site, parse, text_of

DAY = date(2026, 2, 11)
PULL = PullRequest(
    number=18096,
    title="[Doc] DP <b>guide</b> | @someone",
    url="https://github.com/sgl-project/sglang/pull/18096",
    labels=("documentation", "run-ci", "a/b c"),
    body="long description",
)


def archive(make_config, write_config):
    config = make_config(repos=[{"name": "sgl-project/sglang", "source": "github"}])
    from_api = make_commit("[Doc] DP guide (#18096)", at(DAY, 23), tier="high").model_copy(
        update={
            "pull_request": PULL,
            "author": Person(name="Ann Author", email="ann@example.org", login="ann-a"),
            "committer": Person(name="GitHub", email="noreply@github.com", login="web-flow"),
            "files": tuple(
                FileChange(path=f"d/{n}.md", additions=1, deletions=0) for n in range(3)
            ),
            "files_truncated": True,
        }
    )
    old_record = make_commit("fix: from an older record (#17)", at(DAY, 9), tier="low")
    store(config, make_record("sgl-project/sglang", DAY, [from_api, old_record]))
    render(config)
    return config, from_api, old_record


def test_pull_requests_logins_and_truncation_on_the_pages(make_config, write_config):
    config, commit, _ = archive(make_config, write_config)
    page = (config.docs_dir / f"commits/sgl-project/sglang/{commit.sha[:12]}.md").read_text()
    day = (config.docs_dir / "daily/2026/02/11.md").read_text()

    pull_link = (
        r"[\#18096 \[Doc\] DP &lt;b&gt;guide&lt;/b&gt; \| @someone]"
        "(https://github.com/sgl-project/sglang/pull/18096) "
        "[documentation](https://github.com/sgl-project/sglang/labels/documentation) "
        "[run-ci](https://github.com/sgl-project/sglang/labels/run-ci) "
        "[a/b c](https://github.com/sgl-project/sglang/labels/a%2Fb%20c)"
    )
    assert f"- **拉取请求:** {pull_link}\n" in page
    assert f" · {pull_link}\n" in day
    assert "- **作者:** [Ann Author](https://github.com/ann-a)\n" in page
    # GitHub (web-flow) committed it, as it does every pull request merged on its web page:
    # not a fact worth a line on nearly every commit page.
    assert "提交者" not in page
    assert "| [Ann Author](https://github.com/ann-a) |" in day
    assert "*GitHub 最多列出一个提交的 3,000 个文件，此列表到此为止。*" in page


def test_older_records_keep_the_number_from_the_subject(make_config, write_config):
    config, _, old = archive(make_config, write_config)
    page = (config.docs_dir / f"commits/sgl-project/sglang/{old.sha[:12]}.md").read_text()
    assert r"- **拉取请求:** [\#17](https://github.com/sgl-project/sglang/pull/17)" in page
    assert "提交者" not in page  # GitHub committed it: no line (see above)
    assert "3,000" not in page


def test_the_pages_build_strictly_and_show_the_pull_request_as_text(
    make_config, write_config, tmp_path
):
    config, commit, _ = archive(make_config, write_config)
    build_site(config, tmp_path / "site")  # strict: a warning fails it
    html = parse(tmp_path / f"site/commits/sgl-project/sglang/{commit.sha[:12]}/index.html")
    article = html.find(f".//{NS}article")
    assert not article.findall(f".//{NS}b")  # the title's <b> stayed text
    links = {text_of(a): a.get("href") for a in article.iter(f"{NS}a")}
    assert links["#18096 [Doc] DP <b>guide</b> | @someone"] == PULL.url
    assert links["a/b c"] == "https://github.com/sgl-project/sglang/labels/a%2Fb%20c"
    assert links["Ann Author"] == "https://github.com/ann-a"
