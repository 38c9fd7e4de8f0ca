"""Each Chinese page and its English twin have the same structure, read from the Markdown sources:
headings per level, includes, formulas, diagrams, tables, admonitions and correction IDs."""

import re
from collections import Counter

import pytest
from pages import DISPLAY, DOCS, INLINE, ROOT, fences, includes, pages, prose, twin

pytestmark = pytest.mark.fast  # `make test-fast`

PAIRS = [p for p in pages() if p.name.endswith(".zh.md")]
HEADING = re.compile(r"^(#{1,6})\s+\S")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$")
ADMONITION = re.compile(r"^\s*(!!!|\?\?\?\+?)\s+([\w-]+)")
CORRECTION = re.compile(r"(?:勘误 |Correction )(C\d+\.\d+)[：:]")
CODE_SPAN = re.compile(r"(`+).+?\1")


def structure(path):
    """What must match between the twins, as {what: value}; values are counts or ordered lists."""
    lines = prose(path)
    text = CODE_SPAN.sub("", "\n".join(lines))
    found = {}
    levels = Counter(len(m.group(1)) for m in map(HEADING.match, lines) if m)
    for level in range(1, 7):
        found[f"headings level {level}"] = levels[level]
    found["includes"] = [re.sub(r"\.(zh|en)\.md\b", ".md", target) for target in includes(path)]
    found["display formulas"] = len(DISPLAY.findall(text))
    found["inline formulas"] = len(INLINE.findall(DISPLAY.sub("", text)))
    found["mermaid diagrams"] = sum(f.lang == "mermaid" for f in fences(path))
    found["tables"] = sum(bool(TABLE_RULE.match(line)) for line in lines)
    found["admonitions"] = [" ".join(m.groups()) for m in map(ADMONITION.match, lines) if m]
    found["correction IDs"] = CORRECTION.findall(text)
    return found


def describe(a, b):
    if isinstance(a, int):
        return f"{a} vs {b}"
    only_a, only_b = Counter(a) - Counter(b), Counter(b) - Counter(a)
    if not only_a and not only_b:
        return f"same items in another order: {a} vs {b}"
    return (f"{len(a)} vs {len(b)}; only in zh: {sorted(only_a.elements())}, "
            f"only in en: {sorted(only_b.elements())}")


@pytest.mark.parametrize("zh", PAIRS, ids=lambda p: p.name[: -len(".zh.md")])
def test_twins_have_the_same_structure(zh):
    en = twin(zh)
    assert en.exists(), f"{zh.relative_to(ROOT)} has no twin {en.relative_to(ROOT)}"
    a, b = structure(zh), structure(en)
    diffs = [f"{what}: {describe(a[what], b[what])}" for what in a if a[what] != b[what]]
    assert not diffs, f"{zh.relative_to(ROOT)} vs {en.relative_to(ROOT)}:\n  " + "\n  ".join(diffs)


def test_the_counts_see_what_the_pages_contain():
    """Guard against a pattern that silently matches nothing."""
    total = Counter()
    for page in PAIRS:
        for what, value in structure(page).items():
            total[what] += value if isinstance(value, int) else len(value)
    for what in ("headings level 2", "includes", "display formulas", "inline formulas", "mermaid diagrams",
                 "tables", "admonitions", "correction IDs"):
        assert total[what] > 0, f"no {what} found on any page in {DOCS.relative_to(ROOT)}: is the pattern right?"
