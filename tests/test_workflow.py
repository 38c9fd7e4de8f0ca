"""The GitHub Actions workflow that publishes the site is valid and does what CI promises."""

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github/workflows/site.yml"


def validate(path):
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert exe, "check-jsonschema is missing: install requirements.txt"
    return subprocess.run([exe, "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True)


def test_workflow_matches_the_github_schema():
    proc = validate(WORKFLOW)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest", 1))
    assert validate(broken).returncode != 0


def test_workflow_checks_results_tests_and_publishes_without_regenerating():
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert runs.index("make check-results") < runs.index("make test") < runs.index("make build")
    # a regenerated number would be published without ever having been committed
    assert not [r for r in runs if "make results" in r or "make bench" in r or "make notebooks" in r]
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact") for s in steps)


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in (ROOT / ".ci/run").read_text(encoding="utf-8")
