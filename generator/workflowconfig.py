"""What an archive's workflow (and the action) needs to know of digest.yml, as `key=value`
lines for $GITHUB_OUTPUT, so that editing digest.yml is enough and the workflow follows:

    python -m generator.workflowconfig [digest.yml] >> "$GITHUB_OUTPUT"

- data: the records folder, committed back to the repository after every run;
- site: the built site, which is deployed;
- build: the rendered pages, the built site with its search index and the cache of what
  they were made from, restored from the Actions cache so that a daily update starts from
  the previous build (one path a line);
- mirrors: where `source: mirror` clones are kept, also cached between runs;
- site-url: where the site says it is published, compared with the Pages URL.

Folders are printed relative to the current folder (the repository's root in the
workflow). The records must lie inside it, or git could not commit them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.config import DEFAULT_CONFIG, Config, load_config
from generator.errors import ConfigError, DigestError


def outputs(config: Config, root: Path) -> dict[str, str]:
    root = root.resolve()

    def shown(path: Path) -> str:
        path = path.resolve()
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    data = config.data_dir.resolve()
    if not data.is_relative_to(root) or data == root:
        raise ConfigError(
            f"data_dir: {config.data_dir} is not a folder inside {root}; the workflow commits "
            "the records to this repository, so keep data_dir inside it (e.g. `data`)"
        )
    return {
        "data": shown(data),
        "site": shown(config.site_dir),
        "build": "\n".join(shown(p) for p in (config.docs_dir, config.site_dir, config.cache_dir)),
        "mirrors": shown(config.mirror_dir),
        "site-url": config.site_url,
    }


def github_output(values: dict[str, str]) -> str:
    """The $GITHUB_OUTPUT format: `key=value`, or a delimited block for several lines."""
    lines = []
    for key, value in values.items():
        if "\n" in value:
            lines += [f"{key}<<EOF_{key}", value, f"EOF_{key}"]
        else:
            lines.append(f"{key}={value}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    try:
        config = load_config(argv[0] if argv else DEFAULT_CONFIG)
        sys.stdout.write(github_output(outputs(config, Path.cwd())))
    except DigestError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
