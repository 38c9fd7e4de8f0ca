"""Each snippet also runs on its own, as a reader would run it: `python snippets/x.py`.

A snippet that only works inside the docs harness, or that raises when it is not meant
to, fails here with its full traceback. Outputs are compared with the results store. This is
the one run of each snippet per test run: a page block that shows exactly a job's code and
its stored output is not run again (conftest.py). The stored output came from an earlier,
independent run, so a fresh run that equals it also shows that two runs agree.

The selected snippets start together, as many at a time as the machine has cores: each waits
mostly on its own process (importing a framework takes seconds of one core), and every snippet
writes only into its own temporary folder. Each test then waits for its snippet's run.
"""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from pages import ROOT

from pvt.pipeline import results

pytestmark = pytest.mark.bench  # runs the frameworks in subprocesses
ENV = {**os.environ, **results.JOB_ENV}


def run_alone(snippet: str):
    """Run a snippet as a reader would, from another folder than the checkout: a snippet must
    not depend on the working directory."""
    path = ROOT / snippet
    argv = ["bash", str(path)] if path.suffix == ".sh" else [sys.executable, str(path)]
    return subprocess.run(argv, cwd=ROOT.parent, capture_output=True, text=True, env=ENV, timeout=600)


def stored(job):
    return (results.STORE / f"{job.name}.out").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def runs(request):
    """snippet -> the Future of its run, for every snippet whose test is selected."""
    selected = {item.callspec.params["job"].snippet for item in request.session.items
                if getattr(item, "module", None) is sys.modules[__name__] and hasattr(item, "callspec")}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        yield {snippet: pool.submit(run_alone, snippet) for snippet in sorted(selected)}


@pytest.mark.parametrize("job", [j for j in results.JOBS if j.kind == "stdout"], ids=lambda j: j.snippet)
def test_snippet_runs_alone_and_prints_the_stored_output(job, runs):
    proc = runs[job.snippet].result()
    assert proc.returncode == 0, f"{job.snippet} raised when run alone:\n{proc.stderr}"
    assert proc.stdout == stored(job), (
        f"{job.snippet} printed something else than docs/results/{job.name}.out; "
        f"run `make results` if the change is intended")


@pytest.mark.parametrize("job", [j for j in results.JOBS if j.kind == "error"], ids=lambda j: j.snippet)
def test_listing_as_printed_still_raises_the_shown_error(job, runs):
    proc = runs[job.snippet].result()
    assert proc.returncode != 0, f"{job.snippet} no longer fails: the page's correction must be revised"
    shown_error = stored(job).strip().splitlines()[-1]
    assert proc.stderr.strip().splitlines()[-1] == shown_error
