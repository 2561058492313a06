"""A plain static server for reading a built site on 127.0.0.1.

Opened as files, a site built with directory URLs shows a folder listing for
every day link, and the search cannot load its index. This serves the site
the way GitHub Pages does: under the path of its `site_url` (so the 404 page,
whose links are absolute, works too), `index.html` for a folder, the site's
own 404 page for anything missing, and no folder listings.
"""

from __future__ import annotations

import errno
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.errors import ConfigError

HOST = "127.0.0.1"


class SiteServer(ThreadingHTTPServer):
    """Serves one folder; `url` is where its home page is."""

    def __init__(self, site_dir: Path, site_url: str, port: int) -> None:
        self.site_dir = site_dir
        self.prefix = urlsplit(site_url).path or "/"
        super().__init__((HOST, port), partial(SiteHandler, directory=str(site_dir)))

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}{self.prefix}"


class SiteHandler(SimpleHTTPRequestHandler):
    server: SiteServer

    def send_head(self) -> Any:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.server.prefix):
            if path in {"/", self.server.prefix.rstrip("/")}:
                self.send_response(HTTPStatus.FOUND)
                self.send_header("Location", self.server.prefix)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path[len(self.server.prefix) :])

    def list_directory(self, path: Any) -> None:
        self.send_error(HTTPStatus.NOT_FOUND)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.server.site_dir / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a reader's page views are not worth a line each


def open_server(site_dir: Path, site_url: str, port: int) -> SiteServer:
    """A server bound to 127.0.0.1:`port` (0: any free port), not yet serving."""
    try:
        return SiteServer(site_dir, site_url, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"--port {port}: {HOST}:{port} is in use; pass another port, or 0 for any free one"
            ) from None
        raise ConfigError(
            f"--port {port}: cannot listen on {HOST}:{port}: {exc.strerror}"
        ) from None
