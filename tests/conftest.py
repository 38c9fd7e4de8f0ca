import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def mkdocs_build(project: Path, site: Path):
    """`mkdocs build --strict` of `project` into `site`; returns the finished process."""
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                          cwd=project, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The whole site, built once per test session with `mkdocs build --strict`."""
    out = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(ROOT, out)
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    return out


# The served site and the one shared Chromium, for every test file that needs them.
from site_fixture import browser, site_url  # noqa: E402,F401
