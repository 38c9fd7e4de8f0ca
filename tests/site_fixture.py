"""The built site served on 127.0.0.1, and a headless Chromium, for the browser and link tests.

The site itself is built once per session by the `site` fixture in tests/conftest.py
(`mkdocs build --strict` into a temporary folder). Here it is served with
`python -m http.server` on a free port, and the pages are listed from their Chinese sources
(docs/**/*.zh.md and *.zh.ipynb).
"""

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LANGS = {"zh": "", "en": "en/"}  # language -> URL prefix
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]
SOURCES = sorted(p for p in DOCS.rglob("*.zh.*") if p.suffix in (".md", ".ipynb")
                 and "results" not in p.relative_to(DOCS).parts)
NAMES = [p.relative_to(DOCS).as_posix().rsplit(".zh.", 1)[0] for p in SOURCES]  # 'practice', 'notebooks/x'


def source(lang, name):
    """The source file of a page, e.g. docs/practice.en.md or docs/notebooks/x.zh.ipynb."""
    md = DOCS / f"{name}.{lang}.md"
    return md if md.exists() else DOCS / f"{name}.{lang}.ipynb"


def page_path(lang, name):
    """The URL path of a page relative to the site root, e.g. 'en/practice/' or '' for the zh home."""
    folder, _, stem = name.rpartition("/")
    return LANGS[lang] + (f"{folder}/" if folder else "") + ("" if stem == "index" else f"{stem}/")


def built_pages(site: Path):
    """URL paths (as page_path gives them) of every index.html in a built site but search/'s."""
    folders = (p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return sorted("" if f == "." else f"{f}/" for f in folders if f.split("/")[0] != "search")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(directory: Path):
    """Serve `directory` with `python -m http.server` on 127.0.0.1; yields the base URL (ends in '/')."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port),
                             "--directory", str(directory)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"http.server exited with {proc.returncode}") from None
                time.sleep(0.1)
        else:
            raise RuntimeError(f"http.server did not answer on {url}")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def launch(playwright):
    """Headless Chromium from Debian (never a Playwright download), cut off from background traffic."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def site_url(site):
    """Base URL of the built site served on 127.0.0.1."""
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.skip("chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
