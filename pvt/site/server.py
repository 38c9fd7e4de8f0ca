"""Serve a built site on 127.0.0.1 the way GitHub Pages serves it, for the tests and page_weight.py.

- under a base path (`/` or e.g. `/pytorch-vs-tensorflow/`), `folder` redirected to `folder/`;
- text (HTML, CSS, JavaScript, JSON, SVG, XML) gzip-compressed when the client accepts it;
- a missing file answered with 404 and the site's 404.html;
- `.mjs` as JavaScript (browsers refuse a module of another type).

    with serve(Path("site"), base="/pytorch-vs-tensorflow/") as url:   # http://127.0.0.1:PORT/pytorch-vs-tensorflow/
        ...

An http.server.ThreadingHTTPServer on a free port, in a daemon thread of the calling process.
"""

import contextlib
import gzip
import http.server
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
         ".json": "application/json; charset=utf-8", ".xml": "application/xml; charset=utf-8",
         ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".woff2": "font/woff2",
         ".ipynb": "application/x-ipynb+json", ".txt": "text/plain; charset=utf-8"}
COMPRESSED = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".ipynb", ".txt")


def handler(site: Path, base: str):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self):
            self.answer(head=True)

        def do_GET(self):
            self.answer(head=False)

        def answer(self, head):
            path = unquote(urlsplit(self.path).path)
            file = None
            if path.startswith(base):
                file = (site / path[len(base):]).resolve()
                if site not in (file, *file.parents):
                    file = None
                elif file.is_dir() and not path.endswith("/"):
                    self.send_response(301)
                    self.send_header("Location", path + "/")
                    self.send_header("Content-Length", "0")
                    return self.end_headers()
                elif file.is_dir():
                    file = file / "index.html"
            status = 200 if file is not None and file.is_file() else 404
            if status == 404:
                file = site / "404.html"
            body = file.read_bytes() if file.is_file() else b"not found"
            self.send_response(status)
            self.send_header("Content-Type", TYPES.get(file.suffix, "application/octet-stream"))
            self.send_header("Cache-Control", "max-age=600")  # as GitHub Pages
            if file.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body, compresslevel=6, mtime=0)
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


@contextlib.contextmanager
def serve(site: Path, base: str = "/"):
    """Serve the built site in `site` at `base` on 127.0.0.1; yields the site's URL (ends in '/')."""
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler(Path(site).resolve(), base))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base}"
    finally:
        server.shutdown()
        server.server_close()
