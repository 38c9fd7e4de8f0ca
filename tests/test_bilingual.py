"""What a reader of each language sees on the built site: no UI string of the other language,
plots and diagrams in the page's language, no pipeline jargon ("seed") and no machine
fingerprints; and the plots themselves, rendered per language from the committed data."""

import re
from html.parser import HTMLParser

import pytest
from site_fixture import NAMES, page_path

from pvt import render
from pvt.bench import report
from pvt.common import LANGS, ROOT

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
FINGERPRINT = re.compile(r"\b(?:cpu|cuda)-[a-z0-9-]+-[0-9a-f]{6}\b")
# English UI strings that must not reach a Chinese page, and where each would come from.
ENGLISH_UI = {
    "Permanent link": "toc permalink tooltip (hooks/ui_strings.py)",
    "Copy to Clipboard": "mkdocs-jupyter's copy button (hooks/ui_strings.py)",
    "Made with": "Material's footer (overrides/partials/copyright.html)",
    "Download notebook": "the notebook bar (overrides/main.html)",
    "Correction": "an admonition title",
    "Original": "a correction box label",
    "Fact": "a correction box label",
    "Evidence": "a correction box label",
    "Seed": "a correction box label",
    "Copied!": "mkdocs-jupyter's copy notice (hooks/ui_strings.py)",
}
# "seed" on an English page: allowed only in these senses, each a real random-number seed.
SEED_ALLOWED = re.compile(r"random seeds?\b|\bseeded\b", re.I)


class Visible(HTMLParser):
    """The text a reader sees (or hears: title, alt and aria-label attributes), outside code."""

    SKIP = {"script", "style", "code", "pre", "svg"}

    def __init__(self):
        super().__init__()
        self.skipping = []  # the open elements whose text is not shown, innermost last
        self.parts, self.imgs, self.diagrams, self._mermaid = [], [], [], None
        self._depth = 0  # open <div>s inside a stored diagram (hooks/svg_diagrams.py), when > 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "img":
            self.imgs.append(attrs)
        if tag == "pre" and "mermaid" in classes:
            self._mermaid = []
        if tag == "div" and (self._depth or "mermaid-diagram" in classes):
            self._depth += 1
            if self._depth == 1:
                self._mermaid = []
        if tag == "text" and self._depth:  # one label of a stored diagram; its words are <tspan>s
            self._mermaid.append("\n")
        if tag == "tspan" and self._depth:
            self._mermaid.append(" ")
        if tag in self.SKIP or "clipboard-copy-txt" in classes:  # the last: a notebook cell's hidden source
            self.skipping.append(tag)
        if tag != "link":  # <link title="..."> is not shown
            self.parts += [attrs[a] for a in ("title", "alt", "aria-label", "placeholder") if attrs.get(a)]

    def handle_endtag(self, tag):
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        if tag == "div" and self._depth:
            self._depth -= 1
            if self._depth == 0:
                self.diagrams.append("".join(self._mermaid).strip())
                self._mermaid = None
        if tag == "pre" and self._mermaid is not None and not self._depth:
            self.diagrams.append("".join(self._mermaid))
            self._mermaid = None

    def handle_data(self, data):
        if self._mermaid is not None and not (self.skipping and self.skipping[-1] == "style"):
            self._mermaid.append(data.strip() if self._depth else data)
        if not self.skipping:
            self.parts.append(data)

    @property
    def text(self):
        return re.sub(r"\s+", " ", " ".join(self.parts))


def page(site, lang, name):
    path = site / page_path(lang, name) / "index.html"
    assert path.exists(), f"{path.relative_to(site)} was not built"
    parsed = Visible()
    parsed.feed(path.read_text(encoding="utf-8"))
    return path, parsed


def plots(site, lang, name):
    """{file name: bytes} of the SVG plots a page shows, resolved in the built site."""
    path, parsed = page(site, lang, name)
    found = {}
    for img in parsed.imgs:
        if img.get("src", "").endswith(".svg"):
            svg = (path.parent / img["src"]).resolve()
            assert svg.is_file(), f"{path.relative_to(site)}: image {img['src']} is not in the site"
            found[svg.name] = (svg.read_text(encoding="utf-8"), img.get("alt", ""))
    return found


