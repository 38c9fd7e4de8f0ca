"""The results store as the site sees it: for each result, the file, what produced it, where and
when, and whether its inputs still match. Used by hooks/glue.py at build time, so it reads files
and hashes them (jobs.input_hash, bench.inputs.input_hash) and imports neither torch nor TensorFlow,
nor the benchmark's driver.

A result is named as glue names it: a job (`linreg_study`, also `linreg_torch.meta`), the
benchmark (`bench`, `machines/<fingerprint>/bench`) or a machine's copy of a job's data
(`machines/<fingerprint>/linreg_study`). Tables and plots are rendered from one of them.
"""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from pvt.bench import inputs as bench_inputs
from pvt.common import ROOT
from pvt.pipeline import jobs

STORE = ROOT / "docs" / "results"
JOBS = {job.name: job for job in jobs.JOBS}
RENDERED_FROM = {"linreg": "linreg_study", "bench": "bench", "page": "page_weight"}  # tables/<x>_*, plots/<x>_*
# Results that no input hash ties to code: measurements of the built site, and stored renderings.
REPORTS = {"page_weight": "pvt/site/page_weight.py", "diagrams": "pvt/site/diagrams.py"}


@dataclass
class Result:
    name: str  # as glue names it, without ".meta"
    files: list  # paths relative to docs/results
    producer: str | None  # the snippet, or the benchmark package; None if unknown
    record: dict  # provenance: cpu, threads, versions, commit, date, seconds (jobs)
    stale: str | None  # why the stored result no longer matches its inputs, or None

    @property
    def anchor(self) -> str:
        return self.name.replace("/", "-").replace("_", "-")


def _read(path: Path):
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _files(name: str, root: Path):
    return [p.relative_to(root).as_posix() for p in sorted(root.glob(f"{name}.*"))
            + sorted(root.glob(f"machines/*/{name}.json"))]


@functools.lru_cache(maxsize=None)
def _job_result(name: str, root: Path) -> Result:
    job, meta = JOBS[name], _read(root / f"{name}.meta.json")
    if meta is None:
        stale = f"{name}: no stored result"
    elif meta["input_hash"] != jobs.input_hash(job):
        stale = f"{name}: {job.snippet} (or a module it imports, or a locked version) changed"
    else:
        stale = None
    return Result(name, _files(name, root), job.snippet, meta["provenance"] if meta else {}, stale)


@functools.lru_cache(maxsize=None)
def _bench_result(name: str, root: Path) -> Result:
    doc = _read(root / f"{name}.json")
    return Result(name, [f"{name}.json"], "pvt/bench", doc.get("provenance", {}),
                  bench_inputs.stale_reason(doc, f"docs/results/{name}.json") if "provenance" in doc else None)


@functools.lru_cache(maxsize=None)
def result(name: str, root: Path = STORE) -> Result:
    """The result glue reads as `name` (<root>/<name>.json). A file no job or benchmark run
    produced gets no producer and an empty record, which the site's tests reject."""
    name = name.removesuffix(".meta")
    base = name.rsplit("/", 1)[-1]
    if name in JOBS or (name.startswith("machines/") and base in JOBS):
        return _job_result(base, root)
    if base == "bench" and (root / f"{name}.json").exists():
        return _bench_result(name, root)
    if name in REPORTS:
        meta = (_read(root / f"{name}.json") or {}).get("meta", {})
        files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                       if p.is_file() and name_of_file(p.relative_to(root).as_posix()) == name)
        return Result(name, files, REPORTS[name], meta, None)
    embedded = (_read(root / f"{name}.meta.json") or _read(root / f"{name}.json") or {})
    record = embedded.get("provenance", {}) if isinstance(embedded, dict) else {}
    return Result(name, _files(name, root), None, record, None)


def forget() -> None:
    """Read the store afresh: a build calls this once before its pages (`mkdocs serve` rebuilds
    after a result changed); within one build each result is read and hashed once."""
    result.cache_clear()
    _bench_result.cache_clear()
    _job_result.cache_clear()


def all_results(root: Path = STORE) -> list:
    """Every result in the store, jobs first, then each machine's benchmark run."""
    found = [_job_result(name, root) for name in JOBS]
    found += [_bench_result(p.relative_to(root).with_suffix("").as_posix(), root)
              for p in [root / "bench.json", *sorted(root.glob("machines/*/bench.json"))] if p.exists()]
    return found + [result(name, root) for name in REPORTS if result(name, root).files]


def rendered_from(path: str) -> str | None:
    """The result a table or plot (a path relative to docs/results) is rendered from."""
    folder, _, file = path.partition("/")
    if folder in ("tables", "plots"):
        return RENDERED_FROM.get(file.split("_", 1)[0])
    return None


def every_file(root: Path = STORE) -> list:
    """Every file in the store, relative to docs/results."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def path_of(include: str) -> str | None:
    """docs/results/x.out -> x.out; None for a path outside the store."""
    prefix = "docs/results/"
    return include[len(prefix):] if include.startswith(prefix) else None


def name_of_file(path: str) -> str | None:
    """The result a store file belongs to (x.out, x.meta.json -> x; tables/linreg_y.md -> linreg_study)."""
    if rendered_from(path):
        return rendered_from(path)
    if path.startswith("diagrams/"):
        return "diagrams"
    stem = Path(path).name.split(".", 1)[0]
    if stem in REPORTS:
        return stem
    if path.startswith("machines/"):
        return path.rsplit(".", 1)[0] if stem == "bench" else stem
    return stem if stem in JOBS or stem == "bench" else None
