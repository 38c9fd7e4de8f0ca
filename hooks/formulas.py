"""Render math at build time as MathML with Temml, so that no page runs a script for it.

pymdownx.arithmatex (generic) marks formulas as `<span class="arithmatex">\\(…\\)</span>` and
`<div class="arithmatex">\\[…\\]</div>`; notebook Markdown cells keep `$…$` and `$$…$$`. Each
formula is rendered once per build process by `node pvt/site/math_render.js` (Temml from
node_modules) and cached by its TeX. MathML is drawn by the browser itself and read by screen
readers, so a formula is one `<math>` element tree, not a second copy for the eye. Only a page
with math gets Temml's stylesheet, which loads the STIX Two Math font (a font with an OpenType
MATH table: limits, stretchy delimiters and radicals are placed from it). The whole font is
400 KB; after the build, the site gets a copy cut down to the characters its formulas use
(about 30 KB), with the MATH table's larger and stretchy forms of those characters. A formula
that Temml rejects fails the build, naming the page and the formula.
"""

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

from pvt.common import ROOT

CSS = "assets/vendor/temml/temml.css"
FONT = "assets/vendor/temml/STIXTwoMath.woff2"  # the name Temml's stylesheet gives the font
FONT_SOURCE = ROOT / "node_modules/@fontsource/stix-two-math/files/stix-two-math-latin-400-normal.woff2"
# A single-letter <mi> is drawn in the font's math italic (Latin, Greek, ℎ), which its text does not name.
MATH_ITALIC = [*range(0x1D434, 0x1D468), 0x210E, *range(0x1D6E2, 0x1D71C)]
RENDERER = ROOT / "pvt" / "site" / "math_render.js"
MARKED = re.compile(r'<(span|div) class="arithmatex">\\([(\[])(.*?)\\[)\]]</\1>', re.S)
NOTEBOOK_MD = re.compile(r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S)
# `$$…$$`, or `$…$` within one element, not starting or ending in a space, not followed by a digit.
DOLLARS = re.compile(r"\$\$(.+?)\$\$|\$([^\s$<](?:[^$<]*?[^\s$<])?)\$(?!\d)", re.S)
_cache = {}  # (tex, display) -> MathML, for every language and every rebuild of `mkdocs serve`
_used = set()  # the characters of this build's formulas


def render(formulas):
    """MathML for each (tex, display) pair; raises ValueError(tex, message) on the first rejected one."""
    todo = sorted({f for f in formulas if f not in _cache})
    if todo:
        node = shutil.which("node")
        if node is None or not (ROOT / "node_modules/temml").is_dir():
            raise PluginError("hooks/formulas.py: math is rendered with Node and node_modules/temml; "
                              "install Node.js 20 and run `npm ci` in the project root.")
        proc = subprocess.run([node, str(RENDERER)], input=json.dumps(todo), capture_output=True,
                              text=True, cwd=ROOT, timeout=120)
        if proc.returncode:
            raise PluginError(f"pvt/site/math_render.js failed: {proc.stderr[-2000:]}")
        for formula, result in zip(todo, json.loads(proc.stdout), strict=True):
            if "error" in result:
                raise ValueError(formula[0], result["error"])
            _cache[formula] = result["html"]
    return [_cache[f] for f in formulas]


def mark_notebook_math(text):
    """`$$…$$` and `$…$` in notebook Markdown cells, marked as arithmatex marks formulas."""
    def cell(m):
        body = DOLLARS.sub(lambda d: (f'<div class="arithmatex">\\[{d.group(1)}\\]</div>' if d.group(1) is not None
                                      else f'<span class="arithmatex">\\({d.group(2)}\\)</span>'), m.group(2))
        return m.group(1) + body + m.group(3)
    return NOTEBOOK_MD.sub(cell, text)


@event_priority(-50)  # after mermaid2 and mkdocs-jupyter have written the page
def on_post_page(output, page, config):
    if page.file.src_uri.endswith(".ipynb"):
        output = mark_notebook_math(output)
    found = list(MARKED.finditer(output))
    if not found:
        return output
    formulas = [(html.unescape(m.group(3)).strip(), m.group(2) == "[") for m in found]
    try:
        mathml = render(formulas)
    except ValueError as e:
        tex, message = e.args
        raise PluginError(f"docs/{page.file.src_uri}: Temml cannot render the formula {tex!r}: {message}. "
                          "Fix the TeX in that file.") from None
    _used.update(*(characters(m) for m in mathml))
    rendered = iter(mathml)
    output = MARKED.sub(lambda m: f'<{m.group(1)} class="arithmatex">{next(rendered)}</{m.group(1)}>', output)
    # The font is fetched with the stylesheet, not once the first formula is laid out: formulas
    # laid out in another font first would move the text around them when it arrives.
    links = (f'<link rel="preload" href="{get_relative_url(FONT, page.url)}" as="font" type="font/woff2" crossorigin>\n'
             f'<link rel="stylesheet" href="{get_relative_url(CSS, page.url)}">')
    return output.replace("</head>", links + "\n</head>", 1)


def characters(mathml):
    """The characters a MathML formula shows (its text, without the TeX annotation)."""
    shown = re.sub(r"<annotation.*?</annotation>|<[^>]+>", "", mathml, flags=re.S)
    return set(html.unescape(shown)) - {"\n"}


def on_pre_build(config):
    _used.clear()


def on_post_build(config):
    """The math font, cut down to the characters this build's formulas use."""
    if not _used:
        return
    from fontTools import subset

    if not FONT_SOURCE.is_file():
        raise PluginError(f"hooks/formulas.py: {FONT_SOURCE.relative_to(ROOT)} is missing; run `npm ci` in the "
                          "project root.")
    options = subset.Options(layout_features=["*"], flavor="woff2")
    font = subset.load_font(str(FONT_SOURCE), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for c in _used} | set(MATH_ITALIC)))
    subsetter.subset(font)
    out = Path(config["site_dir"]) / FONT
    out.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(out), options)
