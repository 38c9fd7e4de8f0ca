"""Rules that keep every code block on every page an executed include.

Each failure names the file and says how to fix it.
"""


import pytest
from pages import ROOT, fences, includes, pages, twin

from pvt.pipeline import results

pytestmark = pytest.mark.fast  # `make test-fast`

CODE_LANGS = {"py", "python", "python3", "py3", "pycon", "ipython", "sh", "bash", "shell", "console", "zsh"}
RUNNABLE = {"python", "bash", "sh"}
PAGES = pages()


def rel(path):
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


def fence_problems(page):
    problems = []
    for f in fences(page):
        if f.lang not in CODE_LANGS:
            continue
        where = f"{rel(page)}:{f.line}"
        if f.info not in RUNNABLE:
            problems.append(f"{where}: fence info string '{f.info}' is silently skipped by pytest-codeblocks; "
                            f"write exactly ```python, ```bash or ```sh (no title, no options)")
        if not f.includes or len(f.includes) != len([b for b in f.body if b.strip()]):
            problems.append(f"{where}: inline {f.lang} code; move it into a file under snippets/ and include "
                            f'it with --8<-- "snippets/<file>:<section>"')
        elif not all(i.startswith("snippets/") for i in f.includes):
            problems.append(f"{where}: code must come from snippets/, not {f.includes}")
    return problems


def marker_problems(page):
    """A pytest mark above a text block is used up there: the code it meant runs unmarked."""
    problems = []
    for f in fences(page):
        if not f.marker:
            continue
        where = f"{rel(page)}:{f.line}"
        if f.marker.startswith("pytest-codeblocks:expected-output"):
            if f.lang in RUNNABLE:
                problems.append(f"{where}: expected-output marker above a {f.lang} block; it belongs above the "
                                "```text block that shows the output")
        elif f.marker.startswith("pytest-codeblocks:") and f.marker.split(":", 1)[1].strip() not in (
                "cont", "importorskip"):
            problems.append(f"{where}: marker '{f.marker}' is deprecated or unknown; use "
                            '<!--pytest.mark.skip(reason="...")--> or <!--pytest.mark.xfail(...)-->')
        elif f.marker.startswith("pytest.mark.") and f.lang not in RUNNABLE:
            problems.append(f"{where}: '{f.marker}' stands above a {f.lang or 'plain'} block, which does not "
                            "run; move it directly above the code block it is meant for")
        elif f.marker.startswith("pytest.mark.skip") and "reason=" not in f.marker:
            problems.append(f"{where}: a skipped block needs a visible reason: pytest.mark.skip(reason=...)")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_code_fences_are_includes(page):
    problems = fence_problems(page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_markers_attach_to_runnable_blocks(page):
    problems = marker_problems(page)
    assert not problems, "\n".join(problems)


def used_snippets():
    used = set()
    for page in PAGES:
        for target in includes(page):
            path = ROOT / target.split(":")[0]
            if path.suffix in (".py", ".sh"):
                used |= {p.resolve() for p in results.local_imports(path)}
    return used


def test_every_snippet_is_used_by_a_page():
    snippets = sorted(p.resolve() for p in (ROOT / "snippets").rglob("*") if p.suffix in (".py", ".sh"))
    used = used_snippets()
    unused = [rel(p) for p in snippets if p not in used]
    assert not unused, ("snippets that no page includes (include them from a page or delete them):\n  "
                        + "\n  ".join(unused))


def test_every_page_has_its_translation():
    missing = [f"{rel(p)} has no translation {rel(twin(p))}" for p in PAGES if twin(p) and not twin(p).exists()]
    unsuffixed = [rel(p) for p in PAGES if twin(p) is None]
    assert not missing and not unsuffixed, "\n".join(missing + [f"{u}: name pages <name>.zh.md / <name>.en.md"
                                                                for u in unsuffixed])


@pytest.mark.parametrize("text, expected", [
    ("```py\nprint(1)\n```\n", "silently skipped"),
    ("```python\nprint(1)\n```\n", "inline python code"),
    ('```python title="a.py"\n--8<-- "snippets/linreg_torch.py:code"\n```\n', "silently skipped"),
    ('```python\n--8<-- "docs/results/linreg_torch.out"\n```\n', "must come from snippets/"),
    ('<!--pytest.mark.skip(reason="x")-->\n\n```text\nx\n```\n', "does not run"),
    ('<!--pytest.mark.skip()-->\n\n```python\n--8<-- "snippets/linreg_torch.py:code"\n```\n', "visible reason"),
    ("<!--pytest-codeblocks:skip-->\n\n```python\n--8<-- \"snippets/linreg_torch.py:code\"\n```\n",
     "deprecated or unknown"),
])
def test_lint_rules_fail_on_the_mistakes_they_exist_for(tmp_path, text, expected):
    page = tmp_path / "bad.zh.md"
    page.write_text(text, encoding="utf-8")
    problems = fence_problems(page) + marker_problems(page)
    assert any(expected in p and "bad.zh.md:" in p for p in problems), problems
