"""The built site: `mkdocs build --strict`, once per test session (the `site` fixture)."""

import subprocess
import sys
from pathlib import Path

import pytest

from common import ROOT


def mkdocs_build(project: Path, site: Path, env=None):
    """`mkdocs build --strict` of `project` into `site`; returns the finished process."""
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                          cwd=project, capture_output=True, text=True, timeout=600, env=env)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The whole site, built once per test session with `mkdocs build --strict`."""
    out = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(ROOT, out)
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    return out
