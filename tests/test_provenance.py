"""Every number traceable from the page: each glued value and verdict links to its row on the
results index with its provenance as the tooltip; the index lists every file in the store; a
result whose inputs changed shows a notice and fails the strict build, naming the snippet."""

import re
from html.parser import HTMLParser

import glue
import pytest
from site_build import mkdocs_build

from pvt import store
from pvt.common import LANGS, ROOT, url_prefix

DOCS = ROOT / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix().rsplit(".", 2)[0] for p in DOCS.rglob("*.zh.md")
               if "results" not in p.relative_to(DOCS).parts)  # "practice", "bench/mlp"
MACROS = [glue.GLUE, glue.COMPARE, glue.VERDICTS]  # CODE_GLUE matches inside GLUE's matches: counted once


class Glued(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and "glued" in (a.get("class") or "").split():
            self.links.append(a)


def built(site, lang, name):
    path = site / url_prefix(lang) / ("" if name == "index" else name) / "index.html"
    parser = Glued()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("lang", LANGS)
def test_every_glued_value_links_to_its_provenance(site, lang):
    index = built(site, lang, "provenance")
    for name in PAGES:
        source = (DOCS / f"{name}.{lang}.md").read_text(encoding="utf-8")
        expected = sum(len(m.findall(source)) for m in MACROS)
        links = built(site, lang, name).links
        assert len(links) == expected, f"{lang}/{name}: {expected} glued values, {len(links)} provenance links"
        for link in links:
            target = link["href"].rsplit("#", 1)[-1]
            assert re.search(r"(来源：|Source: )\S+\.json", link.get("title", "")), f"{lang}/{name}: {link}"
            assert re.search(r"\d{4}-\d\d-\d\d", link["title"]), f"{lang}/{name}: no date in {link['title']!r}"
            assert target in index.ids, f"{lang}/{name}: {link['href']} has no row on the results index"


@pytest.mark.parametrize("lang", LANGS)
def test_the_index_lists_every_file_in_the_store(site, lang):
    page = (site / url_prefix(lang) / "provenance/index.html").read_text(encoding="utf-8")
    missing = [path for path in store.every_file() if f"docs/results/{path}" not in page]
    assert store.every_file() and not missing, f"the {lang} results index does not list {missing}"


def test_a_changed_snippet_shows_a_notice_on_the_page(trimmed, tmp_path):
    """A non-strict build still publishes, with a notice at the output a changed snippet made
    (that the strict build fails, naming it: tests/test_site.py, on the same trimmed project)."""
    snippet = trimmed / "snippets/mse_gradient.py"
    snippet.write_text(snippet.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
    proc = mkdocs_build(trimmed, tmp_path / "out", strict=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    for lang, words in (("zh", "这段输出早于上面的代码"), ("en", "This output predates the code above")):
        page = (tmp_path / "out" / url_prefix(lang) / "index.html").read_text(encoding="utf-8")
        assert words in page and "snippets/mse_gradient.py" in page, f"{lang}: no stale notice"


def test_a_glued_value_is_reached_and_followed_by_keyboard(browser, site_url):
    context = browser.new_context()
    context.route(lambda url: not url.startswith(site_url), lambda route: route.abort())
    try:
        page = context.new_page()
        page.goto(site_url + "en/practice/", wait_until="load")
        for _ in range(400):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('glued')"):
                break
        else:
            pytest.fail("Tab never reached a glued value on en/practice/")
        assert "Source: " in page.evaluate("document.activeElement.title")
        target = page.evaluate("document.activeElement.hash").lstrip("#")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/en/provenance/#{target}")
        assert page.locator(f"#{target}").count() == 1
    finally:
        context.close()
