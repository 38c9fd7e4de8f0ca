"""Published results are fresh and name the commit whose inputs were measured."""

import json
import re
import shutil
import subprocess
import sys

import pytest
from pages import DOCS, ROOT

from pvt import provenance
from pvt.bench import inputs, verdict

pytestmark = pytest.mark.fast  # `make test-fast`

STORE = DOCS / "results"
BENCH_FILES = [STORE / "bench.json", *sorted(STORE.glob("machines/*/bench.json"))]


@pytest.mark.parametrize("path", BENCH_FILES, ids=lambda p: p.relative_to(STORE).as_posix())
def test_bench_results_are_fresh(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert inputs.stale_reason(doc, path.relative_to(ROOT).as_posix()) is None


def test_the_cpu_results_are_measured_with_the_installed_versions():
    doc = json.loads((STORE / "bench.json").read_text(encoding="utf-8"))
    assert doc["provenance"]["versions"] == provenance.versions(), "run `make bench`"


def test_editing_a_workload_makes_the_bench_results_stale(tmp_path):
    for rel in inputs.INPUTS.values():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    versions = provenance.versions()
    doc = {"provenance": {"versions": versions}, "input_hash": inputs.input_hash(versions, tmp_path)}
    assert inputs.stale_reason(doc, "bench.json", tmp_path) is None
    with (tmp_path / "snippets/bench_workloads.py").open("a") as f:
        f.write("LR = 0.02\n")
    reason = inputs.stale_reason(doc, "bench.json", tmp_path)
    assert reason and "make bench" in reason and "snippets/bench_workloads.py" in reason


def test_moving_an_input_keeps_the_bench_results_fresh(tmp_path, monkeypatch):
    """Inputs are hashed by content under logical names: a rename needs no 20-minute rerun."""
    moved = {name: f"elsewhere/{i}.py" for i, name in enumerate(inputs.INPUTS)}
    for name, rel in inputs.INPUTS.items():
        (tmp_path / moved[name]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / moved[name])
    versions = provenance.versions()
    doc = {"provenance": {"versions": versions}, "input_hash": inputs.input_hash(versions)}
    monkeypatch.setattr(inputs, "INPUTS", moved)
    assert inputs.stale_reason(doc, "bench.json", tmp_path) is None


def commits_of_published_results():
    for path in sorted(STORE.glob("*.meta.json")) + sorted((DOCS / "notebooks").glob("*.meta.json")):
        yield path, json.loads(path.read_text(encoding="utf-8"))["provenance"]["commit"]
    for path in BENCH_FILES:
        yield path, json.loads(path.read_text(encoding="utf-8"))["provenance"]["commit"]


def test_published_results_name_a_commit_of_this_history():
    """The commit must be reachable from HEAD: an amended or rebased-away commit may still be
    in this clone's object store, but not in the clean checkout that CI and readers get."""
    if subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True).returncode:
        pytest.skip("not a git checkout: commits cannot be looked up")
    if git(ROOT, "rev-parse", "--is-shallow-repository") == "true":
        pytest.skip("a shallow clone: the history that holds the commits is not here")
    bad = []
    for path, commit in commits_of_published_results():
        real = re.fullmatch(r"[0-9a-f]{7,40}", commit) and subprocess.run(
            ["git", "merge-base", "--is-ancestor", commit, "HEAD"], cwd=ROOT, capture_output=True).returncode == 0
        if not real:
            bad.append(f"{path.relative_to(ROOT)}: {commit}")
    assert not bad, ("results that name no commit in this branch's history (regenerate them after "
                     "committing their inputs, and do not amend or rebase that commit away):\n" + "\n".join(bad))


def git(repo, *args):
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                          cwd=repo, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def checkout(tmp_path):
    """A git checkout holding this project's package and snippets, all committed."""
    for folder in ("pvt", "snippets"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "inputs")
    return tmp_path


def test_commit_for_names_head_only_while_the_inputs_are_committed(checkout, tmp_path_factory):
    head = git(checkout, "rev-parse", "--short=12", "HEAD")
    inputs = ["snippets/bench_workloads.py"]
    assert provenance.commit_for(inputs, root=checkout) == head
    (checkout / "snippets/unrelated.txt").write_text("not an input\n")
    assert provenance.commit_for(inputs, root=checkout) == head
    with (checkout / inputs[0]).open("a") as f:
        f.write("# edited\n")
    with pytest.raises(provenance.DirtyInputs, match=r"snippets/bench_workloads\.py.*--allow-dirty"):
        provenance.commit_for(inputs, root=checkout)
    assert provenance.commit_for(inputs, allow_dirty=True, root=checkout) == head + "-dirty"
    (checkout / "snippets/new.py").write_text("print(1)\n")
    with pytest.raises(provenance.DirtyInputs, match="new.py"):
        provenance.commit_for(["snippets/new.py"], root=checkout)
    assert provenance.commit_for(inputs, given="abc123", root=checkout) == "abc123"
    bare = tmp_path_factory.mktemp("no-git")  # a copy without history, as on a lent GPU machine
    with pytest.raises(provenance.DirtyInputs, match="--commit SHA"):
        provenance.commit_for(inputs, root=bare)
    assert provenance.commit_for(inputs, allow_dirty=True, root=bare) == "unknown-dirty"


def test_bench_and_results_refuse_to_publish_from_changed_inputs(checkout):
    with (checkout / "snippets/bench_workloads.py").open("a") as f:
        f.write("# edited\n")
    with (checkout / "snippets/forward_pass.py").open("a") as f:
        f.write("# edited\n")
    def bench(*args):
        return subprocess.run([sys.executable, "-m", "pvt.bench", *args], cwd=checkout,  # the checkout's pvt
                              capture_output=True, text=True, timeout=120)
    # both refusals come before any worker starts
    dirty = bench("--rounds", "5")
    assert dirty.returncode == 2, dirty.stderr
    assert "snippets/bench_workloads.py" in dirty.stderr and "--allow-dirty" in dirty.stderr
    few = bench("--rounds", "1", "--allow-dirty")
    assert few.returncode == 2 and f"needs at least {verdict.MIN_ROUNDS} rounds" in few.stderr, few.stderr
    results = subprocess.run([sys.executable, "-m", "pvt.pipeline.results", "--only", "forward_pass", "--force"],
                             cwd=checkout, capture_output=True, text=True, timeout=120)
    assert results.returncode == 1 and "REFUSED" in results.stderr and "forward_pass.py" in results.stderr
    assert not (checkout / "docs").exists()  # nothing was written
