"""The driver: start one worker per configuration, run the rounds, assemble, write.

Method, in short (the benchmark page explains it at length):

* every configuration runs in its own long-lived process, with the same thread settings
  for both frameworks (intra-op threads = the cores this process may use, inter-op 1,
  OMP/MKL/OPENBLAS_NUM_THREADS the same); the workers start one after the other, and each
  times its first calls and calibrates its blocks while the others wait;
* a round then visits every task; for each task it times `blocks` blocks of every
  configuration, interleaved block by block, in an order that rotates from round to round
  and runs backwards on every other pass (A B C, C B A, A B C: a slow drift of the
  machine's speed then weighs on every configuration alike); so the ratio of two
  configurations is taken per round, from blocks timed side by side (a block of half a
  second or more is timed once a round);
* each framework's float32 GEMM ceiling (torch, TensorFlow, NumPy) is a task of the same
  rounds; FLOPs per step are counted by torch.utils.flop_counter.FlopCounterMode;
* once a round, right after one of this harness's blocks of the PyTorch eager MLP training
  step, torch.utils.benchmark times the same step, so the two tools' ratio is paired too.

`python scripts/bench --help` lists the options. `--quick` checks that everything runs and
writes only to a scratch folder.
"""

import argparse
import hashlib
import json
import os
import resource
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import configs, verdict
from bench.timing import SLOW_BLOCK_S, quantiles

SCRIPTS = Path(__file__).resolve().parent.parent
ROOT = SCRIPTS.parent
RESULTS = ROOT / "docs" / "results"
SCRATCH = ROOT / ".cache"
sys.path[:0] = [str(SCRIPTS), str(ROOT / "snippets")]

import provenance  # noqa: E402

# What a measurement depends on: the harness and the workloads (and the versions recorded
# with it). The report and the verdict rule only read the data, so they are not inputs.
INPUTS = ["scripts/bench/configs.py", "scripts/bench/timing.py", "scripts/bench/workers.py",
          "scripts/bench/runner.py", "snippets/bench_workloads.py", "snippets/input_pipeline.py"]
MODES = {
    # target_s: shortest timed block; warmup_s: untimed calls before calibrating;
    # blocks: timed blocks per task, configuration and round, interleaved across the
    # configurations; fit_batches: batches per Keras
    # fit/predict call (an epoch), a multiple of STEPS_PER_EXECUTION
    "full": dict(target_s=0.05, warmup_s=0.2, blocks=5, rounds=10, crosscheck_s=0.2,
                 fit_batches=50, timeout_s=1500),
    "quick": dict(target_s=0.002, warmup_s=0.0, blocks=2, rounds=2, crosscheck_s=0.01,
                  fit_batches=10, timeout_s=900),
}


class BenchError(Exception):
    pass


def input_hash(versions, root=ROOT):
    digest = hashlib.sha256()
    for rel in INPUTS:
        digest.update(rel.encode())
        digest.update((root / rel).read_bytes())
    digest.update(json.dumps(versions, sort_keys=True).encode())
    return digest.hexdigest()


def stale_reason(doc, where, root=ROOT):
    """Why a stored bench.json no longer matches the harness and workloads (None if fresh).
    Hashed with the versions it recorded: a GPU machine's are not the ones installed here."""
    if doc.get("input_hash") != input_hash(doc["provenance"]["versions"], root):
        return (f"{where}: the harness or the workloads ({', '.join(INPUTS)}) changed since it "
                "was measured; commit them and run `make bench`")
    return None


# ----------------------------------------------------------------------------- workers

def child_env(threads, cache_dir):
    env = dict(os.environ)  # OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE pass through untouched
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = str(threads)
    env.update(PYTHONHASHSEED="0", TORCHINDUCTOR_CACHE_DIR=str(cache_dir), TF_CPP_MIN_LOG_LEVEL="2")
    return env


