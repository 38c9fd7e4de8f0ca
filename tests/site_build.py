"""The built site: `mkdocs build --strict`, once per test session (the `site` fixture)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pvt.common import ROOT


def mkdocs_build(project: Path, site: Path, env=None, strict=True):
    """`mkdocs build --strict` of `project` into `site`; returns the finished process."""
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else []), "-d", str(site)],
                          cwd=project, capture_output=True, text=True, timeout=600, env=env)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The whole site, built once per test session with `mkdocs build --strict`."""
    out = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(ROOT, out)
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    return out


@pytest.fixture
def project(tmp_path):
    """A copy of the sources that a test may break."""
    for name in ("mkdocs.yml", "package.json", "requirements.txt", "hooks", "scripts", "snippets", "overrides"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, tmp_path / name)
        elif src.exists():
            shutil.copy(src, tmp_path / name)
    shutil.copytree(ROOT / "docs", tmp_path / "docs", ignore=shutil.ignore_patterns("vendor"))
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")  # KaTeX, for the math hook
    return tmp_path
