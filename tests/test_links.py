"""Links in the built site, both languages, in the default build and in one made for another base
path: every internal link and anchor resolves, every URL a stylesheet names is served, and
every external link is a well-formed https URL. External links are not fetched; they are listed in
the file LINK_REPORT names, if set (page -> URL), for a person or a link checker to review.
"""

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from site_fixture import built_site_url

from pvt import common

LOCAL = "http://site.invalid/"  # stands for the site root while resolving relative links
REPORT = os.environ.get("LINK_REPORT")  # a file to list the external links in, for a link checker
# External http:// links that are acceptable, each with the reason. Empty: every link must be https.
HTTP_ALLOWED = {}
# (tag, attribute) pairs that link to or load another file.
LINKING = {("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
           ("source", "src"), ("iframe", "src")}


class Page(HTMLParser):
    """The ids (anchors) a page defines and the URLs it links to, as (tag, url)."""

    def __init__(self, text):
        super().__init__()
        self.ids, self.links = set(), []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for t, a in LINKING:
            if tag == t and attrs.get(a) is not None:
                if tag == "link" and attrs.get("rel") == "canonical":
                    continue  # the published URL (site_url), not a link a reader follows
                self.links.append((tag, attrs[a]))


@pytest.fixture(scope="module", params=["site", "site_elsewhere"])
def built(request):
    """Each build: the default one and the one made with SITE_URL at another base path."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def parsed(built):
    return {p.relative_to(built).as_posix(): Page(p.read_text(encoding="utf-8"))
            for p in sorted(built.rglob("*.html"))}


def target_file(site, path):
    """The file that a URL path on the site serves, or None."""
    path = unquote(path).lstrip("/")
    candidate = site / path
    if path == "" or path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def test_internal_links_and_anchors_resolve(built, parsed):
    site = built
    # e.g. '/pytorch-vs-tensorflow/' (mkdocs.yml's default site_url): root-absolute links start so
    site_path = urlparse(built_site_url(site) or common.default_site_url()).path
    broken = []
    for name, page in parsed.items():
        for tag, href in page.links:
            url = urljoin(LOCAL + name, href)
            if url.startswith(LOCAL + site_path.lstrip("/")) and site_path != "/":
                url = LOCAL + url[len(LOCAL + site_path.lstrip("/")):]  # root-absolute (404.html)
            parts = urlparse(url)
            if url.startswith(("mailto:", "javascript:", "data:")) or parts.netloc != "site.invalid":
                continue
            target = target_file(site, parts.path)
            if target is None:
                missing = parts.path.lstrip("/") or "index.html"
                broken.append(f"{name}: <{tag}> {href!r}: no file {missing} in the site")
                continue
            fragment = unquote(parts.fragment)
            if not fragment or fragment.startswith("__") or target.suffix != ".html":
                continue
            target_name = target.relative_to(site).as_posix()
            if fragment not in parsed[target_name].ids:
                broken.append(f"{name}: <{tag}> {href!r}: {target_name} has no id {fragment!r}")
    assert not broken, f"{len(broken)} broken internal link(s):\n  " + "\n  ".join(broken)


def test_every_url_in_the_stylesheets_is_served(built):
    """A vendored stylesheet once named 40 woff/ttf fonts the site did not serve (KaTeX's)."""
    missing = []
    for css in sorted(built.rglob("*.css")):
        # data: URLs out first: an SVG inside one may have url() references of its own
        text = re.sub(r"url\(\s*(['\"])data:.*?\1\s*\)", "", css.read_text(encoding="utf-8"))
        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
            parts = urlparse(ref)
            if parts.scheme or ref.startswith(("data:", "#")):
                continue
            if not (css.parent / unquote(parts.path)).is_file():
                missing.append(f"{css.relative_to(built)}: {ref}")
    assert not missing, f"{len(missing)} URL(s) in stylesheets not served:\n  " + "\n  ".join(missing)


def test_external_links_are_https_and_reported(parsed, capsys):
    external = [(name, href) for name, page in parsed.items() for tag, href in page.links
                if tag in ("a", "area") and urlparse(href).scheme in ("http", "https")]
    if REPORT:
        common.write_atomic(Path(REPORT), "".join(f"{name}\t{href}\n" for name, href in external))
    with capsys.disabled():
        print(f"\n{len(external)} external links ({len({h for _, h in external})} distinct) on "
              f"{len({n for n, _ in external})} pages, not fetched"
              + (f"; listed in {REPORT}" if REPORT else " (LINK_REPORT=file lists them)"))
    bad = []
    for name, href in external:
        parts = urlparse(href)
        if parts.scheme == "http" and href not in HTTP_ALLOWED:
            bad.append(f"{name}: {href}: http://, use https:// (or add it to HTTP_ALLOWED with the reason)")
        elif not re.fullmatch(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}", parts.hostname or "") or re.search(r"\s", href):
            bad.append(f"{name}: {href}: not a well-formed URL")
    assert not bad, "malformed or non-https external links:\n  " + "\n  ".join(bad)


def test_no_page_links_to_the_site_by_an_absolute_url(built, parsed):
    """Links within the site are relative, so they work wherever the site is served: a notebook
    intro's link to its page (pvt/pipeline/notebooks.py writes it absolute) once led every rendered
    notebook to the published default address, whatever address the site had."""
    own = {common.default_site_url(), built_site_url(built) or common.default_site_url()}
    absolute = [f"{name}: <{tag}> {href}" for name, page in parsed.items() for tag, href in page.links
                if tag in ("a", "area") and href.startswith(tuple(own))]
    assert not absolute, "links to this site by an absolute URL:\n  " + "\n  ".join(absolute)


def test_downloadable_notebooks_link_to_the_address_built_for(built):
    """A downloaded notebook links to the site at the address of this build; a build without an
    address (no SITE_URL) links relative to the file, and every such link leads to a built page."""
    url, published = built_site_url(built), common.default_site_url()
    notebooks = {nb.relative_to(built).as_posix(): nb.read_text(encoding="utf-8") for nb in built.rglob("*.ipynb")}
    assert notebooks, "the build offers no notebook for download"
    stale = [name for name, text in notebooks.items() if url != published and published in text]
    assert not stale, f"notebooks that still link to {published}, not to {url or 'the site, relatively'}: {stale}"
    if url:
        assert all(url in text for text in notebooks.values()), f"a downloadable notebook does not link to {url}"
        return
    broken, relative = [], 0
    for name, text in notebooks.items():
        for href in re.findall(r"\]\((\.[^)\s]*)\)", text):  # Markdown links starting with ./ or ../
            relative += 1
            if target_file(built, urlparse(urljoin(LOCAL + name, href)).path) is None:
                broken.append(f"{name}: {href}")
    assert relative >= len(notebooks), "the notebooks offered for download have no relative link to the site"
    assert not broken, "relative links in downloadable notebooks that lead nowhere:\n  " + "\n  ".join(broken)


class Switcher(HTMLParser):
    """The header's language links: {hreflang: href} of the `a[hreflang]` inside `.md-select`."""

    def __init__(self, text):
        super().__init__()
        self.links, self.depth = {}, 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth or "md-select" in (attrs.get("class") or "").split():
            self.depth += tag == "div"
            if tag == "a" and attrs.get("hreflang"):
                self.links[attrs["hreflang"]] = attrs.get("href")

    def handle_endtag(self, tag):
        if self.depth and tag == "div":
            self.depth -= 1


def test_language_links_under_another_base_path(site_elsewhere):
    """Built for another base path, every page's language links lead to its twin there."""
    from site_fixture import LANGS, NAMES, OTHER_BASE, page_path

    base = f"http://127.0.0.1{OTHER_BASE}"
    problems = []
    for lang in LANGS:
        for name in NAMES:
            path = page_path(lang, name)
            links = Switcher((site_elsewhere / path / "index.html").read_text(encoding="utf-8")).links
            found = {other: urljoin(base + path, href) for other, href in links.items()}
            expected = {other: base + page_path(other, name) for other in LANGS}
            if found != expected:
                problems.append(f"/{path}: language links {found}, expected {expected}")
    assert not problems, "\n".join(problems)