@pytest.mark.parametrize("name", NAMES)
def test_chinese_pages_show_no_english_ui_strings(site, name):
    _, parsed = page(site, "zh", name)
    found = [f"{s!r} ({where})" for s, where in ENGLISH_UI.items()
             if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", parsed.text)]
    assert not found, f"/{page_path('zh', name)}: English UI strings on a Chinese page: {found}"


@pytest.mark.parametrize("name", NAMES)
def test_english_pages_never_say_seed(site, name):
    _, parsed = page(site, "en", name)
    text = SEED_ALLOWED.sub("", parsed.text)
    found = [text[max(0, m.start() - 40):m.end() + 40] for m in re.finditer(r"\bseed", text, re.I)]
    assert not found, (f"/{page_path('en', name)}: 'seed' for the original article (write 'the original' / "
                       f"'the article'): {found}")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_no_machine_fingerprint_is_shown(site, lang, name):
    _, parsed = page(site, lang, name)
    found = FINGERPRINT.findall(parsed.text)
    assert not found, (f"/{page_path(lang, name)}: machine fingerprints shown to readers: "
                       f"{sorted(set(found))}; name machines with render.machine_label ('M1: AMD EPYC, 2 threads')")


def test_plots_are_in_the_pages_language(site):
    checked = 0
    for name in NAMES:
        zh, en = plots(site, "zh", name), plots(site, "en", name)
        assert sorted(zh) == sorted(en), f"{name}: the two languages show different plots: {sorted(zh)} vs {sorted(en)}"
        for svg_name, (zh_svg, zh_alt) in zh.items():
            en_svg, en_alt = en[svg_name]
            assert zh_svg != en_svg, f"{name}: {svg_name} is the same file in both languages"
            # matplotlib keeps every text as an XML comment beside its glyph paths
            assert CJK.search(zh_svg) and CJK.search(zh_alt), f"{name}: the Chinese {svg_name} has no Chinese text"
            assert not CJK.search(en_svg) and not CJK.search(en_alt), f"{name}: the English {svg_name} has Chinese text"
            assert "<text" not in zh_svg and "@font-face" not in zh_svg, f"{name}: {svg_name} needs a font"
            checked += 1
    assert checked >= 5, f"only {checked} plots found on the pages"


LABEL = re.compile(r'\["([^"]*)"\]')
# Words a Chinese diagram label may keep: names of products and projects. Code identifiers
# (with a dot or an underscore: model.fit, jit_compile) stay too.
NAMES_KEPT = {"PyTorch", "TensorFlow", "Keras", "Python", "TorchDynamo", "TorchInductor", "Triton", "XLA",
              "FX", "GPU", "CPU", "C", "True", "False"}


def english_words(label):
    return [w for w in re.findall(r"[A-Za-z][\w.]*", label) if w not in NAMES_KEPT and not re.search(r"[._]", w)]


def test_diagrams_are_in_the_pages_language(site):
    checked = 0
    for name in NAMES:
        zh, en = page(site, "zh", name)[1].diagrams, page(site, "en", name)[1].diagrams
        assert len(zh) == len(en), f"{name}: {len(zh)} diagrams in Chinese, {len(en)} in English"
        for i, (a, b) in enumerate(zip(zh, en, strict=True), 1):
            assert a != b and CJK.search(a), f"{name}: diagram {i} on the Chinese page is not in Chinese"
            labels = LABEL.findall(a) or a.splitlines()  # Mermaid source, or a stored SVG's text
            english = [label for label in labels if english_words(label)]
            assert not english, f"{name}: diagram {i} on the Chinese page has English labels: {english}"
            assert not CJK.search(b), f"{name}: diagram {i} on the English page has Chinese labels"
            checked += 1
    assert checked >= 2


@pytest.mark.parametrize("lang", LANGS)
def test_headings_start_with_their_navigation_label(site, lang):
    """The H1 may say more than the short label in the navigation, but not something else."""
    problems = []
    for name in NAMES:
        path = site / page_path(lang, name) / "index.html"
        html = path.read_text(encoding="utf-8")
        label = re.search(r"<title>(.*?) - ", html)
        h1 = re.search(r"<h1[^>]*>(.*?)<", html)
        if name == "index" or not (label and h1):
            continue
        if not h1.group(1).strip().startswith(label.group(1).strip()):
            problems.append(f"/{page_path(lang, name)}: nav '{label.group(1)}' vs H1 '{h1.group(1)}'")
    assert not problems, "headings that do not match the navigation (mkdocs.yml nav / nav_translations):\n  " + \
        "\n  ".join(problems)


def rendered(tmp_path):
    """Every table and plot rendered from the committed data into tmp_path: {name: bytes}."""
    store = tmp_path / "docs" / "results"
    (store / "machines").mkdir(parents=True)
    results = ROOT / "docs" / "results"
    for src in [results / "linreg_study.json", *results.glob("machines/*/*.json")]:
        dst = store / src.relative_to(results)
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes(src.read_bytes())
    list(render.render_all(store))
    report.render(results_dir=store)
    return {p.relative_to(store).as_posix(): p.read_bytes()
            for p in sorted(store.glob("*/*")) if p.suffix in (".svg", ".md")}


def test_plots_and_tables_are_byte_stable_and_committed(tmp_path):
    first = rendered(tmp_path / "a")
    assert first == rendered(tmp_path / "b"), "rendering twice gave different bytes"
    assert {n for n in first if n.endswith(".svg")} == {f"plots/{p}.{lang}.svg" for lang in LANGS for p in
                                                       ("linreg_loss", "linreg_pred",
                                                        *(f"bench_{w}" for w in report.TASKS))}
    # Tables must match byte for byte. Plots are compared by their texts (titles, labels, ticks,
    # legends: matplotlib keeps each as a comment): glyph outlines depend on the installed fonts'
    # versions, which another machine may not share.
    def texts(name, data):
        return re.findall(rb"<!-- (.*?) -->", data) if name.endswith(".svg") else data

    stale = [n for n, data in first.items()
             if texts(n, (ROOT / "docs/results" / n).read_bytes()) != texts(n, data)]
    assert not stale, ("committed tables/plots differ from what the committed data renders to: "
                       f"{stale}; run `python -m pvt.bench.report` and the render step of pvt/pipeline/results.py")


def test_missing_cjk_font_fails_naming_the_package(monkeypatch):
    monkeypatch.setattr(render, "CJK_FONT", "No Such Font CJK")
    with pytest.raises(SystemExit, match="fonts-noto-cjk"):
        render.plot_style("zh")