class Process:
    """A worker process and its request/answer pipe."""

    def __init__(self, config, device, settings, env, log_dir):
        self.config, self.timeout_s = config, settings["timeout_s"]
        self.log = Path(log_dir) / f"{config}.log"
        with self.log.open("w") as stderr:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(
                [sys.executable, str(SCRIPTS / "bench"), "--worker", config, "--device", device,
                 "--settings", json.dumps(settings)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)

    def read(self):
        ready, _, _ = select.select([self.proc.stdout], [], [], self.timeout_s)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            why = "timed out" if not ready else f"exited with status {self.proc.poll()}"
            tail = [ln for ln in self.log.read_text(errors="replace").splitlines() if ln.strip()]
            self.close()
            raise BenchError(f"worker {self.config} {why}: {(tail or ['no output'])[-1][:300]}")
        return json.loads(line)

    def ask(self, request):
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return self.read()

    def cpu_s(self):
        """CPU seconds this worker used so far (all its threads)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return None

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write('{"op": "exit"}\n')
                self.proc.stdin.flush()
                self.proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()


def machine_busy_s():
    """CPU seconds spent so far by everything on this machine, and stolen from it by the
    hypervisor (a virtual machine's cores shared with other guests); (None, None) if unknown."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
        tick = os.sysconf("SC_CLK_TCK")
        return (user + nice + system + irq + softirq) / tick, steal / tick
    except (OSError, ValueError, IndexError):
        return None, None


def own_cpu_s(procs):
    ru = resource.getrusage(resource.RUSAGE_SELF)
    workers = [p.cpu_s() for p in procs]
    return None if None in workers else ru.ru_utime + ru.ru_stime + sum(workers)


# ----------------------------------------------------------------------------- rounds

def run_rounds(procs, ready, s, say):
    """Every round: each task; for it, `blocks` passes over its configurations, one block
    each, in rotated order, every other pass backwards."""
    names = list(procs)
    keys = [k for k in configs.task_keys(s["workloads"]) + [f"ceiling/{lib}" for lib in configs.CEILINGS]
            if any(k in ready[c]["tasks"] for c in names)]
    samples = {k: {c: [] for c in names if k in ready[c]["tasks"]} for k in keys}
    crosscheck, loads, steals = [], [], []
    for r in range(s["rounds"]):
        start, (busy0, steal0), ours0 = time.perf_counter(), machine_busy_s(), own_cpu_s(procs.values())
        rotated = names[r % len(names):] + names[:r % len(names)]
        for key in keys:
            for c in samples[key]:
                samples[key][c].append([])
            for rep in range(s["blocks"]):
                for c in rotated if rep % 2 == 0 else rotated[::-1]:
                    if c not in samples[key] or (rep and ready[c]["block_s"][key] >= SLOW_BLOCK_S):
                        continue  # a block of half a second or more is timed once a round
                    check = rep == 0 and (c, key) == ("torch_eager", "mlp/train")
                    answer = procs[c].ask({"op": "turn", "task": key, "crosscheck": check})
                    if answer["op"] != "turn":
                        raise BenchError(f"{c} {key} in round {r + 1}: {answer['error']}")
                    samples[key][c][-1].append(answer["sample_ms"])
                    if "crosscheck" in answer:
                        crosscheck.append(answer["crosscheck"])
        wall = time.perf_counter() - start
        (busy1, steal1), ours1 = machine_busy_s(), own_cpu_s(procs.values())
        load = None if None in (busy0, busy1, ours0, ours1) else max(
            0.0, (busy1 - busy0) - (ours1 - ours0)) / wall
        steal = None if None in (steal0, steal1) else (steal1 - steal0) / wall
        loads.append(load)
        steals.append(steal)
        say(f"[round {r + 1}/{s['rounds']}] {wall:5.1f} s"
            + (f", other processes' load {load:.2f} cores" if load is not None else "")
            + (f", stolen by the hypervisor {steal:.2f} cores" if steal is not None else ""))
    return samples, crosscheck, loads, steals


def summarize(per_round):
    pooled = [t for rnd in per_round for t in rnd]
    p25, med, p75 = quantiles(pooled)
    rounds = [statistics.median(rnd) for rnd in per_round]
    return {"median_ms": med, "p25_ms": p25, "p75_ms": p75, "blocks": len(pooled),
            "round_medians_ms": rounds,
            "round_spread_pct": (max(rounds) - min(rounds)) / med * 100 if len(rounds) > 1 else None}


def assemble(device, ready, samples, crosscheck):
    flops = next((r["flops"] for r in ready.values() if r["flops"]), {})
    ceilings = {}
    for key, by_config in samples.items():
        if key.startswith("ceiling/"):
            (config, per_round), = by_config.items()
            n_flops = ready[config]["ceiling_flops"]
            gflops = [[n_flops / (t / 1e3) / 1e9 for t in rnd] for rnd in per_round]
            p25, med, p75 = quantiles([g for rnd in gflops for g in rnd])
            ceilings[key.split("/")[1]] = {
                "gflops_median": med, "gflops_p25": p25, "gflops_p75": p75,
                "round_medians": [statistics.median(rnd) for rnd in gflops],
                "n": configs.CEILING_N[device], "measured_by": config}
    results = []
    for key in configs.task_keys({w: () for w in configs.TASKS}):
        workload, task = key.split("/")
        for config in ready:
            row = {"workload": workload, "task": task, "config": config, "device": device}
            error = ready[config]["errors"].get(workload)
            if error:
                row.update(error=error["error"], phase=error["phase"])
            elif key not in samples or config not in samples[key]:
                continue
            else:
                row.update(summarize(samples[key][config]))
                row["first_call_s"] = ready[config]["first_call_s"][key]
                row["steps_per_block"] = ready[config]["steps_per_block"][key]
                row["samples_ms"] = samples[key][config]
                if workload in flops and workload != "linreg":  # 16 FLOP a step: overhead only
                    row["flops_per_step"] = flops[workload][task]
                    row["gflops"] = row["flops_per_step"] / (row["median_ms"] / 1e3) / 1e9
                    own = ceilings.get(configs.BY_NAME[config].framework)
                    row["pct_of_ceiling"] = row["gflops"] / own["gflops_median"] * 100 if own else None
            results.append(row)
    ratios = [x["median_ms"] / x["harness_ms"] for x in crosscheck]
    xc = {"workload": "mlp", "task": "train", "config": "torch_eager",
          "tool": "torch.utils.benchmark.Timer.blocked_autorange", "rounds": crosscheck,
          "ratio_median": statistics.median(ratios), "ratio_min": min(ratios),
          "ratio_max": max(ratios)} if ratios else None
    return {"results": results, "ceilings": ceilings, "flops": flops, "crosscheck": xc}


# ----------------------------------------------------------------------------- driver

def write_json(path, data):
    provenance.write_atomic(path, json.dumps(data, indent=1) + "\n")


def parse_only(only, device):
    names = list(configs.CUDA_CONFIGS if device == "cuda" else configs.BY_NAME)
    workloads = list(configs.TASKS)
    if not only:
        return names, workloads
    tokens = [t.strip() for t in only.split(",") if t.strip()]
    bad = [t for t in tokens if t not in set(configs.BY_NAME) | set(configs.TASKS)]
    if bad or not tokens:
        raise BenchError(f"--only: unknown name(s) {', '.join(bad) or repr(only)}; choose from "
                         f"configurations {', '.join(configs.BY_NAME)} and workloads "
                         f"{', '.join(configs.TASKS)}")
    picked_c = [c for c in names if c in tokens]
    picked_w = [w for w in workloads if w in tokens]
    if any(t in configs.BY_NAME for t in tokens) and not picked_c:
        raise BenchError(f"--only: none of those configurations runs on {device} "
                         f"(on cuda only {', '.join(configs.CUDA_CONFIGS)})")
    return picked_c or names, picked_w or workloads


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="bench", description="Time PyTorch and TensorFlow on the workloads of "
        "snippets/bench_workloads.py.",
        epilog="A full run writes docs/results/machines/<fingerprint>/bench.json (and, on cpu, "
               "docs/results/bench.json) and renders the tables and plots; it refuses to when "
               "its inputs differ from the commit checked out. --quick and --only write to "
               "--out (default .cache/bench/) only.")
    ap.add_argument("--quick", action="store_true",
                    help="tiny blocks, two rounds: checks that everything runs, not numbers")
    ap.add_argument("--out", type=Path, help="write bench.json into this folder instead")
    ap.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                    help="cpu: every configuration; cuda: the PyTorch ones on the GPU")
    ap.add_argument("--rounds", type=int, help="rounds over all tasks (default 10; 2 with --quick)")
    ap.add_argument("--only", help="comma-separated configurations and/or workloads, e.g. "
                    "torch_eager,tf_function,mlp")
    ap.add_argument("--commit", help="the commit measured, for a checkout without git history "
                    "(a lent GPU machine); recorded as given")
    ap.add_argument("--allow-dirty", action="store_true",
                    help="write into docs/results although the inputs differ from HEAD "
                         "(the pages then say so)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--settings", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        from bench import workers
        return workers.serve(args.worker, args.device, json.loads(args.settings))
    try:
        return drive(args)
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench: interrupted; nothing was written", file=sys.stderr)
        return 130


def drive(args):
    mode = "quick" if args.quick else "full"
    s = dict(MODES[mode])
    if args.rounds is not None:
        if args.rounds < 1:
            raise BenchError("--rounds must be at least 1")
        s["rounds"] = args.rounds
    names, workloads = parse_only(args.only, args.device)
    store = args.out is None and mode == "full" and not args.only
    if store and s["rounds"] < verdict.MIN_ROUNDS:
        raise BenchError(f"--rounds {s['rounds']}: the verdict rule needs at least "
                         f"{verdict.MIN_ROUNDS} rounds to publish; use --out for a shorter run")
    try:  # before any timing: a run that may not be published should not start
        commit = provenance.commit_for(INPUTS, allow_dirty=args.allow_dirty or not store,
                                       given=args.commit)
    except provenance.DirtyInputs as exc:
        raise BenchError(f"{exc}; `make bench` publishes only committed inputs") from None
    threads = provenance.threads()
    s.update(threads=threads, workloads=workloads)
    out_dir = args.out or SCRATCH / ("bench-quick" if args.quick else "bench")
    if mode == "full":  # a fresh torch.compile cache: the first calls compile cold
        cache = tempfile.TemporaryDirectory(prefix="bench-inductor-")
        cache_dir, s["inductor_cache"] = cache.name, "fresh for this run"
    else:  # quick mode checks, it does not time: keep compiled kernels between runs
        cache, cache_dir = None, SCRATCH / "torchinductor-quick"
        s["inductor_cache"] = "persistent (.cache/torchinductor-quick)"
    env = child_env(threads, cache_dir)

    def say(msg):
        print(f"bench: {msg}", flush=True)

    say(f"{mode} mode, device {args.device}, {threads} threads, {s['rounds']} round(s); "
        f"configurations {', '.join(names)}; workloads {', '.join(workloads)}")
    start = time.perf_counter()
    procs, ready = {}, {}
    logs = tempfile.TemporaryDirectory(prefix="bench-logs-")
    try:
        for c in names:  # one at a time: each calibrates while the others wait
            t0 = time.perf_counter()
            procs[c] = Process(c, args.device, s, env, logs.name)
            ready[c] = procs[c].read()
            if ready[c]["op"] != "ready":
                raise BenchError(f"worker {c} failed to start: {ready[c]['error']}")
            errs = "; ".join(f"{w}: {e['error'].splitlines()[0][:200]}"
                             for w, e in ready[c]["errors"].items())
            say(f"{c:16s} ready in {time.perf_counter() - t0:5.1f} s"
                + (f"  FAILED {errs}" if errs else ""))
        samples, crosscheck, loads, steals = run_rounds(procs, ready, s, say)
    finally:
        for p in procs.values():
            p.close()
        logs.cleanup()
        if cache:
            cache.cleanup()
    data = assemble(args.device, ready, samples, crosscheck)
    backends = {**next((r["backends"] for c, r in ready.items()
                        if configs.BY_NAME[c].framework == "torch"), {})}
    tf_ready = [r for c, r in ready.items() if configs.BY_NAME[c].framework == "tf"]
    if tf_ready:
        backends["tensorflow"] = tf_ready[0]["backends"]
    versions = provenance.versions()
    total = time.perf_counter() - start
    doc = {
        "provenance": provenance.record(
            device=backends.get("cuda_device") if args.device == "cuda" else None,
            commit=commit, mode=mode, rounds=s["rounds"], intra_op_threads=threads,
            inter_op_threads=1, settings={k: v for k, v in s.items() if k != "workloads"},
            wall_s=round(total, 1)),
        "input_hash": input_hash(versions),
        "inputs": INPUTS,
        "configs": {c: configs.BY_NAME[c].what["en"] for c in names},
        "backends": backends,
        "details": {f"{c}/{w}": {"keras": e} for c, r in ready.items()
                    for w, e in r["extra"].items()},
        **data,
        "rounds_other_load_cores": loads,
        "rounds_steal_cores": steals,
    }
    failures = [r for r in data["results"] if "error" in r]
    for f in failures:
        print(f"bench: FAILED {f['config']} {f['workload']}/{f['task']}: "
              f"{f['error'].splitlines()[0][:300]}", file=sys.stderr)
    if failures:
        path = out_dir / "bench.failed.json"
        write_json(path, doc)
        print(f"bench: {len(failures)} task(s) failed after {total:.0f} s; results kept in {path}; "
              f"no earlier bench.json was touched", file=sys.stderr)
        return 1
    fp = doc["provenance"]["fingerprint"]
    paths = [out_dir / "bench.json"]
    if store:
        paths = [RESULTS / "machines" / fp / "bench.json"] + (
            [RESULTS / "bench.json"] if args.device == "cpu" else [])
    for path in paths:
        write_json(path, doc)
        say(f"wrote {path.relative_to(ROOT) if ROOT in path.parents else path}")
    if store:
        from bench import report
        for path in report.render():
            say(f"rendered {path.relative_to(ROOT)}")
    say(f"done in {total:.0f} s")
    return 0
