"""The GitHub Actions workflows are valid and do what CI promises: site.yml checks and never
regenerates; regenerate.yml reruns the results on a schedule and proposes them as a pull request."""

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pvt.common import ROOT

pytestmark = pytest.mark.fast  # `make test-fast`

WORKFLOWS = ROOT / ".github/workflows"
SITE, REGENERATE = WORKFLOWS / "site.yml", WORKFLOWS / "regenerate.yml"
REGENERATING = ("make results", "make notebooks", "make bench", "pvt/pipeline/results.py", "pvt/pipeline/notebooks.py",
                "pvt/bench")


def validate(path):
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert exe, "check-jsonschema is missing: install requirements.txt"
    return subprocess.run([exe, "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True, check=False)


def load(path):
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as True
    return workflow


def runs(job):
    return [step.get("run", "") for step in job["steps"]]


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_workflow_matches_the_github_schema(path):
    proc = validate(path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(SITE.read_text().replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest", 1))
    assert validate(broken).returncode != 0


def test_site_workflow_checks_tests_builds_and_never_regenerates():
    workflow = load(SITE)
    assert {"push", "pull_request"} <= set(workflow["on"]) and "schedule" not in workflow["on"]
    check = runs(workflow["jobs"]["check"])
    assert check.index("make check-results") < check.index("make test") < check.index("make build")
    every_run = [r for job in workflow["jobs"].values() for r in runs(job)]
    # a regenerated number would be published without ever having been committed
    assert not [r for r in every_run for word in REGENERATING if word in r]


def test_pages_are_built_with_the_pages_url_of_the_repository():
    jobs = load(SITE)["jobs"]
    steps = jobs["pages"]["steps"]
    ids = {s.get("id"): s for s in steps}
    assert ids["pages"]["uses"].startswith("actions/configure-pages@")
    build = next(s for s in steps if s.get("run") == "make build")
    assert build["env"]["SITE_URL"].startswith("${{ steps.pages.outputs.base_url }}")
    assert steps.index(ids["pages"]) < steps.index(build)
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact") for s in steps)
    assert jobs["pages"]["needs"] == "check" and jobs["deploy"]["needs"] == "pages"
    assert "SITE_URL" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_regeneration_is_scheduled_and_proposed_as_a_pull_request():
    workflow = load(REGENERATE)
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    (job,) = workflow["jobs"].values()
    commands = runs(job)
    assert "make results FORCE=1 && make notebooks FORCE=1" in commands and "make bench" in commands
    assert commands.index("make bench") < commands.index("make test")
    pr = [s for s in job["steps"] if s.get("uses", "").startswith("peter-evans/create-pull-request@")]
    assert pr and pr[0]["with"]["body-path"] and workflow["permissions"]["pull-requests"] == "write"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test    #" in readme  # the README's "Two commands" block
    lines = [line for line in (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    assert shlex.split(lines[-1]) == ["make", "test"], f".ci/run must end by running `make test`, not {lines[-1]!r}"
