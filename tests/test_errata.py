"""Corrections: every correction box is listed on the errata page, in both languages."""

import re
from urllib.parse import urlparse

import pytest

from pages import DOCS, ROOT, pages

pytestmark = pytest.mark.fast  # `make test-fast`

TITLE = {"zh": re.compile(r'^\s*\?\?\?\+? bug "勘误 (C\d+\.\d+)：'),
         "en": re.compile(r'^\s*\?\?\?\+? bug "Correction (C\d+\.\d+): ')}
ROW = re.compile(r"^\| (C\d+\.\d+) \| \[[^\]]+\]\(([\w-]+)\.md#[^)]+\) \|")
LINK = re.compile(r"\]\((https?://[^)\s]*)\)")


def boxes(lang):
    """(id, page) of every correction box, in reading order of the navigation."""
    found = []
    for page in pages():
        if page.name.endswith(f".{lang}.md") and not page.name.startswith("errata"):
            for line in page.read_text(encoding="utf-8").splitlines():
                m = TITLE[lang].match(line)
                if m:
                    found.append((m.group(1), page.name.split(".")[0]))
    return found


def rows(lang):
    text = (DOCS / f"errata.{lang}.md").read_text(encoding="utf-8")
    return [(m.group(1), m.group(2)) for m in map(ROW.match, text.splitlines()) if m]


def key(entry):
    section, number = entry[0][1:].split(".")
    return int(section), int(number)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_errata_table_lists_every_correction_box(lang):
    listed, found = sorted(rows(lang), key=key), sorted(boxes(lang), key=key)
    assert listed, f"docs/errata.{lang}.md has no rows"
    assert listed == found, (
        f"docs/errata.{lang}.md and the correction boxes differ:\n"
        f"  only in the table: {sorted(set(listed) - set(found))}\n"
        f"  only in the pages: {sorted(set(found) - set(listed))}")


def test_both_languages_have_the_same_corrections():
    assert [i for i, _ in boxes("zh")] == [i for i, _ in boxes("en")] != []
    assert len({i for i, _ in boxes("zh")}) == len(boxes("zh")), "a correction ID is used twice"


def test_evidence_links_are_well_formed():
    bad = []
    for page in pages():
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            for url in LINK.findall(line):
                parts = urlparse(url)
                if parts.scheme != "https" or "." not in parts.netloc or " " in url:
                    bad.append(f"{page.relative_to(ROOT)}:{number}: {url}")
    assert not bad, "malformed or non-https links:\n  " + "\n  ".join(bad)
