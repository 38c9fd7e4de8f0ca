"""Show each Mermaid diagram as the SVG stored for it in docs/results/diagrams/ (pvt/site/diagrams.py),
so pages load no Mermaid. A diagram without a stored SVG stays a `pre.mermaid` fence, which
mkdocs-mermaid2 and Mermaid's ESM build render in the browser (editing under `mkdocs serve`);
tests/test_site.py fails until its SVG is stored.
"""

import html
import re

from mkdocs.plugins import event_priority

from pvt.site.diagrams import STORE, key

FENCE = re.compile(r'<pre\s+class="mermaid"><code>(.*?)</code></pre>', re.S)


def stored(m):
    svg = STORE / f"{key(html.unescape(m.group(1)))}.svg"
    if not svg.exists():
        return m.group(0)
    # A diagram wider than the column scrolls sideways (extra.css; a11y.js gives it the focus).
    return f'<div class="mermaid-diagram">{svg.read_text(encoding="utf-8").strip()}</div>'


@event_priority(100)  # before mermaid2 looks for diagrams (on_post_page)
def on_page_content(content, page, config, files):
    return FENCE.sub(stored, content)
