"""Every page in a real browser (headless Debian Chromium through Playwright), both languages.

Per page: no console errors, no request to a host other than 127.0.0.1, every Mermaid
diagram rendered, every formula rendered by KaTeX, and no serious or critical axe-core
violation. Then the linked framework tabs, the language switcher and search.
Full-page screenshots of the home and practice pages go to $SCREENSHOT_DIR
(default: site-screenshots/, gitignored).
"""

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from pages import fences
from site_fixture import LANGS, NAMES, ROOT, built_pages, page_path, source

AXE = ROOT / "node_modules/axe-core/axe.min.js"
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "site-screenshots"))
SCREENSHOTS = {"index", "practice"}
FAIL_IMPACTS = {"serious", "critical"}
# axe rules not enforced, each with the reason. Empty: every serious or critical rule counts.
AXE_EXCLUDED = {}


def diagrams(src):
    """Mermaid diagrams in a page's source: mermaid fences in Markdown, or in a notebook's cells."""
    if src.suffix == ".md":
        return sum(f.lang == "mermaid" for f in fences(src))
    return src.read_text(encoding="utf-8").count("```mermaid")


def is_local(url):
    return urlparse(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:", "about:"))


@pytest.fixture
def context(browser):
    """A fresh browser context (empty cache and storage); requests to other hosts are recorded, then
    aborted, so a test never waits on the network."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    ctx.route(lambda url: not is_local(url), lambda route: route.abort())
    yield ctx
    ctx.close()


def sitemap_404(msg):
    """Material's language selector (9.7+) fetches sitemap.xml next to each <link rel=alternate>, e.g.
    /en/practice/sitemap.xml, to keep the reader on the same page; only the root sitemap exists, so
    these requests 404 by design and Material falls back to the alternate link itself (the language
    switcher test below checks that). Chromium logs each as a console error; nothing else is ignored."""
    return "status of 404" in msg.text and msg.location.get("url", "").endswith("/sitemap.xml")


def open_page(context, url):
    """Load `url`; returns the page and a log of its requests and console and page errors."""
    page = context.new_page()
    log = {"requests": [], "errors": []}
    page.on("request", lambda r: log["requests"].append(r.url))
    # A failed request to another host also logs a console error: it is reported as a request.
    page.on("console", lambda m: m.type == "error" and not sitemap_404(m)
            and is_local(m.location.get("url") or url)
            and log["errors"].append(f"console: {m.text} ({m.location.get('url', '')})"))
    page.on("pageerror", lambda e: log["errors"].append(f"pageerror: {e}"))
    page.goto(url, wait_until="load")
    # Material renders diagrams asynchronously; a failed render leaves a d__mermaid_* element behind.
    try:
        page.wait_for_function("() => !document.querySelector('pre.mermaid')"
                               " || document.querySelector('[id^=\"d__mermaid\"]')", timeout=15_000)
    except PlaywrightTimeout:  # the diagram check reports what is left
        pass
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, log


def diagram_problems(page, expected):
    """Material replaces each `pre.mermaid` by a `div.mermaid` holding the SVG in a closed shadow root.
    A syntax error leaves the `pre.mermaid` in place, raises a page error and leaves Mermaid's error
    graphic ("Syntax error in text") in a `#d__mermaid_N` element at the end of the body."""
    state = page.evaluate("""() => ({
        raw: document.querySelectorAll('pre.mermaid').length,
        rendered: document.querySelectorAll('div.mermaid').length,
        leftovers: [...document.querySelectorAll('[id^="d__mermaid"]')].map(e => e.id),
        syntax: document.body.textContent.includes('Syntax error')})""")
    problems = []
    if state["raw"]:
        problems.append(f"{state['raw']} Mermaid diagram(s) not rendered (pre.mermaid left)")
    if state["rendered"] != expected:
        problems.append(f"{state['rendered']} rendered diagram(s), the source has {expected}")
    if state["leftovers"] or state["syntax"]:
        problems.append(f"Mermaid error output on the page: {state['leftovers']} "
                        f"{'Syntax error' if state['syntax'] else ''}")
    return problems


def formula_problems(page):
    """Every `.arithmatex` holds KaTeX output without errors, and no raw delimiter is left visible."""
    found = page.evaluate(r"""() => {
        const visible = (el) => {
            const c = el.cloneNode(true);
            c.querySelectorAll('.katex-mathml, pre, code').forEach(e => e.remove());
            return c.textContent;
        };
        const out = [...document.querySelectorAll('.arithmatex')].map(el => {
            const err = el.querySelector('.katex-error');
            const text = visible(el);
            if (err) return 'KaTeX error: ' + err.title;
            if (!el.querySelector('.katex')) return 'not rendered: ' + text.trim().slice(0, 80);
            if (/\\\(|\\\)|\\\[|\\\]|\$\$/.test(text)) return 'raw delimiter left: ' + text.trim().slice(0, 80);
            return null;
        }).filter(Boolean);
        const article = document.querySelector('article');
        if (article && visible(article).includes('$$')) out.push('raw $$ in the page text');
        return out;
    }""")
    return [f"formula {p}" for p in found]


def axe_problems(page):
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                               ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
                               " targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')), n: v.nodes.length}))")
    return [f"axe {v['impact']} {v['id']} ({v['help']}) on {v['n']} element(s), e.g. {v['targets']}"
            for v in violations if v["impact"] in FAIL_IMPACTS and v["id"] not in AXE_EXCLUDED]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_page_renders_cleanly_offline_and_accessibly(context, site_url, lang, name):
    url = site_url + page_path(lang, name)
    page, log = open_page(context, url)
    if name in SCREENSHOTS:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{lang}-{name}.png"), full_page=True)
    src = source(lang, name)
    problems = diagram_problems(page, diagrams(src))
    problems += formula_problems(page)
    problems += axe_problems(page)
    problems += log["errors"]
    problems += [f"request to another host: {u}" for u in dict.fromkeys(log["requests"]) if not is_local(u)]
    if problems:
        pytest.fail(f"{url} ({src.relative_to(ROOT)}):\n  " + "\n  ".join(problems), pytrace=False)


def test_every_built_page_is_checked(site):
    checked = {page_path(lang, name) for lang in LANGS for name in NAMES}
    unchecked = sorted(set(built_pages(site)) - checked)
    assert not unchecked, f"built pages without a docs/**/*.zh.md or *.zh.ipynb source here: {unchecked}"


def test_checks_catch_a_broken_diagram_and_formula(context, site, site_url):
    """The diagram and formula checks fail on a copy of a page with a bad diagram and formula."""
    html = (site / "concepts/index.html").read_text(encoding="utf-8")
    assert '<pre class="mermaid"><code>' in html, "the concepts page has no diagram to break"
    bad_line = "flowchart LR\n  A --&gt;&gt;&gt; [[[\n"
    broken = html.replace('<pre class="mermaid"><code>', '<pre class="mermaid"><code>' + bad_line, 1)
    broken = re.sub(r"<article[^>]*>", lambda m: m.group(0) + r'<span class="arithmatex">\(\frac{1}\)</span>',
                    broken, count=1)
    url = site_url + "concepts/"
    context.route(url, lambda route: route.fulfill(body=broken, content_type="text/html; charset=utf-8"))
    page, log = open_page(context, url)
    diagram = diagram_problems(page, 1)
    assert any("not rendered" in p for p in diagram) and any("Syntax error" in p for p in diagram), diagram
    assert any("Parse error" in e for e in log["errors"]), log["errors"]
    formulas = formula_problems(page)
    assert any("KaTeX error" in p for p in formulas), f"a bad formula went unnoticed: {formulas}"


def tab_state(page):
    """For every PyTorch/TensorFlow tab set on the page: the label of the selected tab and the label of
    the tab whose content is visible."""
    return page.evaluate("""() => [...document.querySelectorAll('.tabbed-set')]
        .filter(s => s.querySelector(':scope > .tabbed-labels').textContent.includes('TensorFlow'))
        .map(s => {
            const labels = [...s.querySelectorAll(':scope > .tabbed-labels > label')];
            const inputs = [...s.querySelectorAll(':scope > input')];
            const blocks = [...s.querySelectorAll(':scope > .tabbed-content > .tabbed-block')];
            const shown = blocks.findIndex(b => b.offsetParent !== null);
            return [labels[inputs.findIndex(i => i.checked)].textContent.trim(),
                    shown < 0 ? null : labels[shown].textContent.trim()];
        })""")


@pytest.mark.parametrize("lang", LANGS)
def test_framework_tabs_switch_and_stay_linked(context, site_url, lang):
    page, _ = open_page(context, site_url + page_path(lang, "practice"))
    before = tab_state(page)
    assert len(before) >= 2 and before == [["PyTorch"] * 2] * len(before), \
        f"expected several PyTorch/TensorFlow tab sets showing PyTorch: {before}"
    labels = page.locator(".tabbed-labels > label")
    labels.filter(has_text="TensorFlow").first.click()
    assert tab_state(page) == [["TensorFlow"] * 2] * len(before), \
        f"TensorFlow in the first tab set did not select and show it in all: {tab_state(page)}"
    labels.filter(has_text="PyTorch").last.click()
    assert tab_state(page) == [["PyTorch"] * 2] * len(before), \
        f"PyTorch in the last tab set did not select and show it in all: {tab_state(page)}"


def test_language_switcher_keeps_the_page(context, site_url):
    page, _ = open_page(context, site_url + "practice/")
    for lang, target in (("en", "en/practice/"), ("zh", "practice/")):
        page.hover(".md-header .md-select")
        link = page.locator(f".md-header .md-select a[hreflang={lang}]")
        link.click()
        page.wait_for_url(site_url + target)
        assert page.evaluate("document.documentElement.lang") == lang


@pytest.mark.parametrize("lang, query, expected", [("zh", "反向传播", "algorithms/"),
                                                   ("en", "backpropagation", "en/algorithms/")])
def test_search_finds_the_page(context, site_url, lang, query, expected):
    page, _ = open_page(context, site_url + page_path(lang, "index"))
    search = page.locator("input.md-search__input")  # in the header at desktop width
    search.click()
    # Material searches on keyup. Playwright enters CJK text without key events (as an IME commit
    # would), so fill the box, then press End to send the keyup.
    search.fill(query)
    search.press("End")
    try:
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
    except PlaywrightTimeout:
        pass  # the assertion below says what Material reported
    found = [urlparse(h).path for h in page.eval_on_selector_all(
        ".md-search-result__item a.md-search-result__link", "els => els.map(a => a.href)")]
    said = page.inner_text(".md-search-result__meta")
    assert "/" + expected in found, \
        f"search for {query!r} did not list /{expected}; Material says {said!r} and lists {found}"
