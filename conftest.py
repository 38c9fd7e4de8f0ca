"""Collect the code blocks of every page (docs/**/*.md) as tests.

Each page is expanded with pymdownx.snippets, configured exactly as mkdocs.yml
configures it, and the expanded text is handed to pytest-codeblocks. So a test runs
what the reader sees: the included snippet section and the included output file.
Blocks that appear identically in both languages run once.
"""

import difflib
import io
import os
import re
import sys
from pathlib import Path

import pytest

from pvt.pipeline import jobs
from pvt.common import ROOT, expand_snippets

pytest_plugins = ["site_build", "site_fixture"]  # the built site, its server and the browser
RUNNABLE = {"python", "sh", "bash"}
INCLUDE = re.compile(r'-{1,}8<-{1,}\s+"([^"]+)"')
# A block that shows exactly a job's code section and that job's stored output: tests/test_snippets.py
# runs the snippet and compares, so the block need not run a second time.
RUN_BY_JOB = {(f"{j.snippet}:code", f"docs/results/{j.name}.out") for j in jobs.JOBS if j.kind == "stdout"}

# Shell blocks run `python`: make it this interpreter, as `make test` does not activate the venv.
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def expand(page: Path) -> str:
    """The page's Markdown with every `--8<--` include replaced by the file it names."""
    return expand_snippets(page.read_text(encoding="utf-8"))


_seen = {}  # (syntax, code, expected output) -> node id of the first test that runs it


def _ref(text):
    """The first include target in a block of raw page text, e.g. 'snippets/x.py:code'."""
    match = INCLUDE.search(text or "")
    return match.group(1) if match else "an inline block"


class PageBlock:
    """Mixin for pytest-codeblocks' TestBlock: failures name the page, the snippet and a diff."""

    def runtest(self):
        try:
            super().runtest()
        except RuntimeError as error:
            message = error.args[0]
            if self.obj.expected_output is not None and "but got\n```\n" in message:
                got = message.split("but got\n```\n", 1)[1].removesuffix("```")
                diff = difflib.unified_diff(self.obj.expected_output.splitlines(), got.splitlines(),
                                            f"{self.output_ref} (shown on the page)",
                                            f"{self.code_ref} (fresh run)", lineterm="")
                message = (f"{self.path.relative_to(ROOT)}: the output of {self.code_ref} differs from "
                           f"what the page shows.\n" + "\n".join(diff) +
                           "\nIf the change is intended, regenerate the results with `make results`.")
            else:
                message = f"{self.path.relative_to(ROOT)}: {self.code_ref} failed.\n{message}"
            raise RuntimeError(message) from None


class PageFile(pytest.File):
    def collect(self):
        from pytest_codeblocks import extract_from_buffer
        from pytest_codeblocks.plugin import TestBlock

        item_class = type("PageTestBlock", (PageBlock, TestBlock), {})
        raw_text = self.path.read_text(encoding="utf-8")
        expanded = extract_from_buffer(io.StringIO(expand(self.path)))
        raw = extract_from_buffer(io.StringIO(raw_text))
        if len(raw) != len(expanded):  # an included file brought its own code fences
            raise pytest.UsageError(f"{self.path}: an included file contains a code fence; "
                                    "use a fence of four backticks around it")
        for block, source in zip(expanded, raw, strict=True):
            if block.syntax not in RUNNABLE:
                continue
            if block.expected_output is not None:
                block.expected_output = block.expected_output.rstrip("\n") + "\n"
            item = item_class.from_parent(self, name=f"{_ref(source.code)} @ line {block.lineno}")
            item.obj = block
            item.code_ref, item.output_ref = _ref(source.code), _ref(source.expected_output)
            item.add_marker(pytest.mark.bench)  # the blocks run torch and TensorFlow
            if (item.code_ref, item.output_ref) in RUN_BY_JOB:
                item.add_marker(pytest.mark.skip(reason=f"tests/test_snippets.py runs {item.code_ref} and "
                                                        f"compares its output with {item.output_ref}"))
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
