"""A GitHub REST API on 127.0.0.1 that PyGithub talks to, serving real git repositories.

    with GitHubServer(token="ghp_...") as github:
        github.add_repo("sgl-project/sglang", repo.path)
        config: github.api_url = github.api_url

It speaks the subset the digest uses, in GitHub's shapes: the repository, a branch, the
commits list (`sha`, `since`, `until`, `Link` pagination), a commit's detail (files 300 a
page, at most 3,000, with patches), a commit's pull requests, a file's contents at a
revision, and issues (list, create, edit). Every answer carries the rate-limit headers of a
budget the test sets; a test scripts faults (a status, headers, a dropped connection) for
requests that match a pattern, and reads back every request made. What it serves is computed
from the git repository with git itself (`rev-list`, `show`, `diff-tree`), independently of the
generator's own git source, so comparing the two compares two readings of one history.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from gitrepo import run_git, run_git_bytes

FILES_PER_PAGE = 300
FILE_LIMIT = 3000
STATUS = {"A": "added", "D": "removed", "M": "modified", "R": "renamed", "C": "copied"}
STATUS["T"] = "changed"


@dataclass
class Fault:
    """Answer requests matching `method` and `path` (a regex on the path and query) with
    `status` (and `headers`, `message`), or drop the connection; `times` times."""

    path: str
    status: int = 502
    method: str = "GET"
    times: int = 1
    headers: dict[str, str] = field(default_factory=dict)
    message: str = "Server Error"
    drop: bool = False


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    """Path and query, without the API prefix."""
    authorization: str | None


@dataclass
class Issue:
    number: int
    title: str
    body: str
    labels: list[str]
    state: str = "open"


class GitHubServer:
    PREFIX = "/api/v3"

    def __init__(self, token: str | None = None, limit: int = 5000) -> None:
        self.token = token
        """When set, a request with another Authorization is refused (401)."""
        self.repos: dict[str, Path] = {}
        self.pulls: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.logins: dict[str, str] = {}
        """E-mail address → the login GitHub links it to."""
        self.issues: dict[str, list[Issue]] = {}
        self.faults: list[Fault] = []
        self.requests: list[Request] = []
        self.git_requests: list[Request] = []
        """Requests for git's smart HTTP (`/<owner>/<name>.git/...`): answered 404."""
        self.limit = limit
        self.remaining = limit
        self.reset = int(time.time()) + 3600
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, ...], Any] = {}
        """Commits never change: what git said of one is kept (per repository path)."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- setting the scene -------------------------------------------------------------

    @property
    def web_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return self.web_url + self.PREFIX

    def __enter__(self) -> GitHubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_repo(self, name: str, path: Path) -> None:
        self.repos[name] = path
        self.issues.setdefault(name, [])

    def add_pull(
        self,
        repo: str,
        sha: str,
        number: int,
        title: str = "",
        labels: tuple[str, ...] = (),
        body: str | None = "",
        merged: bool = True,
        merge_commit_sha: str | None = None,
    ) -> None:
        url = f"{self.api_url}/repos/{repo}/pulls/{number}"
        self.pulls.setdefault((repo, sha), []).append(
            {
                "url": url,
                "id": number,
                "number": number,
                "html_url": f"{self.web_url}/{repo}/pull/{number}",
                "state": "closed" if merged else "open",
                "title": title,
                "body": body,
                "labels": [_label(repo, name, self.api_url) for name in labels],
                "merged_at": "2026-02-10T00:00:00Z" if merged else None,
                "merge_commit_sha": merge_commit_sha or (sha if merged else None),
                "user": _user("someone", self.api_url),
            }
        )

    def fail(self, path: str, **fault: Any) -> None:
        self.faults.append(Fault(path, **fault))

    def api_calls(self, pattern: str = "") -> list[Request]:
        return [r for r in self.requests if re.search(pattern, r.path)]

    # -- answering -------------------------------------------------------------------

    def answer(self, method: str, target: str, body: Any, auth: str | None) -> Any:
        """(status, headers, payload) for one request; payload None drops the connection."""
        parts = urlsplit(target)
        path, query = parts.path.removeprefix(self.PREFIX), parse_qs(parts.query)
        with self._lock:
            self.requests.append(Request(method, target.removeprefix(self.PREFIX), auth))
            for fault in self.faults:
                if fault.times and fault.method == method and re.search(fault.path, target):
                    fault.times -= 1
                    if fault.drop:
                        return 0, {}, None
                    headers = {**self._limit_headers(), **fault.headers}
                    return fault.status, headers, {"message": fault.message}
            if self.token and auth != f"token {self.token}" and auth is not None:
                return 401, self._limit_headers(), {"message": "Bad credentials"}
            if self.remaining <= 0:
                return (
                    403,
                    self._limit_headers(),
                    {
                        "message": "API rate limit exceeded for 127.0.0.1. (But here's the good "
                        "news: Authenticated requests get a higher rate limit.)"
                    },
                )
            self.remaining -= 1
            headers = self._limit_headers()
        status, payload, extra = self._route(method, path, query, body, auth, target)
        return status, {**headers, **extra}, payload

    def _limit_headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.remaining, 0)),
            "X-RateLimit-Reset": str(self.reset),
            "X-RateLimit-Used": str(self.limit - max(self.remaining, 0)),
            "X-RateLimit-Resource": "core",
        }

    def _route(
        self, method: str, path: str, query: dict[str, list[str]], body: Any, auth: str | None,
        target: str,
    ) -> tuple[int, Any, dict[str, str]]:  # fmt: skip
        match = re.fullmatch(r"/repos/([^/]+/[^/]+)(/.*)?", path)
        if not match or match[1] not in self.repos:
            return 404, {"message": "Not Found"}, {}
        name, rest = match[1], match[2] or ""
        one = {k: v[-1] for k, v in query.items()}
        if method == "GET" and rest == "":
            return 200, self._repo(name), {}
        if method == "GET" and (m := re.fullmatch(r"/branches/(.+)", rest)):
            return self._branch(name, m[1])
        if method == "GET" and rest == "/commits":
            return self._commits(name, one, target)
        if method == "GET" and (m := re.fullmatch(r"/commits/([^/]+)", rest)):
            return self._detail(name, m[1], one, target)
        if method == "GET" and (m := re.fullmatch(r"/commits/([^/]+)/pulls", rest)):
            sha = self._cached(name, "rev", m[1], lambda: self._resolve(name, m[1]))
            if sha is None:
                return 422, {"message": f"No commit found for SHA: {m[1]}"}, {}
            return 200, self.pulls.get((name, sha), []), {}
        if method == "GET" and (m := re.fullmatch(r"/contents/(.+)", rest)):
            return self._contents(name, unquote(m[1]), one.get("ref", "HEAD"))
        if method == "GET" and rest == "/tags":
            return self._tags(name, one, target)
        if method == "GET" and (m := re.fullmatch(r"/compare/(.+)\.\.\.(.+)", rest)):
            return self._compare(name, unquote(m[1]), unquote(m[2]), one, target)
        if method == "GET" and (m := re.fullmatch(r"/git/trees/([^/]+)", rest)):
            return self._tree(name, unquote(m[1]))
        if method == "GET" and (m := re.fullmatch(r"/git/blobs/([0-9a-f]{40})", rest)):
            data = run_git_bytes(self.repos[name], "cat-file", "blob", m[1])
            content = base64.b64encode(data).decode()
            return (
                200,
                {"sha": m[1], "size": len(data), "encoding": "base64", "content": content},
                {},
            )
        if rest == "/issues":
            if method == "GET":
                return self._list_issues(name, one, target)
            if method == "POST":
                return self._create_issue(name, body, auth)
        if m := re.fullmatch(r"/issues/(\d+)", rest):
            issue = next((i for i in self.issues[name] if i.number == int(m[1])), None)
            if issue is None:
                return 404, {"message": "Not Found"}, {}
            if method == "PATCH":
                return self._edit_issue(name, issue, body, auth)
            return 200, self._issue_json(name, issue), {}
        return 404, {"message": "Not Found"}, {}

    # -- repositories and commits ------------------------------------------------------

    def _repo(self, name: str) -> dict[str, Any]:
        return {
            "id": 1,
            "name": name.split("/")[1],
            "full_name": name,
            "owner": _user(name.split("/")[0], self.api_url),
            "url": f"{self.api_url}/repos/{name}",
            "html_url": f"{self.web_url}/{name}",
            "default_branch": "main",
            "private": False,
        }

    def _cached(self, name: str, kind: str, sha: str, compute: Any) -> Any:
        key = (str(self.repos[name]), kind, sha)
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def _resolve(self, name: str, rev: str) -> str | None:
        try:
            return run_git(self.repos[name], "rev-parse", "--verify", "-q", f"{rev}^{{commit}}")
        except AssertionError:
            return None

    def _branch(self, name: str, branch: str) -> tuple[int, Any, dict[str, str]]:
        sha = self._resolve(name, f"refs/heads/{branch}")
        if sha is None:
            return 404, {"message": "Branch not found"}, {}
        commit = self._commit_json(name, sha)
        return 200, {"name": branch, "commit": commit, "protected": False}, {}

    def _commits(
        self, name: str, query: dict[str, str], target: str
    ) -> tuple[int, Any, dict[str, str]]:
        sha = self._resolve(name, query.get("sha", "HEAD"))
        if sha is None:
            return 404, {"message": f"No commit found for SHA: {query.get('sha')}"}, {}
        since, until = _instant(query.get("since")), _instant(query.get("until"))
        listed = []
        for line in run_git(self.repos[name], "rev-list", "--timestamp", sha).splitlines():
            stamp, commit = line.split()
            # git log --since/--until: both ends included, by committer date.
            if (since is None or int(stamp) >= since) and (until is None or int(stamp) <= until):
                listed.append(commit)
        page, headers = _page(listed, query, target, default=30, most=100)
        return 200, [self._commit_json(name, c) for c in page], headers

    def _detail(
        self, name: str, rev: str, query: dict[str, str], target: str
    ) -> tuple[int, Any, dict[str, str]]:
        sha = self._cached(name, "rev", rev, lambda: self._resolve(name, rev))
        if sha is None:
            return 422, {"message": f"No commit found for SHA: {rev}"}, {}
        files = self._cached(name, "files", sha, lambda: self._files(name, sha))
        shown, headers = _page(files[:FILE_LIMIT], query, target, FILES_PER_PAGE, FILES_PER_PAGE)
        detail = self._commit_json(name, sha)
        additions = sum(f["additions"] for f in files)
        deletions = sum(f["deletions"] for f in files)
        detail["stats"] = {"total": additions + deletions, "additions": additions}
        detail["stats"]["deletions"] = deletions
        detail["files"] = shown
        return 200, detail, headers

    def _commit_json(self, name: str, sha: str) -> dict[str, Any]:
        fields = "%H%x00%P%x00%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%T%x00%B"
        raw = self._cached(
            name,
            "show",
            sha,
            lambda: run_git_bytes(self.repos[name], "show", "-s", f"--format={fields}", sha),
        )
        values = raw.decode("utf-8", "replace").split("\0")
        sha, parents, an, ae, at, cn, ce, ct, tree, message = values
        url = f"{self.api_url}/repos/{name}/commits/{sha}"
        return {
            "sha": sha,
            "node_id": "C_" + sha[:10],
            "url": url,
            "html_url": f"{self.web_url}/{name}/commit/{sha}",
            "comments_url": url + "/comments",
            "commit": {
                "url": f"{self.api_url}/repos/{name}/git/commits/{sha}",
                "author": {"name": an, "email": ae, "date": _iso(at)},
                "committer": {"name": cn, "email": ce, "date": _iso(ct)},
                "message": message.rstrip("\n"),
                "tree": {"sha": tree, "url": f"{self.api_url}/repos/{name}/git/trees/{tree}"},
                "comment_count": 0,
            },
            "author": self._account(ae),
            "committer": self._account(ce),
            "parents": [
                {"sha": p, "url": f"{self.api_url}/repos/{name}/commits/{p}"}
                for p in parents.split()
            ],
        }

    # -- tags, comparisons, trees (release reports) -------------------------------------

    def _tags(
        self, name: str, query: dict[str, str], target: str
    ) -> tuple[int, Any, dict[str, str]]:
        out = run_git(
            self.repos[name],
            "for-each-ref",
            "--sort=-refname",
            "--format=%(refname:strip=2) %(*objectname)%(objectname)",
            "refs/tags",
        )
        tags = []
        for line in out.splitlines():
            tag, shas = line.split(" ", 1)
            sha = shas[:40]  # the peeled commit of an annotated tag comes first
            url = f"{self.api_url}/repos/{name}/commits/{sha}"
            tags.append({"name": tag, "commit": {"sha": sha, "url": url}, "node_id": "T_" + tag})
        page, headers = _page(tags, query, target, default=30, most=100)
        return 200, page, headers

    def _compare(
        self, name: str, base: str, head: str, query: dict[str, str], target: str
    ) -> tuple[int, Any, dict[str, str]]:
        old, new = self._resolve(name, base), self._resolve(name, head)
        if old is None or new is None:
            return 404, {"message": "Not Found"}, {}
        repo = self.repos[name]
        shas = run_git(repo, "rev-list", "--reverse", f"{old}..{new}").split()  # oldest first
        page, headers = _page(shas, query, target, default=250, most=1000)
        diff = ["diff", "-M", "--numstat", "-z", old, new]
        files = []
        parts = run_git_bytes(repo, *diff).split(b"\0")
        i = 0
        while i < len(parts) and parts[i]:
            added, deleted, path = parts[i].decode().split("\t", 2)
            item = {"changes": int(added) + int(deleted) if added != "-" else 0}
            if path:
                item["filename"], i = path, i + 1
            else:
                item["previous_filename"], item["filename"] = (
                    parts[i + 1].decode(),
                    parts[i + 2].decode(),
                )
                i += 3
            files.append(item)
        return (
            200,
            {
                "url": f"{self.api_url}/repos/{name}/compare/{base}...{head}",
                "status": "ahead",
                "ahead_by": len(shas),
                "behind_by": 0,
                "total_commits": len(shas),
                "commits": [self._commit_json(name, c) for c in page],
                "files": files[:300],
            },
            headers,
        )

    def _tree(self, name: str, rev: str) -> tuple[int, Any, dict[str, str]]:
        sha = self._resolve(name, rev)
        if sha is None:
            return 404, {"message": "Not Found"}, {}
        out = run_git_bytes(self.repos[name], "ls-tree", "-r", "-z", sha).split(b"\0")
        tree = []
        for entry in filter(None, out):
            meta, path = entry.decode().split("\t", 1)
            mode, kind, blob = meta.split()
            tree.append({"path": path, "mode": mode, "type": kind, "sha": blob})
        return 200, {"sha": sha, "tree": tree, "truncated": False}, {}

    def _account(self, email: str) -> dict[str, Any] | None:
        login = self.logins.get(email)
        return _user(login, self.api_url) if login else None

    def _files(self, name: str, sha: str) -> list[dict[str, Any]]:
        """The commit's files against its first parent, as GitHub lists them."""
        repo = self.repos[name]
        parents = run_git(repo, "rev-list", "--parents", "-n", "1", sha).split()[1:]
        pair = [parents[0], sha] if parents else ["--root", sha]  # a root: against nothing
        diff = ["diff-tree", "-r", "-M", "--no-commit-id", *pair]
        raw = run_git_bytes(repo, *diff, "-z", "--raw").split(b"\0")
        counts = run_git_bytes(repo, *diff, "-z", "--numstat")
        numbers = [f for f in counts.split(b"\0") if b"\t" in f]
        patch = run_git_bytes(repo, *diff, "-p", "--no-color")
        sections = re.split(rb"^diff --git ", patch, flags=re.M)[1:]
        files, i = [], 0
        while i < len(raw) - 1:
            meta = raw[i].decode().lstrip(":").split()
            letter, i = meta[4][0], i + 1
            old = raw[i].decode("utf-8", "replace")
            new = old
            if letter in "RC":
                new, i = raw[i + 1].decode("utf-8", "replace"), i + 1
            i += 1
            added, deleted, _ = numbers[len(files)].split(b"\t", 2)
            binary = added == b"-"
            section = sections[len(files)].decode("utf-8", "replace")
            status = STATUS[letter]
            if letter == "M" and meta[2] == meta[3]:
                status = "changed"  # the mode alone changed
            item = {
                "sha": meta[2] if letter == "D" else meta[3],
                "filename": new,
                "status": status,
                "additions": 0 if binary else int(added),
                "deletions": 0 if binary else int(deleted),
                "changes": 0 if binary else int(added) + int(deleted),
                "blob_url": f"{self.web_url}/{name}/blob/{sha}/{new}",
                "raw_url": f"{self.web_url}/{name}/raw/{sha}/{new}",
                "contents_url": f"{self.api_url}/repos/{name}/contents/{new}?ref={sha}",
            }
            if "\n@@ " in section and not binary:
                item["patch"] = section[section.index("\n@@ ") + 1 :].rstrip("\n")
            if letter == "R":
                item["previous_filename"] = old
            files.append(item)
        return files

    def _contents(self, name: str, path: str, ref: str) -> tuple[int, Any, dict[str, str]]:
        """A file's contents at a revision, base64 as GitHub sends files up to 1 MB."""
        try:
            data = run_git_bytes(self.repos[name], "cat-file", "blob", f"{ref}:{path}")
        except AssertionError:
            return 404, {"message": "Not Found"}, {}
        item = {
            "type": "file",
            "encoding": "base64",
            "size": len(data),
            "name": path.rsplit("/", 1)[-1],
        }
        item |= {"path": path, "sha": run_git(self.repos[name], "rev-parse", f"{ref}:{path}")}
        item["content"] = base64.encodebytes(data).decode()
        return 200, item, {}

    # -- issues ------------------------------------------------------------------------

    def _issue_json(self, name: str, issue: Issue) -> dict[str, Any]:
        return {
            "url": f"{self.api_url}/repos/{name}/issues/{issue.number}",
            "html_url": f"{self.web_url}/{name}/issues/{issue.number}",
            "id": issue.number,
            "number": issue.number,
            "title": issue.title,
            "body": issue.body,
            "state": issue.state,
            "labels": [_label(name, label, self.api_url) for label in issue.labels],
            "user": _user("digest-bot", self.api_url),
            "comments": 0,
        }

    def _list_issues(
        self, name: str, query: dict[str, str], target: str
    ) -> tuple[int, Any, dict[str, str]]:
        state = query.get("state", "open")
        wanted = [label for label in query.get("labels", "").split(",") if label]
        issues = [
            issue
            for issue in reversed(self.issues[name])  # newest first, as GitHub lists them
            if state in ("all", issue.state) and all(w in issue.labels for w in wanted)
        ]
        page, headers = _page(issues, query, target, default=30, most=100)
        return 200, [self._issue_json(name, i) for i in page], headers

    def _create_issue(
        self, name: str, body: Any, auth: str | None
    ) -> tuple[int, Any, dict[str, str]]:
        if auth is None:
            return 401, {"message": "Requires authentication"}, {}
        if problem := _invalid_body(body):
            return 422, problem, {}
        with self._lock:
            issue = Issue(len(self.issues[name]) + 1, body["title"], body.get("body") or "",
                          list(body.get("labels") or []))  # fmt: skip
            self.issues[name].append(issue)
        return 201, self._issue_json(name, issue), {}

    def _edit_issue(
        self, name: str, issue: Issue, body: Any, auth: str | None
    ) -> tuple[int, Any, dict[str, str]]:
        if auth is None:
            return 401, {"message": "Requires authentication"}, {}
        if problem := _invalid_body(body):
            return 422, problem, {}
        issue.title = body.get("title", issue.title)
        issue.body = body.get("body", issue.body)
        if "labels" in body:
            issue.labels = list(body["labels"])
        return 200, self._issue_json(name, issue), {}


