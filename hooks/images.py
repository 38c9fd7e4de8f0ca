"""Images in a page's content load when the reader scrolls to them: every <img> gets
loading="lazy" and decoding="async" unless it sets them itself. The plots are SVG files with
thousands of paths (their Chinese glyphs are drawn as paths), and a browser draws an SVG image
on the page's main thread, so drawing every plot of a long page at once blocked it.
"""

import re

IMG = re.compile(r"<img\b(?![^>]*\bloading=)")


def on_page_content(html, page, config, files):
    return IMG.sub('<img loading="lazy" decoding="async"', html)
