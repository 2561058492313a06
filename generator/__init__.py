"""commit-digest: a daily, searchable archive of the commits of followed repositories."""

from importlib import metadata

DISTRIBUTION = "commit-digest"

try:
    # One place holds the version: pyproject.toml, read back from the installed metadata.
    __version__ = metadata.version(DISTRIBUTION)
except metadata.PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"
