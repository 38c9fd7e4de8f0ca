"""The built site served on 127.0.0.1, and a headless Chromium, for the browser and link tests.

The site itself is built once per session by the `site` fixture in tests/site_build.py
(`mkdocs build --strict` into a temporary folder, site_url as mkdocs.yml gives it) and served
at `/`, another base path than site_url's. `site_elsewhere` is a second build, with SITE_URL
set to OTHER_BASE, served there. Both are served as GitHub Pages serves a site (gzip, 404.html:
pvt/site/server.py). The pages are listed from their Chinese sources (docs/**/*.zh.md and
*.zh.ipynb).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pvt import common
from pvt.site.server import serve

ROOT = common.ROOT
DOCS = ROOT / "docs"
LANGS = {lang: common.url_prefix(lang) for lang in common.LANGS}  # language -> URL prefix
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


def built_site_url(site: Path):
    """The address a site was built for (its home page's canonical link, present only when the
    build had SITE_URL: hooks/site_address.py), e.g. 'http://127.0.0.1/a-fork/handbook/'; or None."""
    found = re.search(r'<link rel="canonical" href="([^"]+)"', (site / "index.html").read_text(encoding="utf-8"))
    return found.group(1) if found else None


def launch(playwright):
    """Headless Chromium from Debian (never a Playwright download), cut off from background traffic."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def site_url(site):
    """Base URL of the built site served on 127.0.0.1 at `/`."""
    with serve(site) as url:
        yield url


OTHER_BASE = "/a-fork/handbook/"  # the second build's base path, neither `/` nor site_url's


@pytest.fixture(scope="session")
def site_elsewhere(tmp_path_factory):
    """The site built with SITE_URL=http://127.0.0.1{OTHER_BASE}, as a fork's Pages deploy builds it."""
    out = tmp_path_factory.mktemp("site-elsewhere")
    env = {**os.environ, common.SITE_URL_ENV: f"http://127.0.0.1{OTHER_BASE}", "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, f"mkdocs build --strict with {common.SITE_URL_ENV} set failed:\n{proc.stderr}"
    return out


@pytest.fixture(scope="session")
def site_elsewhere_url(site_elsewhere):
    with serve(site_elsewhere, OTHER_BASE) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        missing = "chromium is not installed: apt-get install chromium (.ci/run installs it)"
        if os.environ.get("CI"):  # CI must not pass by skipping the browser tests
            pytest.fail(missing, pytrace=False)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
