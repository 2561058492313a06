"""commit-digest: a daily, searchable archive of the commits of followed repositories."""

__version__ = "0.1.0"