def _invalid_body(body: Any) -> dict[str, Any] | None:
    if len((body or {}).get("body") or "") > 65536:
        error = {"resource": "Issue", "code": "custom", "field": "body"}
        error["message"] = "body is too long (maximum is 65536 characters)"
        return {"message": "Validation Failed", "errors": [error]}
    return None


def _page(
    items: list[Any], query: dict[str, str], target: str, default: int, most: int
) -> tuple[list[Any], dict[str, str]]:
    """One page of `items` and its `Link` header, as GitHub paginates."""
    per_page = min(int(query.get("per_page", default)), most)
    page = int(query.get("page", 1))
    pages = max(1, -(-len(items) // per_page))
    parts = urlsplit(target)
    base = f"http://{{host}}{parts.path}"

    def url(number: int) -> str:
        return base + "?" + urlencode({**query, "page": number, "per_page": per_page})

    links = []
    if page < pages:
        links += [f'<{url(page + 1)}>; rel="next"', f'<{url(pages)}>; rel="last"']
    if page > 1:
        links += [f'<{url(1)}>; rel="first"', f'<{url(page - 1)}>; rel="prev"']
    headers = {"Link": ", ".join(links)} if links else {}
    return items[(page - 1) * per_page : page * per_page], headers


def _instant(value: str | None) -> int | None:
    return int(datetime.fromisoformat(value).timestamp()) if value else None


def _iso(stamp: str) -> str:
    return datetime.fromtimestamp(int(stamp), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _user(login: str, api_url: str) -> dict[str, Any]:
    return {
        "login": login,
        "id": abs(hash(login)) % 10**8,
        "type": "User",
        "url": f"{api_url}/users/{login}",
        "html_url": f"https://github.com/{login}",
    }


def _label(repo: str, name: str, api_url: str) -> dict[str, Any]:
    return {"id": abs(hash(name)) % 10**8, "name": name, "color": "ededed",
            "url": f"{api_url}/repos/{repo}/labels/{name}"}  # fmt: skip


def _handler(server: GitHubServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out at once, no delayed ACK

        def handle_one_request(self) -> None:
            try:
                super().handle_one_request()
            except Exception as exc:  # a bug in this server: fail the test now, unretried
                self._send(418, {}, {"message": f"fake server failed: {exc!r}"})

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length) if length else b""
            body = json.loads(data) if data else None
            auth = self.headers.get("Authorization")
            if ".git/" in self.path:  # git's smart HTTP: recorded, then refused
                server.git_requests.append(Request(method, self.path, auth))
                return self._send(404, {}, {"message": "Not Found"})
            status, headers, payload = server.answer(method, self.path, body, auth)
            if payload is None:
                self.close_connection = True
                return
            host = self.headers.get("Host", "")
            if "Link" in headers:
                headers["Link"] = headers["Link"].replace("{host}", host)
            self._send(status, headers, payload)

        def _send(self, status: int, headers: dict[str, str], payload: Any) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_PATCH(self) -> None:
            self._serve("PATCH")

    return Handler
