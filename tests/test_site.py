"""The built site: both languages, diagrams and math, offline, searchable, and loud on bad input."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest
from pages import DOCS, fences, pages
from site_build import mkdocs_build
from site_fixture import OTHER_BASE, built_pages

from pvt import common
from pvt.site import diagrams as diagram_store

NAMES = sorted({p.relative_to(DOCS).as_posix().split(".")[0] for p in pages()})  # "practice", "bench/mlp"
LANGS = {lang: common.url_prefix(lang) for lang in common.LANGS}
# Each language's search index well under a single index of both languages: at first half of it
# (223 KB of 446); the side-by-side chapter, searchable for `state_dict`, `onnx` or `NCHW` as readers
# search, added about 40 KB to each, its part II about 150 KB to the Chinese one (382 KB; the word
# breaks that make Chinese searchable are a fifth of it). The limit fails a page that suddenly adds
# much more: pages of generated tables stay out of search. What the index weighs on every page
# load is on the About page (pvt/site/page_weight.py).
SEARCH_INDEX_MAX = 450 * 1024


def html(site, lang, name):
    path = site / LANGS[lang] / ("" if name == "index" else name) / "index.html"
    assert path.exists(), f"{path.relative_to(site)} was not built (from docs/{name}.{lang}.md)"
    return path.read_text(encoding="utf-8")


def has_diagram(name):
    return any(f.lang == "mermaid" for f in fences(DOCS / f"{name}.zh.md"))


def has_math(name):
    return "$" in (DOCS / f"{name}.zh.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_page_is_built_in_each_language(site, lang, name):
    assert re.search(rf'<html[^>]*\blang="{lang}"', html(site, lang, name))


@pytest.mark.parametrize("lang", LANGS)
def test_diagrams_and_formulas_have_their_markup(site, lang):
    """Diagrams shown as their stored SVGs (no page loads Mermaid), Temml's stylesheet on exactly the
    pages with math, formulas rendered to MathML at build time, no math JavaScript."""
    math_pages = [n for n in NAMES if has_math(n)]
    assert has_diagram("concepts") and "math" in math_pages
    for name in NAMES:
        text = html(site, lang, name)
        assert "mermaid-loader.js" not in text and '<pre class="mermaid">' not in text, \
            f"{lang}/{name}: loads Mermaid (a diagram without its stored SVG? run `python -m pvt.site.diagrams`)"
        shown = text.count('<div class="mermaid-diagram"><svg')
        expected = sum(f.lang == "mermaid" for f in fences(DOCS / f"{name}.{lang}.md"))
        assert shown == expected, f"{lang}/{name}: {shown} stored diagram(s) shown, the page has {expected}"
        if name in math_pages:
            assert 'class="arithmatex"><math' in text, f"{lang}/{name}: formulas not rendered at build time"
            assert text.count("vendor/temml/temml.css") == 1, f"{lang}/{name}: Temml's stylesheet missing"
        else:
            assert "vendor/temml/temml.css" not in text, f"{lang}/{name}: loads Temml's stylesheet without math"
        assert not re.search(r"\\[(\[]", re.sub(r"<(code|pre|annotation)[^>]*>.*?</\1>", "", text, flags=re.S)), \
            f"{lang}/{name}: a raw formula delimiter is left"
    scripts = [p.relative_to(site).as_posix() for p in site.rglob("*.html")
               if re.search(r"<script[^>]+(katex|temml|mathjax)", p.read_text(encoding="utf-8"))]
    assert not scripts, f"pages that load a math script: {scripts}"


def test_every_diagram_has_its_stored_svg():
    """pvt/site/diagrams.py renders each diagram once; an edited diagram needs its SVG again."""
    found, stored = diagram_store.diagrams(), {p.stem for p in diagram_store.STORE.glob("*.svg")}
    missing = [f"{src}: diagram {k}" for k, (src, _) in found.items() if k not in stored]
    unused = sorted(stored - set(found))
    assert not missing and not unused, (f"diagrams without a stored SVG: {missing}; unused SVGs: {unused}. "
                                        "Run `python -m pvt.site.diagrams` and commit docs/results/diagrams/.")


def test_the_math_font_has_every_character_the_formulas_show(site):
    """The build serves STIX Two Math cut down to the formulas' characters (hooks/formulas.py):
    a character it left out would be drawn from another font, with other metrics."""
    from fontTools.ttLib import TTFont

    import formulas

    font = site / formulas.FONT
    assert font.is_file(), f"{formulas.FONT} is not in the built site"
    covered = set(TTFont(str(font)).getBestCmap())
    shown = set()
    for page in site.rglob("*.html"):
        for mathml in re.findall(r"<math.*?</math>", page.read_text(encoding="utf-8"), re.S):
            shown |= formulas.characters(mathml)
    assert len(shown) > 40, "too few characters found: did the formulas' markup change?"
    missing = sorted(c for c in shown if ord(c) not in covered)
    assert not missing, f"characters of the formulas missing from the served math font: {missing}"
    full = formulas.FONT_SOURCE.stat().st_size
    assert font.stat().st_size < full / 4, f"the math font is not cut down ({font.stat().st_size} bytes of {full})"


def test_only_what_the_pages_use_is_vendored(site):
    """Mermaid's ESM build (no 3.5 MB UMD file); Temml's stylesheet and its one woff2 font."""
    vendor = site / "assets/vendor"
    assert (vendor / "mermaid/mermaid.esm.min.mjs").is_file(), "run `python -m pvt.site.vendor_assets`"
    unused = [p.relative_to(site).as_posix() for p in vendor.rglob("*")
              if p.name in ("mermaid.min.js", "temml.min.js") or p.suffix in (".woff", ".ttf")]
    assert not unused, f"vendored files no page uses: {unused}"


class Resources(HTMLParser):
    """Every URL that the browser would fetch while loading the page (not plain links)."""

    FETCH = {("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"), ("video", "src"),
             ("audio", "src"), ("embed", "src"), ("object", "data"), ("link", "href")}

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for t, a in self.FETCH:
            if tag == t and attrs.get(a) and not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
                self.urls.append(attrs[a])
        if attrs.get("style"):
            self.urls += re.findall(r"url\(['\"]?([^'\")]+)", attrs["style"])


def test_no_built_page_references_another_host(site):
    offenders = []
    for page in sorted(site.rglob("*.html")):
        parser = Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        offenders += [f"{page.relative_to(site)}: {u}" for u in parser.urls if urlparse(u).netloc]
    for css in sorted(site.rglob("*.css")):
        offenders += [f"{css.relative_to(site)}: {u}" for u in
                      re.findall(r"url\(['\"]?((?:https?:)?//[^'\")]+)", css.read_text(encoding="utf-8"))]
    assert not offenders, "pages load resources from other hosts:\n  " + "\n  ".join(offenders)


def test_google_fonts_are_off(site):
    assert "fonts.googleapis.com" not in html(site, "zh", "index")


def search_index(site, lang):
    path = site / LANGS[lang] / "search/search_index.json"
    assert path.exists(), f"no search index for {lang} at {path.relative_to(site)}"
    return path


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_has_its_own_small_search_index(site, lang):
    path = search_index(site, lang)
    index = json.loads(path.read_text(encoding="utf-8"))
    assert path.stat().st_size <= SEARCH_INDEX_MAX, \
        f"{path.relative_to(site)} is {path.stat().st_size // 1024} KB, over {SEARCH_INDEX_MAX // 1024} KB"
    html_lang = {re.search(r'<html[^>]*\blang="([^"]+)"', (site / LANGS[lang] / d["location"].split("#")[0] /
                 "index.html").read_text(encoding="utf-8")).group(1)
                 for d in index["docs"] if (site / LANGS[lang] / d["location"].split("#")[0] / "index.html").exists()}
    assert html_lang == {lang}, f"{path.relative_to(site)} holds pages in {html_lang}"


@pytest.mark.parametrize("lang, query, page", [("zh", "反向传播", "algorithms/"),
                                               ("en", "backpropagation", "algorithms/"),
                                               ("zh", "均方误差", "math/"), ("en", "gradient descent", "math/")])
def test_search_index_finds_terms_in_each_language(site, lang, query, page):
    docs = json.loads(search_index(site, lang).read_text(encoding="utf-8"))["docs"]
    words = query.lower().split()
    hits = {d["location"].split("#")[0] for d in docs
            if all(w in (d["title"] + d["text"]).replace("\u200b", "").lower() for w in words)}
    assert page in hits, f"{lang} search for {query!r} does not find {page}; found {sorted(hits)[:8]}"


def test_chinese_is_segmented_for_search(site):
    config = json.loads(search_index(site, "zh").read_text(encoding="utf-8"))["config"]
    assert "\\u200b" in config["separator"] or "\u200b" in config["separator"]
    assert "zh" in config["lang"]


def test_chinese_headings_get_readable_anchors(site):
    assert 'id="52-源代码详细实现"' in html(site, "zh", "practice")


def test_the_trimmed_project_builds_clean(trimmed, tmp_path):
    """The baseline of the breakage tests below: unbroken, the trimmed project builds strict."""
    proc = mkdocs_build(trimmed, tmp_path / "out")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    html = (tmp_path / "out" / "en" / "index.html").read_text(encoding="utf-8")
    assert 'class="arithmatex"><math' in html and 'class="glued"' in html and "MSELoss" in html


# Each breakage stops the build with an error naming the page; on the trimmed project (one page
# pair), so that each costs seconds.
BREAKAGES = {
    "missing include": ("index.zh.md", "snippets/mse_gradient.py:code", "snippets/no_such_file.py:code",
                        "no_such_file.py"),
    "missing section": ("index.zh.md", "snippets/mse_gradient.py:code", "snippets/mse_gradient.py:nope", "nope"),
    "unknown result": ("index.en.md", "versions/torch", "versions/no_such_key", "no_such_key"),
    "bad formula": ("index.en.md", r"$x \in \mathbb{R}^d$", r"$x \in \mathbb{R}^{d$", r"x \\in \\mathbb{R}^{d"),
}


def break_page(project, page, old, new):
    path = project / "docs" / page
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{page} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_bad_input_fails_the_build_naming_the_file(trimmed, tmp_path, breakage):
    page, old, new, needle = BREAKAGES[breakage]
    break_page(trimmed, page, old, new)
    proc = mkdocs_build(trimmed, tmp_path / "out")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, f"{breakage} did not fail the build"
    assert needle in output and (page in output or page.split(".")[0] in output), output[-2000:]


# Warnings do not stop a build: several go into one strict build, whose log must name each:
# a link to no page, a link to no anchor, and a page showing a result its changed snippet made.
WARNINGS = [("index.zh.md", "(other.md#api)", "(no-such-page.md)", "no-such-page.md"),
            ("index.en.md", "(other.md#api)", "(other.md#no-such-anchor)", "no-such-anchor")]


def test_broken_links_anchors_and_stale_results_fail_the_strict_build_naming_each(trimmed, tmp_path):
    for page, old, new, _ in WARNINGS:
        break_page(trimmed, page, old, new)
    snippet = trimmed / "snippets/mse_gradient.py"
    snippet.write_text(snippet.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
    proc = mkdocs_build(trimmed, tmp_path / "out")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, "broken links and a stale result did not fail the strict build"
    for page, _, _, needle in WARNINGS:
        assert needle in output and page.split(".")[0] in output, f"{needle} ({page}) not named:\n{output[-2000:]}"
    assert "snippets/mse_gradient.py" in output and "stale" in output, output[-2000:]


def test_page_without_translation_fails_the_build(trimmed, tmp_path):
    (trimmed / "docs/other.en.md").unlink()
    proc = mkdocs_build(trimmed, tmp_path / "out")
    assert proc.returncode != 0
    assert "docs/other.zh.md has no translation docs/other.en.md" in proc.stdout + proc.stderr


@pytest.mark.build
def test_site_builds_without_frameworks_or_the_benchmark_driver(site):
    """An author who only edits prose needs neither framework: results are committed. And the
    build reads results; it never imports what produces them. The shared build runs with an
    import blocker (site_build.BUILD_MUST_NOT_IMPORT), which records what it refused."""
    record = site.parent / "blocked-imports.txt"
    assert record.exists(), "the shared build did not run with the import blocker"
    assert record.read_text(encoding="utf-8").splitlines() == [], f"the build imported: {record.read_text()}"


def test_a_code_block_carries_its_line_count():
    """A code block not laid out yet holds the height of its lines (hooks/code_blocks.py, extra.css)."""
    import code_blocks

    block = '<div class="highlight"><pre><span></span><code>a = 1\nb = 2\nprint(a + b)\n</code></pre></div>'
    out = code_blocks.on_page_content(block + block.replace("a = 1\n", ""), None, None, None)
    assert re.findall(r'style="--lines: (\d+)"', out) == ["3", "2"], out


def test_tables_are_wrapped_and_styled_as_material_does(site, tmp_path):
    """Every table of the built site comes wrapped (hooks/table_wrappers.py), Material's stylesheet
    styles the wrapped ones too, and a Material without the selector fails the build instead of
    drawing bare tables; a second pass over the same stylesheet changes nothing (mkdocs serve --dirty)."""
    import table_wrappers as tables
    from mkdocs.exceptions import PluginError

    html = {p: p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    assert sum('<table class="wrapped">' in text for text in html.values()) > 10
    bare = [p for p, text in html.items() if "<table>" in text]
    assert not bare, f"tables left for Material to wrap on load: {bare[:3]}"
    sheet = next((site / "assets/stylesheets").glob("main.*.min.css")).read_text(encoding="utf-8")
    assert tables.MATERIAL not in sheet and sheet.count(tables.EXTENDED) > 5

    css = tmp_path / "main.css"
    css.write_text(".md-typeset table:not([class]) th{padding:0}", encoding="utf-8")
    tables.extend_styles(css)
    tables.extend_styles(css)
    assert css.read_text(encoding="utf-8") == ".md-typeset table:is(:not([class]),.wrapped) th{padding:0}"
    css.write_text(".md-typeset table:not(.x) th{padding:0}", encoding="utf-8")
    with pytest.raises(PluginError, match="no rule for table:not"):
        tables.extend_styles(css)


def test_notebook_math_is_rendered_at_build_time():
    """Notebook Markdown cells keep `$…$`: the math hook renders it there (and leaves "$5 and $10")."""
    from types import SimpleNamespace

    import formulas as math_hook

    cell = ('<html><head></head><body><div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">'
            r"<p>Loss $L = \frac{1}{n}\sum_i e_i^2$, prices $5 and $10.</p><p>$$y = wx + b$$</p></div></body></html>")
    page = SimpleNamespace(file=SimpleNamespace(src_uri="notebooks/demo.en.ipynb"), url="en/notebooks/demo/")
    out = math_hook.on_post_page(cell, page, config=None)
    assert out.count('<span class="arithmatex"><math>') == 1, out
    assert out.count('<div class="arithmatex"><math display="block"') == 1, out
    assert "$5 and $10" in out
    assert '<link rel="stylesheet" href="../../../assets/vendor/temml/temml.css">' in out
    assert '<link rel="preload" href="../../../assets/vendor/temml/STIXTwoMath.woff2" as="font"' in out


def test_a_build_without_site_url_publishes_no_address_that_does_not_exist(site):
    """The default `site_url` is a placeholder: no canonical tag, no sitemap, no file names it."""
    placeholder = urlparse(common.default_site_url()).netloc
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    for path in site.rglob("*"):
        if path.suffix in (".html", ".ipynb", ".xml", ".json", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert placeholder not in text, f"{path.relative_to(site)} names {placeholder}"
            assert 'rel="canonical"' not in text, f"{path.relative_to(site)} has a canonical tag"


def test_a_build_with_site_url_names_it_in_every_canonical_tag_and_the_sitemap(site_elsewhere):
    base = f"http://127.0.0.1{OTHER_BASE}"
    pages_seen = 0
    for path in site_elsewhere.rglob("index.html"):
        links = re.findall(r'<link\b[^>]*\brel="canonical"[^>]*>', path.read_text(encoding="utf-8"))
        found = [re.search(r'\bhref="([^"]+)"', link).group(1) for link in links]
        rel = path.parent.relative_to(site_elsewhere).as_posix()
        if "notebooks" in rel.split("/") and not found:  # mkdocs-jupyter's pages have no canonical tag
            continue
        assert found == [base + ("" if rel == "." else rel + "/")], f"{rel}: {found}"
        pages_seen += 1
    assert pages_seen > 20
    locs = re.findall(r"<loc>([^<]+)</loc>", (site_elsewhere / "sitemap.xml").read_text(encoding="utf-8"))
    assert locs and all(loc.startswith(base) for loc in locs)
    missing = set(built_pages(site_elsewhere)) - {loc.removeprefix(base) for loc in locs}
    assert not missing, f"pages missing from the sitemap: {sorted(missing)}"
