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
* the float32 matrix multiply of torch, TensorFlow and NumPy, at several sizes, is a task of
  the same rounds; the machine's ceiling is the best block of any of them, and a workload
  above it stops the run; FLOPs per step are counted by torch.utils.flop_counter.FlopCounterMode;
* a compiled configuration shows that it compiled (torch.compile: graphs captured and kernels
  generated; tf.function: traces; XLA: the HLO it compiles to), or the run fails;
* the libraries' threads sleep when idle (OMP_WAIT_POLICY=PASSIVE): a worker waiting for its
  turn must not spin on the cores another one is timed on; each worker's CPU use while the
  others are timed is recorded;
* once a round, right after one of this harness's blocks of the PyTorch eager MLP training
  step, torch.utils.benchmark times the same step, so the two tools' ratio is paired too.

`python -m pvt.bench --help` lists the options. `--quick` checks that everything runs and
writes only to a scratch folder.
"""

import argparse
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

from pvt import provenance
from pvt.bench import configs, verdict
from pvt.bench.inputs import INPUTS, input_hash
from pvt.bench.timing import SLOW_BLOCK_S, quantiles

ROOT = Path(__file__).resolve().parent.parent.parent
RESULTS = ROOT / "docs" / "results"
SCRATCH = ROOT / ".cache"

MODES = {
    # target_s: shortest timed block; warmup_s: untimed calls before calibrating;
    # blocks: timed blocks per task, configuration and round, interleaved across the
    # configurations; fit_batches: batches per Keras fit/predict call (an epoch), a
    # multiple of STEPS_PER_EXECUTION
    "full": dict(target_s=0.05, warmup_s=0.2, blocks=5, rounds=10, crosscheck_s=0.2,
                 fit_batches=50, timeout_s=1500),
    "quick": dict(target_s=0.002, warmup_s=0.0, blocks=2, rounds=2, crosscheck_s=0.01,
                  fit_batches=10, timeout_s=900, ceiling_sizes=[256, 512]),
}
# The libraries' idle threads sleep instead of spinning (GNU OpenMP, used by torch and NumPy's
# OpenBLAS builds; Intel's reads KMP_BLOCKTIME): see child_env.
PASSIVE_WAIT = {"OMP_WAIT_POLICY": "PASSIVE", "KMP_BLOCKTIME": "0"}


class BenchError(Exception):
    pass


# ----------------------------------------------------------------------------- processes

def child_env(threads, cache_dir, wait_policy="passive"):
    env = dict(os.environ)  # OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE pass through untouched
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = str(threads)
    for var in PASSIVE_WAIT:
        env.pop(var, None)
    if wait_policy == "passive":
        env.update(PASSIVE_WAIT)
    env.update(PYTHONHASHSEED="0", TORCHINDUCTOR_CACHE_DIR=str(cache_dir), TF_CPP_MIN_LOG_LEVEL="2")
    return env


def config_env(env, config):
    """A configuration's own environment: Keras picks its backend when it is imported."""
    backend = configs.BY_NAME[config].computes
    return {**env, "KERAS_BACKEND": "torch" if backend == "torch" else "tensorflow"}


class Process:
    """A worker process and its request/answer pipe."""

    def __init__(self, config, device, settings, env, log_dir):
        self.config, self.timeout_s = config, settings["timeout_s"]
        self.log = Path(log_dir) / f"{config}.log"
        with self.log.open("w") as stderr:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pvt.bench", "--worker", config, "--device", device,
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

class IdleMeter:
    """CPU each worker uses while another one is timed: a worker that waits for its turn
    should use none, or it slows the worker being timed."""

    def __init__(self, procs):
        self.procs = procs
        self.cpu_s = {c: 0.0 for c in procs}
        self.wall_s = {c: 0.0 for c in procs}

    def turn(self, busy, ask):
        before = {c: p.cpu_s() for c, p in self.procs.items() if c != busy}
        start = time.perf_counter()
        answer = ask()
        wall = time.perf_counter() - start
        for c, cpu in before.items():
            after = self.procs[c].cpu_s()
            if None not in (cpu, after):
                self.cpu_s[c] += after - cpu
                self.wall_s[c] += wall
        return answer

    def cores(self):
        """{config: average cores used while idle}."""
        return {c: self.cpu_s[c] / self.wall_s[c] for c in self.procs if self.wall_s[c]}


