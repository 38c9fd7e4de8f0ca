"""Render math at build time with KaTeX, so that no page loads KaTeX's JavaScript.

pymdownx.arithmatex (generic) marks formulas as `<span class="arithmatex">\\(…\\)</span>` and
`<div class="arithmatex">\\[…\\]</div>`; notebook Markdown cells keep `$…$` and `$$…$$`. Each
formula is rendered once per build process by `node pvt/site/katex_render.js` (KaTeX from
node_modules, HTML plus MathML for screen readers) and cached by its TeX. Only a page with
math gets KaTeX's stylesheet, which loads the woff2 fonts that its formulas use. A formula
that KaTeX rejects fails the build, naming the page and the formula.
"""

import html
import json
import re
import shutil
import subprocess

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

from pvt.common import ROOT

CSS = "assets/vendor/katex/katex.min.css"
RENDERER = ROOT / "pvt" / "site" / "katex_render.js"
MARKED = re.compile(r'<(span|div) class="arithmatex">\\([(\[])(.*?)\\[)\]]</\1>', re.S)
NOTEBOOK_MD = re.compile(r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S)
# `$$…$$`, or `$…$` within one element, not starting or ending in a space, not followed by a digit.
DOLLARS = re.compile(r"\$\$(.+?)\$\$|\$([^\s$<](?:[^$<]*?[^\s$<])?)\$(?!\d)", re.S)
_cache = {}  # (tex, display) -> KaTeX HTML, for every language and every rebuild of `mkdocs serve`


def render(formulas):
    """KaTeX HTML for each (tex, display) pair; raises ValueError(tex, message) on the first rejected one."""
    todo = sorted({f for f in formulas if f not in _cache})
    if todo:
        node = shutil.which("node")
        if node is None or not (ROOT / "node_modules/katex").is_dir():
            raise PluginError("hooks/katex.py: math is rendered with Node and node_modules/katex; "
                              "install Node.js 20 and run `npm ci` in the project root.")
        proc = subprocess.run([node, str(RENDERER)], input=json.dumps(todo), capture_output=True,
                              text=True, cwd=ROOT, timeout=120)
        if proc.returncode:
            raise PluginError(f"pvt/site/katex_render.js failed: {proc.stderr[-2000:]}")
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
        rendered = iter(render(formulas))
    except ValueError as e:
        tex, message = e.args
        raise PluginError(f"docs/{page.file.src_uri}: KaTeX cannot render the formula {tex!r}: {message}. "
                          "Fix the TeX in that file.") from None
    output = MARKED.sub(lambda m: f'<{m.group(1)} class="arithmatex">{next(rendered)}</{m.group(1)}>', output)
    link = f'<link rel="stylesheet" href="{get_relative_url(CSS, page.url)}">'
    return output.replace("</head>", link + "\n</head>", 1)
