"""Every page in a real browser (headless Debian Chromium through Playwright), both languages.

Per page: no console error (none filtered), no failed request, no request to a host other than
127.0.0.1, no math script (formulas are MathML rendered at build time) and every formula rendered, no Mermaid
on a page without a diagram, every diagram shown with labels of at least 12 px, the
language switcher linking the page's twin, and no serious or critical axe-core violation.
Diagram pages again at a 390 px wide screen. Every page of a second build, made for and
served under another base path, for the language switcher. Then the linked framework tabs and
search in each language.
Full-page screenshots of the home and practice pages go to $SCREENSHOT_DIR
(default: site-screenshots/, gitignored).
"""

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from pages import fences
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from site_fixture import LANGS, NAMES, ROOT, built_pages, page_path, source


def diagrams(src):
    """Mermaid diagrams in a page's source: mermaid fences in Markdown, or in a notebook's cells."""
    if src.suffix == ".md":
        return sum(f.lang == "mermaid" for f in fences(src))
    return src.read_text(encoding="utf-8").count("```mermaid")


AXE = ROOT / "node_modules/axe-core/axe.min.js"
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "site-screenshots"))
SCREENSHOTS = {"index", "practice"}
MIN_LABEL_PX = 12
DIAGRAM_PAGES = [name for name in NAMES if diagrams(source("zh", name))]
# Material renders each diagram into a closed shadow root; the tests open it to measure labels.
OPEN_SHADOW_ROOTS = ("const attach = Element.prototype.attachShadow;"
                     "Element.prototype.attachShadow = function (o) "
                     "{ return attach.call(this, {...o, mode: 'open'}); };")
FAIL_IMPACTS = {"serious", "critical"}
# axe rules not enforced, each with the reason. Empty: every serious or critical rule counts.
AXE_EXCLUDED = {}