def run_rounds(procs, ready, settings, say):
    """Every round: each task; for it, `blocks` passes over its configurations, one block
    each, in rotated order, every other pass backwards."""
    names = list(procs)
    ceiling_keys = configs.ceiling_keys(settings["device"], settings.get("ceiling_sizes"))
    keys = [k for k in configs.task_keys(settings["workloads"]) + ceiling_keys
            if any(k in ready[c]["tasks"] for c in names)]
    samples = {k: {c: [] for c in names if k in ready[c]["tasks"]} for k in keys}
    crosscheck, loads, steals, idle = [], [], [], IdleMeter(procs)
    for r in range(settings["rounds"]):
        start, (busy0, steal0), ours0 = time.perf_counter(), machine_busy_s(), own_cpu_s(procs.values())
        rotated = names[r % len(names):] + names[:r % len(names)]
        for key in keys:
            for c in samples[key]:
                samples[key][c].append([])
            for rep in range(settings["blocks"]):
                for c in rotated if rep % 2 == 0 else rotated[::-1]:
                    if c not in samples[key] or (rep and ready[c]["block_s"][key] >= SLOW_BLOCK_S):
                        continue  # a block of half a second or more is timed once a round
                    check = rep == 0 and (c, key) == ("torch_eager", "mlp/train")
                    request = {"op": "turn", "task": key, "crosscheck": check}
                    answer = idle.turn(c, lambda c=c, request=request: procs[c].ask(request))
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
        say(f"[round {r + 1}/{settings['rounds']}] {wall:5.1f} s"
            + (f", other processes' load {load:.2f} cores" if load is not None else "")
            + (f", stolen by the hypervisor {steal:.2f} cores" if steal is not None else ""))
    return samples, crosscheck, loads, steals, idle.cores()


def summarize(per_round):
    pooled = [t for rnd in per_round for t in rnd]
    p25, med, p75 = quantiles(pooled)
    rounds = [statistics.median(rnd) for rnd in per_round]
    return {"median_ms": med, "p25_ms": p25, "p75_ms": p75, "best_ms": min(pooled),
            "blocks": len(pooled), "round_medians_ms": rounds,
            "round_spread_pct": (max(rounds) - min(rounds)) / med * 100 if len(rounds) > 1 else None}


def ceilings_of(ready, samples):
    """Per library, the matrix-multiply rate at each size (median and best block), and the
    machine's ceiling: the best block of any library and size."""
    libs = {}
    for key, by_config in samples.items():
        if not key.startswith("ceiling/"):
            continue
        _, lib, size = key.split("/")
        (config, per_round), = by_config.items()
        n_flops = ready[config]["ceiling_flops"][key]
        gflops = [n_flops / (t / 1e3) / 1e9 for rnd in per_round for t in rnd]
        libs.setdefault(lib, {"measured_by": config, "sizes": {}})["sizes"][size] = {
            "gflops_median": statistics.median(gflops), "gflops_best": max(gflops),
            "round_medians": [statistics.median(n_flops / (t / 1e3) / 1e9 for t in rnd) for rnd in per_round]}
    for lib in libs.values():
        best = max(lib["sizes"], key=lambda n: lib["sizes"][n]["gflops_best"])
        lib.update(best_size=int(best), gflops_best=lib["sizes"][best]["gflops_best"],
                   gflops_median=max(v["gflops_median"] for v in lib["sizes"].values()))
    machine = max(libs, key=lambda lib: libs[lib]["gflops_best"], default=None)
    return libs, ({"gflops": libs[machine]["gflops_best"], "library": machine,
                   "size": libs[machine]["best_size"]} if machine else None)


def assemble(device, ready, samples, crosscheck):
    flops = next((r["flops"] for r in ready.values() if r["flops"]), {})
    ceilings, machine_ceiling = ceilings_of(ready, samples)
    results = []
    for key in configs.task_keys():
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
                compiled = ready[config].get("compiled", {})
                source = configs.SAME_FUNCTION.get(key, key)  # the task that compiled this function
                if source in compiled:
                    row["compiled"] = compiled[source]
                if workload in flops and workload != "linreg":  # 16 FLOP a step: overhead only
                    row["flops_per_step"] = flops[workload][task]
                    row["gflops"] = row["flops_per_step"] / (row["median_ms"] / 1e3) / 1e9
                    if machine_ceiling:
                        row["pct_of_ceiling"] = row["gflops"] / machine_ceiling["gflops"] * 100
            results.append(row)
    ratios = [x["median_ms"] / x["harness_ms"] for x in crosscheck]
    xc = {"workload": "mlp", "task": "train", "config": "torch_eager",
          "tool": "torch.utils.benchmark.Timer.blocked_autorange", "rounds": crosscheck,
          "ratio_median": statistics.median(ratios), "ratio_min": min(ratios),
          "ratio_max": max(ratios)} if ratios else None
    return {"results": results, "ceilings": ceilings, "machine_ceiling": machine_ceiling,
            "flops": flops, "crosscheck": xc}


