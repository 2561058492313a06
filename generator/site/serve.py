"""A plain static server for reading a built site on 127.0.0.1.

Opened as files, a site built with directory URLs shows a folder listing for
every day link, and the search cannot load its index. This serves the site
the way GitHub Pages does: under the path of its `site_url` (so the 404 page,
whose links are absolute, works too), `index.html` for a folder, the site's
own 404 page for anything missing, no folder listings, and text compressed
with gzip for a browser that accepts it. A server opened with `record=True`
also lists what it sent (path and bytes, headers included), for tests and
benchmarks that measure what a reader downloads.
"""

from __future__ import annotations

import errno
import gzip
import io
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.errors import ConfigError

HOST = "127.0.0.1"
COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg+xml")
"""Types GitHub Pages compresses (Pagefind's index files are compressed already)."""


class SiteServer(ThreadingHTTPServer):
    """Serves one folder; `url` is where its home page is."""

    def __init__(self, site_dir: Path, site_url: str, port: int, record: bool = False) -> None:
        self.site_dir = site_dir
        self.prefix = urlsplit(site_url).path or "/"
        self.sent: list[tuple[str, int]] | None = [] if record else None
        """With `record`: each request's path and the bytes sent for it, in order."""
        self._sent_lock = threading.Lock()
        super().__init__((HOST, port), partial(SiteHandler, directory=str(site_dir)))

    def record_sent(self, path: str, size: int) -> None:
        if self.sent is not None:
            with self._sent_lock:
                self.sent.append((path, size))

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}{self.prefix}"


class _Counting(io.RawIOBase):
    """The response stream, counting what goes through it."""

    def __init__(self, stream: Any) -> None:
        self.stream, self.count = stream, 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.count += len(data)
        return self.stream.write(data)


class SiteHandler(SimpleHTTPRequestHandler):
    server: SiteServer

    def handle_one_request(self) -> None:
        counter = _Counting(self.wfile)
        self.wfile = counter  # type: ignore[assignment]
        try:
            super().handle_one_request()
        finally:
            self.wfile = counter.stream
            if counter.count:
                self.server.record_sent(self.path, counter.count)

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
        return self._compressed() or super().send_head()

    def _compressed(self) -> io.BytesIO | None:
        """A file of a compressible type, gzipped, when the client takes gzip; else None."""
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            return None
        path = self.translate_path(self.path.split("?", 1)[0].split("#", 1)[0])
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        kind = self.guess_type(path)
        if not os.path.isfile(path) or not kind.startswith(COMPRESSED):
            return None
        with open(path, "rb") as file:
            body = gzip.compress(file.read(), compresslevel=6, mtime=0)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

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


def open_server(site_dir: Path, site_url: str, port: int, record: bool = False) -> SiteServer:
    """A server bound to 127.0.0.1:`port` (0: any free port), not yet serving."""
    try:
        return SiteServer(site_dir, site_url, port, record)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"--port {port}: {HOST}:{port} is in use; pass another port, or 0 for any free one"
            ) from None
        raise ConfigError(
            f"--port {port}: cannot listen on {HOST}:{port}: {exc.strerror}"
        ) from None


@contextmanager
def serving(site_dir: Path, site_url: str, record: bool = False) -> Iterator[SiteServer]:
    """The site served on 127.0.0.1 (any free port) under `site_url`'s path, from a thread,
    while the block runs: what the browser tests and benchmarks read it through."""
    server = open_server(site_dir, site_url, 0, record)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
