"""Tables are wrapped at build time the way Material's JavaScript wraps them on load
(`div.md-typeset__scrollwrap > div.md-typeset__table > table`), so the browser lays each table out
once. Material wraps every `table:not([class])` once the page has loaded: it takes the table out of
the page and puts it back, and the browser computes its style and layout a second time (on the
errata page, one table, that was most of the load's blocking time in Lighthouse).

A table wrapped here carries `class="wrapped"`, so Material's script leaves it alone. After each
build, the rules of Material's stylesheet for `table:not([class])` are extended to that class,
`table:is(:not([class]),.wrapped)`: the same rules, at the same specificity, so a wrapped table
looks exactly as Material draws a table. A build whose Material no longer names that selector fails
here instead of drawing plain tables.
"""

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

TABLE = re.compile(r"<table>(.*?)</table>", re.S)
MATERIAL = "table:not([class])"
EXTENDED = "table:is(:not([class]),.wrapped)"


def on_page_content(html, page, config, files):
    return TABLE.sub(r'<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
                     r'<table class="wrapped">\1</table></div></div>', html)


def extend_styles(css: Path):
    text = css.read_text(encoding="utf-8")
    if EXTENDED in text:  # a rebuild that kept the file (mkdocs serve --dirty)
        return
    if MATERIAL not in text:
        raise PluginError(f"hooks/table_wrappers.py: {css} has no rule for {MATERIAL}, the tables Material styles; "
                          "follow Material's new selector here, or drop this hook and let Material wrap tables.")
    css.write_text(text.replace(MATERIAL, EXTENDED), encoding="utf-8")


def on_post_build(config):
    sheets = list((Path(config["site_dir"]) / "assets/stylesheets").glob("main.*.min.css"))
    if not sheets:
        raise PluginError("hooks/table_wrappers.py: no Material stylesheet (assets/stylesheets/main.*.min.css) "
                          "in the build")
    for css in sheets:
        extend_styles(css)
