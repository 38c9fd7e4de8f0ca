"""The element budget: a page's layout cost on a phone grows with its number of elements
(Lighthouse's "Avoid an excessive DOM size" warns above 800 and flags 1,400). Every built page stays
within BUDGET, except the pages named in OVER with the reason and the count they may not exceed,
so that a new page is light by design and a heavy page can only get lighter."""

from html.parser import HTMLParser

import pytest

BUDGET = 1400  # Lighthouse's threshold for an excessive DOM; highlighted code costs one element per token
# page (path below the site root, either language) -> (most elements allowed, why it is over)
OVER = {
    "math/": (2600, "120 formulas, each a MathML tree (rendered once, by the browser)"),
    "side-by-side/training-step/": (3500, "long listings and their outputs, highlighted, and formulas"),
    "side-by-side/reproducibility/": (3800, "listings and their outputs, highlighted"),
    "practice/": (3500, "listings and their outputs, highlighted, and formulas"),
    "benchmarks/": (3500, "the harness's listings, highlighted, and the verdict tables"),
    "side-by-side/clipping-schedules/": (2900, "listings and their outputs, highlighted"),
    "provenance/": (2600, "a table row for every result, with versions and commit"),
    "notebooks/bench_workloads/": (2600, "a notebook's cells, highlighted by the notebook renderer"),
    "side-by-side/port-weights/": (2500, "listings and their outputs, highlighted"),
    "side-by-side/data-parallel/": (2100, "long listings, highlighted"),
}


class Counter(HTMLParser):
    def __init__(self):
        super().__init__()
        self.n = 0

    def handle_starttag(self, tag, attrs):
        self.n += 1

    def handle_startendtag(self, tag, attrs):
        self.n += 1


def elements(path):
    counter = Counter()
    counter.feed(path.read_text(encoding="utf-8"))
    return counter.n


@pytest.mark.build
def test_every_page_keeps_its_element_budget(site):
    counts = {page.parent.relative_to(site).as_posix() + "/": elements(page) for page in site.rglob("index.html")}
    problems = []
    for path, n in sorted(counts.items()):
        key = path.removeprefix("en/")
        allowed, why = OVER.get(key, (BUDGET, None))
        if n > allowed:
            problems.append(f"/{path}: {n} elements, over {'its limit' if why else 'the budget'} of {allowed}")
    assert not problems, "pages over their element budget (make them lighter, or argue an exception in OVER):\n  " + \
        "\n  ".join(problems)
    for key in OVER:
        seen = [n for path, n in counts.items() if path.removeprefix("en/") == key]
        assert seen, f"OVER names /{key}, which is not built"
        assert max(seen) > BUDGET, f"/{key} is within the budget now ({max(seen)}): drop it from OVER"