def compile_failures(results):
    """Rows of a compiled configuration without evidence that anything was compiled."""
    bad = []
    for row in results:
        if "error" in row or not configs.BY_NAME[row["config"]].compiled or row["workload"] == "pipeline":
            continue
        seen = row.get("compiled", {})
        if not all(seen.get(k, 0) > 0 for k in COMPILE_EVIDENCE[row["config"]]):
            bad.append(f"{row['config']} {row['workload']}/{row['task']}: compiled nothing ({seen or 'no record'})")
    return bad


COMPILE_EVIDENCE = {"torch_compile": ("graphs", "kernels"), "tf_function": ("traces",),
                    "tf_xla": ("traces", "hlo_instructions")}


def over_ceiling(results):
    """Rows faster than the machine's ceiling: the ceiling would not bound them."""
    return [f"{r['config']} {r['workload']}/{r['task']}: {r['pct_of_ceiling']:.0f} % of the ceiling"
            for r in results if r.get("pct_of_ceiling", 0) > 100]


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
               "its inputs differ from the commit checked out. --quick writes to "
               ".cache/bench-quick/, --only to .cache/bench/, or either to --out.")
    ap.add_argument("--quick", action="store_true",
                    help="tiny blocks, two rounds: checks that everything runs, not numbers")
    ap.add_argument("--out", type=Path, help="write bench.json into this folder instead")
    ap.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                    help="cpu: every configuration; cuda: the PyTorch ones on the GPU")
    ap.add_argument("--rounds", type=int, help="rounds over all tasks (default 10; 2 with --quick)")
    ap.add_argument("--only", help="comma-separated configurations and/or workloads, e.g. "
                    "torch_eager,tf_function,mlp")
    ap.add_argument("--wait-policy", choices=("passive", "default"), default="passive",
                    help="passive: idle library threads sleep (OMP_WAIT_POLICY=PASSIVE, "
                         "KMP_BLOCKTIME=0); default: leave the libraries' own policy, to measure "
                         "what idle workers cost")
    ap.add_argument("--commit", help="the commit measured, for a checkout without git history "
                    "(a lent GPU machine); recorded as given")
    ap.add_argument("--allow-dirty", action="store_true",
                    help="write into docs/results although the inputs differ from HEAD "
                         "(the pages then say so)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--settings", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        from pvt.bench import workers
        return workers.serve(args.worker, args.device, json.loads(args.settings))
    try:
        return drive(args)
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench: interrupted; nothing was written", file=sys.stderr)
        return 130


def say(msg):
    print(f"bench: {msg}", flush=True)


def run_settings(args):
    """The run's settings (MODES, with the options applied), whether it publishes, and the
    commit it records. Fails before any timing when the run could not be published."""
    mode = "quick" if args.quick else "full"
    settings = dict(MODES[mode], mode=mode, device=args.device, wait_policy=args.wait_policy)
    if args.rounds is not None:
        if args.rounds < 1:
            raise BenchError("--rounds must be at least 1")
        settings["rounds"] = args.rounds
    names, settings["workloads"] = parse_only(args.only, args.device)
    publish = args.out is None and mode == "full" and not args.only and args.wait_policy == "passive"
    if publish and settings["rounds"] < verdict.MIN_ROUNDS:
        raise BenchError(f"--rounds {settings['rounds']}: the verdict rule needs at least "
                         f"{verdict.MIN_ROUNDS} rounds to publish; use --out for a shorter run")
    try:
        commit = provenance.commit_for(list(INPUTS.values()), allow_dirty=args.allow_dirty or not publish,
                                       given=args.commit)
    except provenance.DirtyInputs as exc:
        raise BenchError(f"{exc}; `make bench` publishes only committed inputs") from None
    settings["threads"] = provenance.threads()
    return names, settings, publish, commit


def start_workers(names, settings, env, log_dir):
    """One worker per configuration, started one at a time: each times its first calls and
    calibrates while the others wait. Returns {config: Process}, {config: its ready report}."""
    procs, ready = {}, {}
    for c in names:
        t0 = time.perf_counter()
        procs[c] = Process(c, settings["device"], settings, config_env(env, c), log_dir)
        ready[c] = procs[c].read()
        if ready[c]["op"] != "ready":
            raise BenchError(f"worker {c} failed to start: {ready[c]['error']}")
        errs = "; ".join(f"{w}: {e['error'].splitlines()[0][:200]}" for w, e in ready[c]["errors"].items())
        say(f"{c:16s} ready in {time.perf_counter() - t0:5.1f} s" + (f"  FAILED {errs}" if errs else ""))
    return procs, ready


def measure(names, settings):
    """Start the workers, run the rounds, stop every worker: (ready, rounds' data)."""
    if settings["mode"] == "full":  # a fresh torch.compile cache: the first calls compile cold
        cache = tempfile.TemporaryDirectory(prefix="bench-inductor-")
        cache_dir, settings["inductor_cache"] = cache.name, "fresh for this run"
    else:  # quick mode checks, it does not time: keep compiled kernels between runs
        cache, cache_dir = None, SCRATCH / "torchinductor-quick"
        settings["inductor_cache"] = "persistent (.cache/torchinductor-quick)"
    env = child_env(settings["threads"], cache_dir, settings["wait_policy"])
    procs = {}
    logs = tempfile.TemporaryDirectory(prefix="bench-logs-")
    try:
        procs, ready = start_workers(names, settings, env, logs.name)
        return ready, run_rounds(procs, ready, settings, say)
    finally:
        for p in procs.values():
            p.close()
        logs.cleanup()
        if cache:
            cache.cleanup()


def document(names, settings, commit, ready, rounds, wall_s):
    """The bench.json document: provenance, settings, every row, ceilings, idle workers."""
    samples, crosscheck, loads, steals, idle = rounds
    data = assemble(settings["device"], ready, samples, crosscheck)
    backends = {**next((r["backends"] for c, r in ready.items()
                        if configs.BY_NAME[c].computes == "torch"), {})}
    tf_ready = [r for c, r in ready.items() if configs.BY_NAME[c].computes == "tf"]
    if tf_ready:
        backends["tensorflow"] = tf_ready[0]["backends"]
    versions = provenance.versions()
    return {
        "provenance": provenance.record(
            device=backends.get("cuda_device") if settings["device"] == "cuda" else None,
            commit=commit, mode=settings["mode"], rounds=settings["rounds"],
            intra_op_threads=settings["threads"], inter_op_threads=1,
            settings={k: v for k, v in settings.items() if k != "workloads"}, wall_s=round(wall_s, 1)),
        "input_hash": input_hash(versions),
        "inputs": INPUTS,
        "configs": names,
        "backends": backends,
        "details": {f"{c}/{w}": {"keras": e} for c, r in ready.items() for w, e in r["extra"].items()},
        **data,
        "rounds_other_load_cores": loads,
        "rounds_steal_cores": steals,
        "idle_worker_cores": idle,
        "idle_worker_cores_max": max(idle.values(), default=None),
    }


def problems(doc):
    """Why a run must not be published: failed tasks, compiled rows that compiled nothing,
    rows above the ceiling."""
    found = [f"FAILED {r['config']} {r['workload']}/{r['task']}: {r['error'].splitlines()[0][:300]}"
             for r in doc["results"] if "error" in r]
    found += [f"NOT COMPILED {x}" for x in compile_failures(doc["results"])]
    found += [f"ABOVE THE CEILING {x}" for x in over_ceiling(doc["results"])]
    return found


def drive(args):
    names, settings, publish, commit = run_settings(args)
    out_dir = args.out or SCRATCH / ("bench-quick" if args.quick else "bench")
    say(f"{settings['mode']} mode, device {args.device}, {settings['threads']} threads, "
        f"{settings['rounds']} round(s), wait policy {settings['wait_policy']}; configurations "
        f"{', '.join(names)}; workloads {', '.join(settings['workloads'])}")
    start = time.perf_counter()
    ready, rounds = measure(names, settings)
    total = time.perf_counter() - start
    doc = document(names, settings, commit, ready, rounds, total)
    found = problems(doc)
    if found:
        for line in found:
            print(f"bench: {line}", file=sys.stderr)
        path = out_dir / "bench.failed.json"
        write_json(path, doc)
        print(f"bench: {len(found)} problem(s) after {total:.0f} s; results kept in {path}; "
              f"no earlier bench.json was touched", file=sys.stderr)
        return 1
    fp = doc["provenance"]["fingerprint"]
    paths = [out_dir / "bench.json"]
    if publish:
        paths = [RESULTS / "machines" / fp / "bench.json"] + (
            [RESULTS / "bench.json"] if args.device == "cpu" else [])
    for path in paths:
        write_json(path, doc)
        say(f"wrote {path.relative_to(ROOT) if ROOT in path.parents else path}")
    if publish:
        from pvt.bench import report
        for path in report.render():
            say(f"rendered {path.relative_to(ROOT)}")
    say(f"done in {total:.0f} s")
    return 0
