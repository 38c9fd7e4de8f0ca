"""Collect the code blocks of every page (docs/**/*.md) as tests.

Each page is expanded with pymdownx.snippets, configured exactly as mkdocs.yml
configures it, and the expanded text is handed to pytest-codeblocks. So a test runs
what the reader sees: the included snippet section and the included output file.
Blocks that appear identically in both languages run once.
"""

import difflib
import functools
import io
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
RUNNABLE = {"python", "sh", "bash"}


@functools.lru_cache(maxsize=None)
def snippets_config():
    from mkdocs.config import load_config

    return load_config(str(ROOT / "mkdocs.yml"))["mdx_configs"]["pymdownx.snippets"]


def expand(page: Path) -> str:
    """The page's Markdown with every `--8<--` include replaced by the file it names."""
    import markdown

    md = markdown.Markdown(extensions=["pymdownx.snippets"],
                           extension_configs={"pymdownx.snippets": snippets_config()})
    raw = page.read_text(encoding="utf-8")
    return "\n".join(md.preprocessors["snippet"].run(raw.split("\n")))


_seen = {}  # (syntax, code, expected output) -> node id of the first test that runs it


class PageFile(pytest.File):
    def collect(self):
        from pytest_codeblocks import extract_from_buffer
        from pytest_codeblocks.plugin import TestBlock

        for block in extract_from_buffer(io.StringIO(expand(self.path))):
            if block.syntax not in RUNNABLE:
                continue
            if block.expected_output is not None:
                block.expected_output = block.expected_output.rstrip("\n") + "\n"
            item = TestBlock.from_parent(self, name=f"line {block.lineno}")
            item.obj = block
            for mark in block.marks:
                item.add_marker(eval(mark, {"sys": sys, "pytest": pytest}))
            key = (block.syntax, block.code, block.expected_output)
            if key in _seen:
                item.add_marker(pytest.mark.skip(reason=f"same block as {_seen[key]}"))
            else:
                _seen[key] = item.nodeid
            yield item


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".md" and (ROOT / "docs") in file_path.parents \
            and "results" not in file_path.relative_to(ROOT / "docs").parts:
        return PageFile.from_parent(parent, path=file_path)


def pytest_runtest_makereport(item, call):
    """Replace pytest-codeblocks' bare 'expected X, got Y' with a unified diff naming the snippet."""
    from pytest_codeblocks.plugin import TestBlock

    if not isinstance(item, TestBlock) or call.excinfo is None:
        return


def pytest_assertrepr_compare(op, left, right):
    if op == "==" and isinstance(left, str) and isinstance(right, str) and "\n" in left + right:
        diff = difflib.unified_diff(right.splitlines(), left.splitlines(),
                                    "shown on the page", "printed by a fresh run", lineterm="")
        return ["the page's output block differs from a fresh run:", *diff]
