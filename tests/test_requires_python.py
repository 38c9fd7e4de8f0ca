"""Python version requirements on the pages come from the packages' own metadata, never typed."""

import json
import re
import runpy

from pages import ROOT, pages

STORED = ROOT / "docs/results/requires_python.json"
SNIPPET = ROOT / "snippets/install/requires_python.py"
# "Python ≥ 3.10", "Python >=3.11", "Python 3.10 or later", "Python 3.10 或更高版本", ...
TYPED = re.compile(r"Python\s*(≥|>=)\s*3\.\d+|Python\s*3\.\d+\s*(\+|or (later|newer|higher)|或更高|及以上|以上)")


def test_stored_requirements_are_those_of_the_installed_packages():
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    installed = runpy.run_path(str(SNIPPET))["results"]()
    assert stored == installed, (
        f"docs/results/requires_python.json says {stored}, the installed packages say {installed}; "
        f"run `make results` (the pinned versions changed)")


def test_no_page_types_a_python_requirement():
    typed = [f"{page.relative_to(ROOT)}:{number}: {m.group(0)!r}"
             for page in pages()
             for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
             for m in TYPED.finditer(line)]
    assert not typed, ("a Python version requirement typed on a page; glue it from the packages' "
                       "metadata instead, e.g. {{ glue requires_python/torch }}:\n  " + "\n  ".join(typed))
