"""Regenerate the results store (docs/results/) from the snippets.

Each job runs one snippet in a fresh process and stores what it produced:
  stdout  the printed output           -> docs/results/<job>.out
  error   the error it raises today    -> docs/results/<job>.out (the run must fail)
  data    the dict its results() gives -> docs/results/<job>.json and
                                          docs/results/machines/<fingerprint>/<job>.json
beside a <job>.meta.json with the input hash and the provenance. A job is rerun only
when its inputs (the snippet, the local modules it imports, the pinned versions)
changed; `--force` reruns everything. After the jobs, tables and plots are rendered
from the data. Files are replaced atomically: a failing job keeps its old result.

    python -m pvt.pipeline.results [--force] [--only JOB ...] [--check]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
import traceback

from pvt import common, provenance, render
from pvt.pipeline.jobs import JOB_ENV, JOBS, ROOT, SEED, STORE, Job, code_hash, input_hash, inputs, local_imports  # noqa: F401

write_atomic = common.write_atomic
TIMEOUT = 900  # seconds a job may run before it counts as failed (the longest takes about 3 minutes)


def read_meta(job: Job):
    path = STORE / f"{job.name}.meta.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def stale_reason(job: Job):
    """Why a job's stored result does not match its inputs, or None when it is fresh."""
    meta = read_meta(job)
    if meta is None:
        return f"{job.name}: no stored result"
    if meta["input_hash"] != input_hash(job):
        return f"{job.name}: {job.snippet} (or a module it imports, or a pinned version) changed"
    return None


def clean(text: str) -> str:
    """Remove this machine's paths from captured text (site-packages, the checkout)."""
    text = re.sub(r"\S*/site-packages/", ".../site-packages/", text)
    return text.replace(str(ROOT) + "/", "")


def run(job: Job):
    """Run one job in a fresh process; return the text to store, or raise RuntimeError."""
    path = ROOT / job.snippet
    if job.kind == "data":
        code = ("import contextlib, io, json, runpy, sys\n"
                "with contextlib.redirect_stdout(io.StringIO()):  # what the snippet prints when run alone\n"
                "    ns = runpy.run_path(sys.argv[1])\n"
                "print(json.dumps(ns['results'](), indent=1, sort_keys=True))")
        argv = [sys.executable, "-c", code, str(path)]
    elif path.suffix == ".sh":
        argv = ["bash", str(path)]
    else:
        argv = [sys.executable, str(path)]
    # a data job's snippet imports its neighbours as it does when run alone: its folder comes first
    env = {**os.environ, **JOB_ENV, **({"PYTHONPATH": str(path.parent)} if job.kind == "data" else {})}
    try:
        proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=env, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{job.snippet} ran longer than {TIMEOUT} s and was stopped") from None
    if job.kind == "error":
        if proc.returncode == 0:
            raise RuntimeError(f"{job.snippet} was expected to raise but ran cleanly")
        last = (proc.stderr.strip().splitlines() or [f"(exit {proc.returncode}, nothing on stderr)"])[-1]
        return clean(proc.stdout + "Traceback (most recent call last):\n  ...\n" + last + "\n")
    if proc.returncode != 0:
        raise RuntimeError(f"{job.snippet} failed (exit {proc.returncode}):\n{proc.stderr}")
    return proc.stdout


def store(job: Job, text: str, seconds: float, commit: str, digest: str):
    record = provenance.record(commit, seed=SEED, seconds=round(seconds, 2))
    if job.kind == "data":
        data = json.loads(text)
        write_atomic(STORE / "machines" / record["fingerprint"] / f"{job.name}.json",
                     json.dumps({"provenance": record, **data}, indent=1, sort_keys=True) + "\n")
        write_atomic(STORE / f"{job.name}.json", text)
    else:
        write_atomic(STORE / f"{job.name}.out", text)
    meta = {"job": job.name, "snippet": job.snippet, "kind": job.kind,
            "input_hash": digest, "provenance": record}
    write_atomic(STORE / f"{job.name}.meta.json", json.dumps(meta, indent=1, sort_keys=True) + "\n")


def cached_cli(doc, items, stale, produce, inputs, argv=None, noun="job", command="make results",
               after=None):
    """The command line of results.py and notebooks.py: --force, --only, --check, --allow-dirty.

    `produce(item, commit)` runs for each item whose `stale(item)` gives a reason, once its
    `inputs(item)` are known to be committed (the commit is recorded with the result); an
    exception keeps the item's previous files, is printed with its traceback, and makes the
    exit status 1.
    """
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--force", action="store_true", help=f"redo every {noun}, even if its inputs did not change")
    parser.add_argument("--only", nargs="+", metavar="NAME", help=f"only these {noun}s")
    parser.add_argument("--check", action="store_true", help=f"only report stale {noun}s; exit 1 if any")
    parser.add_argument("--allow-dirty", action="store_true",
                        help="write results although their inputs differ from HEAD (the pages say so)")
    args = parser.parse_args(argv)

    names = {item.name for item in items}
    unknown = set(args.only or []) - names
    if unknown:
        parser.error(f"unknown {noun}(s) {', '.join(sorted(unknown))}; {noun}s are: {', '.join(sorted(names))}")
    items = [item for item in items if not args.only or item.name in args.only]
    if args.check:
        reasons = [r for r in map(stale, items) if r]
        print("\n".join(reasons) or f"all {noun}s are fresh")
        return 1 if reasons else 0

    try:
        failed = _produce_all(items, args, stale, produce, inputs)
        for line in (after() if after else []):
            print(line)
    except KeyboardInterrupt:
        print(f"\ninterrupted; previous {noun} files kept", file=sys.stderr)
        return 130
    if failed:
        print(f"failed: {', '.join(failed)} (see the tracebacks above); fix the snippet and run "
              f"`{command}` again", file=sys.stderr)
        return 1
    return 0


def _produce_all(items, args, stale, produce, inputs):
    """Produce every stale item; return the names of those that failed. An interrupt passes
    through: every file is written atomically, so what was not finished keeps its old version."""
    failed = []
    for i, item in enumerate(items, 1):
        prefix = f"[{i}/{len(items)}] {item.name:<20}"
        if not args.force and stale(item) is None:
            print(f"{prefix} cached")
            continue
        try:
            commit = provenance.commit_for(inputs(item), allow_dirty=args.allow_dirty)
        except provenance.DirtyInputs as exc:
            failed.append(item.name)
            print(f"{prefix} REFUSED: {exc}", file=sys.stderr)
            continue
        print(f"{prefix} running {item.snippet} ...", flush=True)
        start = time.perf_counter()
        try:
            produce(item, commit)
        except Exception:  # noqa: BLE001 (reported with its traceback; the other jobs still run)
            failed.append(item.name)
            print(f"{prefix} FAILED; the previous files are kept\n{traceback.format_exc()}", file=sys.stderr)
            continue
        print(f"{prefix} done in {time.perf_counter() - start:.1f} s", flush=True)
    return failed


def produce(job: Job, commit: str):
    digest = input_hash(job)  # before the run: a snippet edited meanwhile must not count as fresh
    start = time.perf_counter()
    text = run(job)
    store(job, text, time.perf_counter() - start, commit, digest)


def main(argv=None):
    return cached_cli(__doc__, JOBS, stale_reason, produce, inputs, argv,
                      after=lambda: render.render_all(STORE))


if __name__ == "__main__":
    sys.exit(main())
