"""Corrections: every correction box is listed on the errata page, in both languages."""

import io
import keyword
import re
import tokenize
from urllib.parse import urlparse

import pytest
from pages import DOCS, ROOT, fences, pages
from pvt.pipeline import jobs

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


# The promises "the tests run every code block" and "every change is in a box", made on the home
# page and the errata page, hold only with their exceptions listed: every block marked
# pytest.mark.skip is a row on both pages, and every name the corrected programs add or drop
# (compared with the article's listings) is mentioned in their correction box.
SKIP_ROW = re.compile(r"^\| `(snippets/[^`]+)` \| \[[^\]]+\]\(([\w-]+)\.md#[^)]+\) \| \S.* \|$")
PROGRAMS = {"C5.2": ("snippets/seed/linreg_torch_as_printed.py", "snippets/linreg_torch.py"),
            "C5.3": ("snippets/seed/linreg_tf_as_printed.py", "snippets/linreg_tf.py")}


def run_by_a_job():
    """Snippets a results job runs: its own, and the modules it imports (a page may show these
    definitions alone, marked skip, since the job's run executes them; tests/test_snippets.py)."""
    return {p.relative_to(ROOT).as_posix() for job in jobs.JOBS for p in jobs.local_imports(ROOT / job.snippet)}


def skipped(lang):
    """(snippet, page) of every code block a page marks pytest.mark.skip that no job runs."""
    ran = run_by_a_job()
    return sorted((include.split(":")[0], page.name.split(".")[0])
                  for page in pages() if page.name.endswith(f".{lang}.md")
                  for fence in fences(page) if fence.marker.startswith("pytest.mark.skip")
                  for include in fence.includes if include.split(":")[0] not in ran)


def skip_rows(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    return sorted((m.group(1), m.group(2)) for m in map(SKIP_ROW.match, lines) if m)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_home_page_lists_every_skipped_block(lang):
    """The home page promises running code and keeps the one list of blocks that do not run
    (the errata page links to it)."""
    path, found = DOCS / f"index.{lang}.md", skipped(lang)
    assert found, "no skipped block found: the marker or the include pattern changed"
    listed = skip_rows(path)
    assert listed == found, (
        f"{path.relative_to(ROOT)}: its table of code blocks the tests do not run differs from the "
        f"pytest.mark.skip markers on the pages:\n  only in the table: {sorted(set(listed) - set(found))}\n"
        f"  only marked: {sorted(set(found) - set(listed))}\n"
        f"add a row | `snippet` | [section](page.md#anchor) | reason | or remove the marker")


def code_names(snippet):
    """The names (not keywords, comments or strings) in a snippet's code section."""
    text = (ROOT / snippet).read_text(encoding="utf-8")
    code = text.split("# --8<-- [start:code]")[1].split("# --8<-- [end:code]")[0]
    return {t.string for t in tokenize.generate_tokens(io.StringIO(code).readline)
            if t.type == tokenize.NAME and not keyword.iskeyword(t.string)}


def box(path, correction):
    """The text of one correction box: its title line and the indented lines under it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if TITLE[path.name.split(".")[1]].match(line)
                 and correction in line)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() and not lines[i].startswith(" ")),
               len(lines))
    return "\n".join(lines[start:end])


@pytest.mark.parametrize("correction", sorted(PROGRAMS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_change_to_the_articles_programs_is_in_its_box(lang, correction):
    seed, fixed = PROGRAMS[correction]
    changed = code_names(seed) ^ code_names(fixed)
    assert changed, f"{seed} and {fixed} use the same names: the comparison sees nothing"
    text = box(DOCS / f"practice.{lang}.md", correction).lower()
    missing = sorted(name for name in changed if name.lower() not in text)
    assert not missing, (
        f"docs/practice.{lang}.md, correction {correction}: {fixed} differs from the article's "
        f"{seed} in {missing}, which the box does not mention; list every change in the box")