def is_local(url):
    return urlparse(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:", "about:"))


def new_context(browser, width=1280):
    """A fresh browser context (empty cache and storage); requests to other hosts are recorded, then
    aborted, so a test never waits on the network."""
    ctx = browser.new_context(viewport={"width": width, "height": 800})
    ctx.route(lambda url: not is_local(url), lambda route: route.abort())
    ctx.add_init_script(OPEN_SHADOW_ROOTS)
    return ctx


@pytest.fixture
def context(browser):
    ctx = new_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture
def narrow_context(browser):
    ctx = new_context(browser, width=390)
    yield ctx
    ctx.close()


NEXT_FRAMES = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def open_page(context, url):
    """Load `url`; returns the page and a log of its requests and console and page errors."""
    page = context.new_page()
    log = {"requests": [], "errors": []}
    page.on("request", lambda r: log["requests"].append(r.url))
    page.on("response", lambda r: r.status >= 400 and log["errors"].append(f"HTTP {r.status}: {r.url}"))
    # A failed request to another host also logs a console error: it is reported as a request.
    page.on("console", lambda m: m.type == "error" and is_local(m.location.get("url") or url)
            and log["errors"].append(f"console: {m.text} ({m.location.get('url', '')})"))
    page.on("pageerror", lambda e: log["errors"].append(f"pageerror: {e}"))
    page.goto(url, wait_until="load")
    # Material renders diagrams asynchronously, once Mermaid's modules have loaded; a failed render
    # raises a page error and leaves the pre.mermaid and a d__mermaid_* element behind.
    try:
        page.wait_for_function("!document.querySelector('pre.mermaid')", timeout=15_000)
    except PlaywrightTimeout:
        pass  # a diagram that never rendered: diagram_problems reports it
    page.evaluate("document.fonts.ready.then(() => true)")
    page.evaluate(NEXT_FRAMES)  # the loader's after-render step (tabindex on a diagram that scrolls)
    return page, log


def diagram_problems(page, expected):
    """A diagram is the SVG stored for it (div.mermaid-diagram, hooks/svg_diagrams.py) or, while it has
    none, rendered by Material, which replaces each `pre.mermaid` by a `div.mermaid` holding the SVG in
    a (closed) shadow root. A syntax error leaves the `pre.mermaid` in place, raises a page error and
    leaves Mermaid's error graphic ("Syntax error in text") in a `#d__mermaid_N` element."""
    state = page.evaluate("""() => ({
        raw: document.querySelectorAll('pre.mermaid').length,
        rendered: document.querySelectorAll('div.mermaid, div.mermaid-diagram > svg').length,
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
    """Every `.arithmatex` holds one rendered MathML formula that the browser lays out (a box with a
    size), and no raw delimiter is left visible."""
    found = page.evaluate(r"""() => {
        const visible = (el) => {
            const c = el.cloneNode(true);
            c.querySelectorAll('math, pre, code').forEach(e => e.remove());
            return c.textContent;
        };
        const out = [...document.querySelectorAll('.arithmatex')].map(el => {
            const math = el.querySelectorAll('math');
            const text = visible(el);
            if (!math.length) return 'not rendered: ' + text.trim().slice(0, 80);
            if (math.length > 1) return math.length + ' <math> in one formula: ' + el.textContent.trim().slice(0, 80);
            const box = math[0].getBoundingClientRect();
            if (!(box.width > 0 && box.height > 0)) return 'not laid out: ' + math[0].textContent.trim().slice(0, 80);
            if (/\\\(|\\\)|\\\[|\\\]|\$\$/.test(text)) return 'raw delimiter left: ' + text.trim().slice(0, 80);
            return null;
        }).filter(Boolean);
        const article = document.querySelector('article');
        if (article && visible(article).includes('$$')) out.push('raw $$ in the page text');
        return out;
    }""")
    return [f"formula {p}" for p in found]


def label_problems(page):
    """Every label of every rendered diagram at least MIN_LABEL_PX tall on screen: its font size
    times the scale at which the SVG is drawn (rendered width / viewBox width)."""
    found = page.evaluate("""() => [...document.querySelectorAll('div.mermaid, div.mermaid-diagram')].map((host, i) => {
        const svg = (host.shadowRoot || host).querySelector('svg');
        if (!svg) return [i, null, 0, 0];
        const box = svg.viewBox.baseVal, width = svg.getBoundingClientRect().width;
        const scale = box && box.width ? width / box.width : 1;
        const sizes = [...svg.querySelectorAll('text, foreignObject span')]
            .filter(t => t.textContent.trim())
            .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
        const height = Math.round(svg.getBoundingClientRect().height);
        return [i, sizes.length ? Math.min(...sizes) : null, Math.round(width), height];
    })""")
    problems = []
    for i, smallest, width, height in found:
        if smallest is None:
            problems.append(f"diagram {i + 1}: no labels found to measure")
        elif smallest < MIN_LABEL_PX:
            problems.append(f"diagram {i + 1} ({width}x{height} px): a label {smallest:.1f} px tall, "
                            f"under {MIN_LABEL_PX} px")
    return problems


def asset_problems(log, has_diagram):
    requests = log["requests"]
    math_script = re.compile(r"(katex|temml|mathjax)[^/]*\.m?js(\?|$)")
    problems = [f"math script requested: {u}" for u in requests if math_script.search(u)]
    mermaid = [u for u in requests if "/mermaid" in urlparse(u).path]
    if not has_diagram and mermaid:
        problems.append(f"loads Mermaid without a diagram: {mermaid[:2]}")
    return problems


def switcher_problems(page, base, lang, name):
    """The header's language links lead to this page in each language."""
    links = page.eval_on_selector_all(".md-header .md-select a[hreflang]",
                                      "els => els.map(a => [a.getAttribute('hreflang'), a.href])")
    expected = {other: base + page_path(other, name) for other in LANGS}
    return [] if dict(links) == expected else [f"language links {dict(links)}, expected {expected}"]


def axe_problems(page):
    # axe checks the page drawn in full: off-screen code blocks are not drawn (content-visibility
    # in extra.css), and axe reads colors and scroll widths of what is drawn. Drawing them makes
    # each block report when it is drawn, as it does for a reader who scrolls to it (a11y.js).
    page.add_style_tag(content=".md-content__inner > .highlight { content-visibility: visible !important; }")
    page.evaluate(NEXT_FRAMES)  # the blocks are laid out, and a11y.js has seen them drawn
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
    problems += label_problems(page)
    problems += asset_problems(log, diagrams(src) > 0)
    problems += switcher_problems(page, site_url, lang, name)
    problems += formula_problems(page)
    problems += axe_problems(page)
    problems += log["errors"]
    problems += [f"request to another host: {u}" for u in dict.fromkeys(log["requests"]) if not is_local(u)]
    if problems:
        pytest.fail(f"{url} ({src.relative_to(ROOT)}):\n  " + "\n  ".join(problems), pytrace=False)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", DIAGRAM_PAGES)
def test_diagrams_are_legible_on_a_phone(narrow_context, site_url, lang, name):
    """At 390 px a diagram keeps labels of at least 12 px: one wider than the column scrolls sideways
    (and takes the keyboard focus), the page itself does not."""
    url = site_url + page_path(lang, name)
    page, log = open_page(narrow_context, url)
    problems = diagram_problems(page, diagrams(source(lang, name))) + label_problems(page) + log["errors"]
    overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
    if overflow > 0:
        problems.append(f"the page is {overflow} px wider than the screen")
    unfocusable = page.evaluate("[...document.querySelectorAll('div.mermaid, div.mermaid-diagram')]"
                                ".filter(d => d.scrollWidth > d.clientWidth && d.tabIndex < 0).length")
    if unfocusable:
        problems.append(f"{unfocusable} diagram(s) scroll sideways but take no keyboard focus")
    if problems:
        pytest.fail(f"{url} at 390 px:\n  " + "\n  ".join(problems), pytrace=False)


def test_every_built_page_is_checked(site):
    checked = {page_path(lang, name) for lang in LANGS for name in NAMES}
    unchecked = sorted(set(built_pages(site)) - checked)
    assert not unchecked, f"built pages without a docs/**/*.zh.md or *.zh.ipynb source here: {unchecked}"


def unstored(html, diagram):
    """The built concepts page with its first stored diagram swapped for a fence of `diagram`, as a
    diagram without a stored SVG is built: rendered in the browser by Mermaid's ESM build."""
    stored = re.search(r'<div class="mermaid-diagram">.*?</svg></div>', html, re.S)
    assert stored, "the concepts page has no stored diagram to swap"
    fence = f'<pre class="mermaid"><code>{diagram}</code></pre>'
    loader = '<script src="../assets/javascripts/mermaid-loader.js"></script></body>'
    return (html[:stored.start()] + fence + html[stored.end():]).replace("</body>", loader, 1)


def test_a_diagram_without_stored_svg_renders_in_the_browser(context, site, site_url):
    """While a diagram is edited (no stored SVG yet), Mermaid's ESM build renders it, with 16 px labels."""
    page_html = unstored((site / "concepts/index.html").read_text(encoding="utf-8"),
                         "flowchart TD\n  A[\"a label long enough to wrap at two hundred pixels\"] --> B[\"b\"]\n")
    url = site_url + "concepts/"
    context.route(url, lambda route: route.fulfill(body=page_html, content_type="text/html; charset=utf-8"))
    page, log = open_page(context, url)
    problems = diagram_problems(page, 2) + label_problems(page) + log["errors"]
    assert not problems and any("mermaid.esm.min.mjs" in u for u in log["requests"]), problems
    assert not [u for u in log["requests"] if not is_local(u)], "Mermaid came from another host"


def test_checks_catch_a_broken_diagram_and_formula(context, site, site_url):
    """The diagram and formula checks fail on a copy of a page with a bad diagram and formula."""
    page = (site / "concepts/index.html").read_text(encoding="utf-8")
    broken = unstored(page, "flowchart LR\n  A --&gt;&gt;&gt; [[[\n")
    broken = re.sub(r"<article[^>]*>", lambda m: m.group(0) + r'<span class="arithmatex">\(\frac{1}\)</span>',
                    broken, count=1)
    url = site_url + "concepts/"
    context.route(url, lambda route: route.fulfill(body=broken, content_type="text/html; charset=utf-8"))
    page, log = open_page(context, url)
    diagram = diagram_problems(page, 2)
    assert any("not rendered" in p for p in diagram) and any("Syntax error" in p for p in diagram), diagram
    assert any("Parse error" in e for e in log["errors"]), log["errors"]
    formulas = formula_problems(page)
    assert any("not rendered" in p for p in formulas), f"an unrendered formula went unnoticed: {formulas}"


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
def test_code_blocks_off_screen_hold_their_drawn_height(narrow_context, site_url, lang):
    """A code block not yet laid out (content-visibility) holds the height it is drawn with, so
    the page neither jumps as the reader scrolls nor puts a block over the text below it."""
    page, _ = open_page(narrow_context, site_url + page_path(lang, "side-by-side/training-step"))
    heights = page.evaluate(f"""async () => {{
        const blocks = [...document.querySelectorAll('.md-content__inner > .highlight')];
        const before = blocks.map(b => b.getBoundingClientRect().height);
        const after = [];
        for (const b of blocks) {{
            b.scrollIntoView();
            await {NEXT_FRAMES};
            after.push(b.getBoundingClientRect().height);
        }}
        return blocks.map((b, i) => [before[i], after[i], b.style.getPropertyValue('--lines')]);
    }}""")
    assert len(heights) >= 4, heights
    off = [h for h in heights if abs(h[0] - h[1]) > 8]
    assert not off, f"placeholder vs drawn height (px) and line count, more than 8 px apart: {off}"


# Every drawn region of the article that scrolls sideways: [inside a <details>, takes the focus
# itself or holds something that does (axe's rule scrollable-region-focusable)].
SCROLLING_REGIONS = """() => [...document.querySelectorAll('article *')]
    .filter(el => el.getClientRects().length && el.scrollWidth > el.clientWidth + 1
            && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
    .map(el => [!!el.closest('details'), el.tabIndex >= 0 || !!el.querySelector('a[href], [tabindex]')])"""


@pytest.mark.parametrize("lang", LANGS)
def test_hidden_regions_that_scroll_take_the_focus_once_shown(narrow_context, site_url, lang):
    """Code in a closed <details> or in a tab not chosen is measured when it is shown (a11y.js), not on
    load: once opened, every region of it that scrolls sideways takes the keyboard focus."""
    page, _ = open_page(narrow_context, site_url + page_path(lang, "practice"))
    page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
    page.evaluate(NEXT_FRAMES)
    regions = page.evaluate(SCROLLING_REGIONS)
    page.locator(".tabbed-labels > label").filter(has_text="TensorFlow").first.click()
    page.evaluate(NEXT_FRAMES)
    regions += page.evaluate(SCROLLING_REGIONS)
    assert sum(in_details for in_details, _ in regions) >= 3, f"expected code in <details> that scrolls: {regions}"
    unfocusable = [in_details for in_details, focusable in regions if not focusable]
    assert not unfocusable, f"{len(unfocusable)} of {len(regions)} regions that scroll take no focus " \
                            f"({sum(unfocusable)} in <details>)"


@pytest.mark.parametrize("lang", LANGS)
def test_tables_wrapped_at_build_time_look_as_material_draws_them(context, site_url, lang):
    """The build wraps tables as Material's script does (hooks/table_wrappers.py), so the script leaves them
    alone. A plain copy of the first table, put under the page's title as Markdown writes it, is
    wrapped by Material on load: every computed style of the two, wrappers and cells, must be the same."""
    url = site_url + page_path(lang, "benchmarks")

    def add_plain_copy(route):
        body = route.fetch().text()
        table = re.search(r'<table class="wrapped">(.*?)</table>', body, re.S).group(1)
        route.fulfill(body=body.replace("</h1>", f"</h1><table>{table}</table>", 1),
                      content_type="text/html; charset=utf-8")

    context.route(url, add_plain_copy)
    page, log = open_page(context, url)
    found = page.evaluate("""() => {
        const tables = [...document.querySelectorAll('article table')];
        const parts = t => [t.closest('.md-typeset__scrollwrap'), t.parentElement, t, t.querySelector('th'),
                            t.querySelector('tbody tr'), t.querySelector('td'), t.querySelector('td code')];
        const style = el => {
            if (!el) return {};
            const s = getComputedStyle(el);
            return Object.fromEntries([...s].map(p => [p, s[p]]));
        };
        const names = ['scrollwrap', 'table wrapper', 'table', 'th', 'tr', 'td', 'code'];
        const [copy, built] = [tables[0], tables[1]].map(t => parts(t).map(style));
        const differ = built.flatMap((b, i) => Object.keys(b).filter(p => b[p] !== copy[i][p])
            .map(p => `${names[i]} ${p}: ${b[p]} / ${copy[i][p]}`));
        return {wrappers: tables.map(t => t.parentElement.className + ' < ' + t.parentElement.parentElement.className),
                copyWrapped: !tables[0].hasAttribute('class') && tables[0].parentElement.matches('.md-typeset__table'),
                differ};
    }""")
    assert not log["errors"], log["errors"]
    assert found["copyWrapped"], "Material did not wrap the plain copy: the test no longer compares with Material"
    assert set(found["wrappers"]) == {"md-typeset__table < md-typeset__scrollwrap"}, found["wrappers"]
    assert not found["differ"], "a wrapped table looks unlike Material's: " + "; ".join(found["differ"][:12])


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


@pytest.mark.parametrize("name", ["index", "practice"])
@pytest.mark.parametrize("build", ["site_url", "site_elsewhere_url"])
def test_language_switcher_keeps_the_page(context, request, build, name):
    """Clicking the switcher, under both base paths, from the home page and a page below it."""
    base = request.getfixturevalue(build)
    page, _ = open_page(context, base + page_path("zh", name))
    for lang in ("en", "zh"):
        page.hover(".md-header .md-select")
        page.locator(f".md-header .md-select a[hreflang={lang}]").click()
        page.wait_for_url(base + page_path(lang, name))
        assert page.evaluate("document.documentElement.lang") == lang


@pytest.mark.parametrize("lang, query, expected", [("zh", "反向传播", "algorithms/"),
                                                   ("en", "backpropagation", "en/algorithms/")])
def test_search_finds_the_page(context, site_url, lang, query, expected):
    """The index loads when the reader turns to search (overrides/main.html), not with the page."""
    page, log = open_page(context, site_url + page_path(lang, "index"))
    asked = lambda: [u for u in log["requests"] if u.endswith("/search/search_index.json")]  # noqa: E731
    assert not asked(), f"the search index loaded with the page: {asked()}"
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
    assert len(asked()) == 1, asked()


@pytest.mark.parametrize("lang, query", [("zh", "反向传播"), ("en", "backpropagation")])
def test_a_page_opened_from_search_highlights_the_words(context, site_url, lang, query):
    """search.highlight marks the searched words (?h=) with the index's settings: it is loaded at once."""
    page, _ = open_page(context, site_url + page_path(lang, "algorithms") + "?h=" + query)
    page.wait_for_selector("article mark[data-md-highlight]", timeout=15_000)
    assert query.lower() in page.inner_text("article mark[data-md-highlight]").lower()
