"""The built site: `mkdocs build --strict`, once per test session (the `site` fixture)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pvt.common import ROOT


# What a build may not import: the frameworks, and anything that runs or measures (the
# benchmark's driver and workers, the results runner). The store and the verdict rule are fine.
BUILD_MUST_NOT_IMPORT = ("torch", "tensorflow", "keras", "pvt.bench.runner", "pvt.bench.workers",
                         "pvt.bench.timing", "pvt.pipeline.results", "pvt.pipeline.notebooks")
IMPORT_BLOCKER = """
import runpy, sys
blocked, record = {blocked!r}, open({record!r}, "w")
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if any(name == b or name.startswith(b + ".") for b in blocked):
            print(name, file=record, flush=True)
            raise ImportError("the site build imported " + name)
sys.meta_path.insert(0, Blocker())
sys.argv = ["mkdocs", *sys.argv[1:]]
runpy.run_module("mkdocs", run_name="__main__")
"""


def mkdocs_build(project: Path, site: Path, env=None, strict=True, blocked_record=None):
    """`mkdocs build --strict` of `project` into `site`; returns the finished process. With
    `blocked_record`, imports of BUILD_MUST_NOT_IMPORT fail and are listed in that file."""
    python = [sys.executable, "-m", "mkdocs"]
    if blocked_record:
        code = IMPORT_BLOCKER.format(blocked=BUILD_MUST_NOT_IMPORT, record=str(blocked_record))
        python = [sys.executable, "-c", code]
    return subprocess.run([*python, "build", *(["--strict"] if strict else []), "-d", str(site)],
                          cwd=project, capture_output=True, text=True, timeout=600, env=env)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The whole site, built once per test session with `mkdocs build --strict`, under the
    import blocker (tests/test_site.py reads what it refused)."""
    out = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(ROOT, out, blocked_record=out.parent / "blocked-imports.txt")
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    return out


@pytest.fixture
def project(tmp_path):
    """A copy of the sources that a test may break. `python -m mkdocs` in the copy imports the
    copy's pvt (the working directory comes first on sys.path), so a changed snippet is seen."""
    for name in ("mkdocs.yml", "package.json", "requirements.txt", "hooks", "pvt", "snippets", "overrides"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, tmp_path / name)
        elif src.exists():
            shutil.copy(src, tmp_path / name)
    shutil.copytree(ROOT / "docs", tmp_path / "docs", ignore=shutil.ignore_patterns("vendor"))
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")  # Temml, for the math hook
    return tmp_path


# A page pair with one of each thing a build checks: an included snippet and its stored output,
# a glued number, a formula, a link and an anchor to the other page.
TRIMMED_PAGE = """# {title}

[{other}](other.md#api)

```python
--8<-- "snippets/mse_gradient.py:code"
```

<!--pytest-codeblocks:expected-output-->

```text
--8<-- "docs/results/mse_gradient.out"
```

{glue} {{{{ glue linreg_torch.meta/provenance/versions/torch }}}}; $x \\in \\mathbb{{R}}^d$.
"""
TRIMMED_OTHER = "# {title}\n\n## API\n\n[{back}](index.md)\n"
TRIMMED_PROVENANCE = "# {title}\n\n{{{{ results_index }}}}\n"
TRIMMED_WORDS = {"zh": dict(title="首页", other="另一页", glue="PyTorch 版本", back="返回"),
                 "en": dict(title="Home", other="Other page", glue="PyTorch version", back="Back")}


@pytest.fixture
def trimmed(project):
    """The project cut to one page pair (and the provenance page glued numbers link to) without
    notebooks: a build takes seconds, not half a minute, and still runs every hook (includes,
    glue, formulas, translations, links)."""
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    nav = "nav:\n  - index.md\n  - other.md\n  - provenance.md\n"
    config = re.sub(r"^nav:\n(?:[ \t]+.*\n)+", nav, config, count=1, flags=re.M)
    config = re.sub(r"^  # Notebooks are generated[^\n]*\n(?:  #[^\n]*\n)*  - mkdocs-jupyter:\n(?:      [^\n]*\n)+", "",
                    config, count=1, flags=re.M)
    assert "mkdocs-jupyter" not in config and "practice.md" not in config and "markdown_extensions" in config, (
        "mkdocs.yml changed: update the `trimmed` fixture")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    for page in (project / "docs").glob("**/*.md"):
        if "results" not in page.relative_to(project / "docs").parts:
            page.unlink()
    shutil.rmtree(project / "docs" / "notebooks")
    for lang, words in TRIMMED_WORDS.items():
        (project / f"docs/index.{lang}.md").write_text(TRIMMED_PAGE.format(**words), encoding="utf-8")
        (project / f"docs/other.{lang}.md").write_text(TRIMMED_OTHER.format(**words), encoding="utf-8")
        # glued numbers link to the results index
        (project / f"docs/provenance.{lang}.md").write_text(TRIMMED_PROVENANCE.format(**words), encoding="utf-8")
    return project
