"""Where the day's reports go besides the site: `publish.github_issue` posts each complete
repository-day as one GitHub issue. Publishing runs after the records and pages are
written, so a failure here is reported and retried by the next run, and loses nothing."""

from __future__ import annotations

from generator.publish.github_issue import PublishResult, publish

__all__ = ["PublishResult", "publish"]
