"""The one PyGithub client of a run: the token, bounded retries, rate limits, a request count.

Everything the digest asks GitHub goes through `GitHubAPI.call`, which turns PyGithub's and
requests' exceptions into the one-line conditions of `generator.errors`. Retries happen below
PyGithub, in urllib3, through `GithubRetry`: 5xx answers and dropped connections are retried
with exponential backoff a bounded number of times; a secondary rate limit (403/429 with
`Retry-After`) waits as told; an exhausted primary limit waits for its reset when that is
within `github.max_wait`, and otherwise ends the repository's run with `SourceExhausted`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import github
import requests
from github import Auth, Github, GithubException, GithubRetry
from github.GithubException import (
    BadCredentialsException,
    RateLimitExceededException,
    UnknownObjectException,
)

from generator.config import GitHubConfig
from generator.errors import NotFound, SourceExhausted, SourceUnavailable

RETRIES = 5
BACKOFF = 1.0
"""Seconds; urllib3 retries at once, then waits 2, 4, 8 s... between consecutive failures."""
TIMEOUT = 30
PER_PAGE = 100
WRITE_PACE = 4
"""Writes (issues) wait this many request intervals: GitHub asks for a second between them."""
T = TypeVar("T")

# PyGithub logs each retry and rate-limit wait to stderr at INFO, urllib3 each retry at
# WARNING: the run reports what matters itself, in one line each.
github.set_log_level(logging.WARNING)
logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)


@dataclass
class RequestCount:
    """Requests sent to the API, retries included: what the rate limit is charged."""

    sent: int = 0


class _CountingAuth(Auth.Auth):
    """The token, if any, in each request's headers; counts the requests PyGithub sends.

    PyGithub asks its auth for the headers of every request it sends (retries that urllib3
    makes below it are counted by `_Retry`)."""

    def __init__(self, token: str | None, count: RequestCount) -> None:
        self._token = token
        self._count = count

    @property
    def token_type(self) -> str:
        return "token"

    @property
    def token(self) -> str:
        return self._token or ""

    def authentication(self, headers: dict[str, str]) -> None:
        self._count.sent += 1
        if self._token:
            headers["Authorization"] = f"token {self._token}"

    @property
    def _masked_token(self) -> str:
        return "token (removed)"


class _Retry(GithubRetry):
    """GithubRetry that counts the requests it sends again, and never repeats a POST that
    may have been carried out (a 5xx or a dropped connection after an issue was created):
    only rate-limit refusals, which GitHub did not act on, are retried for a POST."""

    def __init__(self, count: RequestCount | None = None, **kwargs: Any) -> None:
        self.count = count or RequestCount()
        super().__init__(**kwargs)

    def new(self, **kwargs: Any) -> _Retry:
        kwargs["count"] = self.count
        return super().new(**kwargs)

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if method.upper() == "POST" and status_code not in (403, 429):
            return False
        return super().is_retry(method, status_code, has_retry_after)

    def increment(self, *args: Any, **kwargs: Any) -> _Retry:
        retry = super().increment(*args, **kwargs)
        self.count.sent += 1  # it did not raise: the request goes out again
        return retry


class GitHubAPI:
    """A PyGithub client for `github.api_url`, shared by every source and the publisher."""

    def __init__(self, settings: GitHubConfig, token: str | None) -> None:
        self.settings = settings
        self.authenticated = bool(token)
        self.count = RequestCount()
        self.unreachable: str | None = None
        """Why the API could not be reached: later calls of the run fail at once."""
        interval = settings.request_interval or None
        self.client = Github(
            base_url=settings.api_url,
            auth=_CountingAuth(token, self.count),
            timeout=TIMEOUT,
            per_page=PER_PAGE,
            user_agent="commit-digest",
            lazy=True,  # objects are fetched when read, never to learn a URL
            seconds_between_requests=interval,
            seconds_between_writes=interval and interval * WRITE_PACE,
            retry=_Retry(
                self.count,
                total=RETRIES,
                backoff_factor=BACKOFF,
                max_rate_limit_wait=settings.max_wait,
                raise_on_status=False,  # the last 5xx reaches PyGithub, which names it
            ),
        )

    @property
    def requests(self) -> int:
        return self.count.sent

    def no_token_warning(self) -> str | None:
        if self.authenticated:
            return None
        return (
            f"no GitHub token in ${self.settings.token_env}: the API allows 60 requests an hour "
            "without one; set it (github.token_env names the variable) for 5,000"
        )

    def call(self, what: str, action: Callable[[], T]) -> T:
        """Run PyGithub calls; a failure becomes one line that starts with `what`."""
        if self.unreachable:
            raise SourceExhausted(f"{what}: {self.unreachable}")
        try:
            return action()
        except UnknownObjectException as exc:
            raise NotFound(f"{what}: {_message(exc)} (404)", _message(exc)) from None
        except BadCredentialsException:
            raise SourceUnavailable(
                f"{what}: GitHub rejected the token in ${self.settings.token_env} "
                "(401 Bad credentials); renew it"
            ) from None
        except GithubException as exc:
            if isinstance(exc, RateLimitExceededException) or _exhausted(exc):
                raise SourceExhausted(f"{what}: {_limit_line(exc.headers or {})}") from None
            if exc.status == 422 and _message(exc).lower().startswith("no commit found"):
                raise NotFound(f"{what}: {_message(exc)}", _message(exc)) from None
            raise SourceUnavailable(
                f"{what}: GitHub answered {exc.status}: {_message(exc)}"
            ) from None
        except requests.RequestException as exc:
            # Retried already: the network or GitHub is down, not one request unlucky.
            self.unreachable = (
                f"cannot reach {self.settings.api_url} ({type(exc).__name__}, "
                f"{RETRIES} retries); the next run tries again"
            )
            raise SourceExhausted(f"{what}: {self.unreachable}") from None


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return str(value)
    return None


def _exhausted(exc: GithubException) -> bool:
    """A primary limit GitHub reports as 429 (or 403 without its usual message)."""
    remaining = _header(exc.headers or {}, "x-ratelimit-remaining")
    return exc.status in (403, 429) and remaining == "0"


def _limit_line(headers: Mapping[str, Any]) -> str:
    remaining = _header(headers, "x-ratelimit-remaining") or "?"
    limit = _header(headers, "x-ratelimit-limit") or "?"
    reset = _header(headers, "x-ratelimit-reset")
    when = "at an unknown time"
    if reset and reset.isdigit():
        when = f"at {datetime.fromtimestamp(int(reset), UTC):%Y-%m-%d %H:%M} UTC"
    return (
        f"GitHub API rate limit used up ({remaining} of {limit} requests left, resets {when}); "
        "stopped, the next run completes what is missing"
    )


def _message(exc: GithubException) -> str:
    data = exc.data if isinstance(exc.data, dict) else {}
    text = str(data.get("message") or exc.message or "no message")
    return " ".join(text.split())[:200]
