"""Benchmark PyTorch and TensorFlow on the workloads of snippets/bench_workloads.py.

Method, in short (the benchmark page explains it at length):

* every configuration runs in a fresh Python process, with the same thread settings for
  both frameworks: intra-op threads = the cores this process may use, inter-op threads = 1,
  and OMP/MKL/OPENBLAS_NUM_THREADS set to the same number;
* the first call (where tracing and compiling happen) is timed and reported on its own;
  then a warm-up, then the number of steps per timed block is calibrated so that a block
  lasts at least `target_s`, and many blocks are timed; a step's time is block time / steps;
* the whole set of configurations runs in several rounds, interleaved and rotated, and the
  spread between the rounds' medians is reported beside the median and IQR of all blocks;
* the matrix-multiply peak of the machine (torch and numpy, float32) is measured the same
  way in each round, so achieved GFLOP/s can be read as a share of it;
* the PyTorch eager MLP training step is cross-checked with torch.utils.benchmark.

Run `python scripts/bench.py --help` for the options. `--quick` checks that everything
runs (tiny repeats, one round) and writes nowhere near the results store unless asked.
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "snippets")]

import provenance  # noqa: E402


def load_workloads():
    """snippets/bench_workloads.py, imported without echoing its printed summary."""
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        import bench_workloads
    return bench_workloads

RESULTS = ROOT / "docs" / "results"
SCRATCH = ROOT / ".cache"

TASKS = {"linreg": ("step", "run"), "mlp": ("train", "infer"), "cnn": ("train", "infer")}
CONFIGS = {  # name: (framework, what is timed); the order is the order of the tables
    "torch_eager": ("torch", "PyTorch eager: the usual zero_grad/forward/backward/step loop; "
                             "inference under torch.inference_mode()"),
    "torch_compile": ("torch", "model = torch.compile(model) (default mode), same loop; "
                               "inference: a torch.compile'd model under inference_mode"),
    "tf_eager": ("tf", "custom loop with tf.GradientTape, run eagerly; inference: model(x)"),
    "tf_function": ("tf", "the same step wrapped in tf.function; inference: "
                          "tf.function(model(x))"),
    "tf_xla": ("tf", "the same step in tf.function(jit_compile=True); inference likewise"),
    "keras_fit": ("tf", "model.compile(SGD, loss) with defaults; model.fit(numpy arrays, "
                        "batch_size=batch, verbose=0); inference: model.predict(numpy)"),
    "keras_fit_tuned": ("tf", "tf.data.Dataset ... .cache().prefetch(AUTOTUNE), "
                              "compile(steps_per_execution=10); fit(dataset); inference: "
                              "predict(dataset) likewise"),
}
CUDA_CONFIGS = ("torch_eager", "torch_compile")
STEPS_PER_EXECUTION = 10
SLOW_BLOCK_S = 1.0  # blocks longer than this (e.g. Keras fit's 100 epochs) get >= 3 repeats
PEAK_N = {"cpu": 2048, "cuda": 8192}  # square float32 matmul used to measure the peak

MODES = {
    # target_s: shortest timed block; repeats/min_repeats: timed blocks per task and round,
    # as many as fit in task_s but never fewer than min_repeats; warmup_s: untimed calls;
    # fit_batches: batches per Keras fit/predict call (an epoch), a multiple of
    # STEPS_PER_EXECUTION, so that the per-call overhead is shared as in a real epoch
    "full": dict(target_s=0.05, repeats=20, min_repeats=5, task_s=1.0, warmup_s=0.2,
                 rounds=3, crosscheck_s=1.0, fit_batches=50, timeout_s=900),
    "quick": dict(target_s=0.002, repeats=2, min_repeats=2, task_s=0.0, warmup_s=0.0,
                  rounds=1, crosscheck_s=0.05, fit_batches=10, timeout_s=300),
}


class BenchError(Exception):
    pass


# ----------------------------------------------------------------------------- timing

def quantiles(values):
    """p25, median, p75 (inclusive method: stays within the data)."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    p25, p50, p75 = statistics.quantiles(values, n=4, method="inclusive")
    return p25, p50, p75


def measure(make_block, s, sync=None, multiple=1):
    """Time one task. make_block(n) returns a callable that runs n steps (or n runs);
    n stays a multiple of `multiple` (Keras' steps_per_execution)."""
    clock = time.perf_counter

    def timed(block):
        if sync:
            sync()
        start = clock()
        block()
        if sync:
            sync()
        return clock() - start

    block = make_block(multiple)
    try:
        first = timed(block)  # traces / compiles: reported, never mixed with the samples
    except Exception as exc:
        exc.bench_phase = "first call"
        raise
    spent = 0.0
    while spent < s["warmup_s"]:
        spent += timed(block)
    def calibrate(block):  # the shorter of two timings, so one preemption cannot cut n
        t = timed(block)
        return t if t >= SLOW_BLOCK_S else min(t, timed(block))

    n, t = multiple, calibrate(block)
    while t < s["target_s"] and n < 1 << 22:
        n = min(1 << 22, max(2 * n, math.ceil(n * 1.2 * s["target_s"] / max(t, 1e-9))))
        n = round_up(n, multiple)
        block = make_block(n)
        timed(block)  # a new block may build new data or fill a cache: warm it first
        t = calibrate(block)
    fewest = s["min_repeats"] if t < SLOW_BLOCK_S else min(s["min_repeats"], 3)
    repeats = max(fewest, min(s["repeats"], int(s["task_s"] / t)))
    # a slow block (>= SLOW_BLOCK_S) was timed once, warm, at its final n: keep it as a sample
    samples = [t] if t >= SLOW_BLOCK_S else []
    samples += [timed(block) for _ in range(repeats - len(samples))]
    samples = [x / n * 1e3 for x in samples]
    return {"first_call_s": first, "steps_per_block": n, "samples_ms": samples}


def loop(fn, n):
    def block():
        for _ in range(n):
            fn()
    return block


def round_up(n, k):
    return -(-n // k) * k


# ----------------------------------------------------------------------------- workers

def torch_setup(threads):
    import torch

    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    return torch


def tf_setup(threads):
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    return tf


def torch_tasks(config, workload, device, s, threads):
    import torch

    w = load_workloads()

    dev = torch.device(device)
    sync = torch.cuda.synchronize if dev.type == "cuda" else None
    model = w.torch_model(workload).to(dev)
    x, y = (torch.from_numpy(a).to(dev) for a in w.make_batch(workload, channels_first=True))
    optimizer = torch.optim.SGD(model.parameters(), lr=w.LR)
    counters = None
    if config == "torch_compile":
        from torch._dynamo.utils import counters
        counters.clear()
    train_model = torch.compile(model) if config == "torch_compile" else model
    step = w.torch_train_step(train_model, w.torch_loss(workload), optimizer, x, y)
    out, extra = {}, {}
    if workload == "linreg":
        out["step"] = measure(lambda n: loop(step, n), s, sync)
        out["run"] = measure(lambda n: loop(step, n * w.EPOCHS), s, sync)
    else:
        out["train"] = measure(lambda n: loop(step, n), s, sync)
        if config == "torch_eager" and workload == "mlp":
            extra["crosscheck"] = crosscheck(step, s, threads, out["train"])
        model.eval()
        infer_model = torch.compile(model) if config == "torch_compile" else model

        def infer_block(n):
            def block():
                with torch.inference_mode():
                    for _ in range(n):
                        infer_model(x)
            return block
        out["infer"] = measure(infer_block, s, sync)
    if counters is not None:
        extra["compile_cache"] = {k: v for k, v in {
            **counters["inductor"], **counters["aot_autograd"]}.items() if "cache" in k}
    return out, extra


def crosscheck(step, s, threads, own):
    """The same step timed by torch.utils.benchmark (its own calibration and statistics)."""
    from torch.utils import benchmark

    timer = benchmark.Timer(stmt="step()", globals={"step": step}, num_threads=threads)
    m = timer.blocked_autorange(min_run_time=s["crosscheck_s"])
    return {"tool": "torch.utils.benchmark.Timer.blocked_autorange",
            "min_run_time_s": s["crosscheck_s"], "median_ms": m.median * 1e3,
            "iqr_ms": m.iqr * 1e3, "blocks": len(m.times), "steps_per_block": m.number_per_run,
            "harness_median_ms": statistics.median(own["samples_ms"])}


def tf_tasks(config, workload, s):
    import keras
    import tensorflow as tf

    w = load_workloads()

    model, loss_fn = w.keras_model(workload), w.keras_loss(workload)
    batch = w.BATCH[workload]
    x_np, y_np = w.make_batch(workload)
    out, extra = {}, {}
    if config in ("tf_eager", "tf_function", "tf_xla"):
        optimizer = keras.optimizers.SGD(learning_rate=w.LR)
        optimizer.build(model.trainable_variables)
        step = w.tf_train_step(model, loss_fn, optimizer)

        def forward(x):
            return model(x, training=False)
        if config != "tf_eager":
            step = tf.function(step, jit_compile=config == "tf_xla")
            forward = tf.function(forward, jit_compile=config == "tf_xla")
        x, y = tf.constant(x_np), tf.constant(y_np)

        def block_of(fn, n):
            def block():
                for _ in range(n):
                    last = fn()
                last.numpy()  # make sure the last result exists before the clock stops
            return block
        train = lambda: step(x, y)  # noqa: E731
        if workload == "linreg":
            out["step"] = measure(lambda n: block_of(train, n), s)
            out["run"] = measure(lambda n: block_of(train, n * w.EPOCHS), s)
        else:
            out["train"] = measure(lambda n: block_of(train, n), s)
            out["infer"] = measure(lambda n: block_of(lambda: forward(x), n), s)
        return out, extra

    tuned = config == "keras_fit_tuned"
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=w.LR), loss=loss_fn,
                  **({"steps_per_execution": STEPS_PER_EXECUTION} if tuned else {}))
    extra["keras"] = {"jit_compile": bool(model.jit_compile),
                      "steps_per_execution": STEPS_PER_EXECUTION if tuned else 1}
    auto = tf.data.AUTOTUNE
    if workload == "linreg":
        if tuned:  # the same full-batch updates, as one epoch of repeated batches
            def steps(n):
                ds = tf.data.Dataset.from_tensors((x_np, y_np)).cache().repeat(n).prefetch(auto)
                return lambda: model.fit(ds, epochs=1, verbose=0)
            out["step"] = measure(steps, s, multiple=STEPS_PER_EXECUTION)
            run = steps(w.EPOCHS)
            out["run"] = measure(lambda n: loop(run, n), s)
        else:
            out["step"] = measure(lambda n: lambda: model.fit(
                x_np, y_np, batch_size=batch, epochs=n, verbose=0), s)
            out["run"] = measure(lambda n: loop(lambda: model.fit(
                x_np, y_np, batch_size=batch, epochs=w.EPOCHS, verbose=0), n), s)
        return out, extra

    # one fit (predict) call is one epoch of `fit_batches` batches; a block of n steps is
    # n / fit_batches such calls, so per-step time = block time / n includes the per-epoch
    # overhead shared among fit_batches steps
    per_call = s["fit_batches"]
    xs, ys = w.make_batch(workload, per_call)
    if tuned:
        train_ds = tf.data.Dataset.from_tensor_slices((xs, ys)).batch(batch).cache()
        train_ds = train_ds.prefetch(auto)
        infer_ds = tf.data.Dataset.from_tensor_slices(xs).batch(batch).cache().prefetch(auto)
        fit = lambda: model.fit(train_ds, epochs=1, verbose=0)  # noqa: E731
        predict = lambda: model.predict(infer_ds, verbose=0)  # noqa: E731
    else:
        fit = lambda: model.fit(xs, ys, batch_size=batch, epochs=1, verbose=0)  # noqa: E731
        predict = lambda: model.predict(xs, batch_size=batch, verbose=0)  # noqa: E731
    out["train"] = measure(lambda n: loop(fit, n // per_call), s, multiple=per_call)
    out["infer"] = measure(lambda n: loop(predict, n // per_call), s, multiple=per_call)
    extra["keras"]["batches_per_call"] = per_call
    return out, extra


def tf_backend_info(tf):
    info = {"TF_ENABLE_ONEDNN_OPTS": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "unset")}
    try:
        info["build_info"] = {k: str(v) for k, v in tf.sysconfig.get_build_info().items()}
    except Exception as exc:  # noqa: BLE001
        info["build_info"] = f"unavailable: {exc}"
    try:
        from tensorflow.python.util import _pywrap_util_port
        info["IsMklEnabled"] = bool(_pywrap_util_port.IsMklEnabled())
    except Exception as exc:  # noqa: BLE001
        info["IsMklEnabled"] = f"unavailable: {exc}"
    return info


def peak_worker(device, s, threads):
    """Matrix-multiply peak (float32, square) in torch and numpy; backend information."""
    import numpy as np

    torch = torch_setup(threads)
    n = PEAK_N[device]
    flops = 2 * n**3
    dev = torch.device(device)
    sync = torch.cuda.synchronize if dev.type == "cuda" else None
    a, b = torch.randn(n, n, device=dev), torch.randn(n, n, device=dev)
    c = torch.empty(n, n, device=dev)
    out = {"n": n, "torch": measure(lambda k: loop(lambda: torch.mm(a, b, out=c), k), s, sync)}
    if device == "cpu":
        an, bn = a.numpy(), b.numpy()
        cn = np.empty_like(an)
        out["numpy"] = measure(lambda k: loop(lambda: np.matmul(an, bn, out=cn), k), s)
    for lib in ("torch", "numpy"):
        if lib in out:
            out[lib]["gflops"] = [flops / (t / 1e3) / 1e9 for t in out[lib]["samples_ms"]]
    backends = {
        "torch_config": torch.__config__.show(),
        "torch_parallel_info": torch.__config__.parallel_info(),
        "torch_mkldnn_available": torch.backends.mkldnn.is_available(),
        "torch_mkl_available": torch.backends.mkl.is_available(),
    }
    if dev.type == "cuda":
        backends["cuda_device"] = torch.cuda.get_device_name(0)
        backends["cuda_version"] = torch.version.cuda
        backends["cudnn_version"] = torch.backends.cudnn.version()
        backends["cuda_matmul_allow_tf32"] = torch.backends.cuda.matmul.allow_tf32
    try:
        import threadpoolctl
        backends["numpy_blas"] = threadpoolctl.threadpool_info()
    except ImportError:
        cfg = np.show_config(mode="dicts")
        backends["numpy_blas"] = cfg.get("Build Dependencies", {}).get("blas", cfg)
        backends["numpy_blas_source"] = "np.show_config (threadpoolctl not installed)"
    return {"peak": out, "backends": backends}


def worker(args):
    """Run one configuration in this (fresh) process and write its results as JSON."""
    s = json.loads(args.settings)
    threads = s["threads"]
    report = {"config": args.worker, "device": args.device, "tasks": {}, "errors": {}}
    try:
        if args.worker == "peak":
            report.update(peak_worker(args.device, s, threads))
        else:
            framework = CONFIGS[args.worker][0]
            if framework == "torch":
                torch_setup(threads)
            else:
                tf = tf_setup(threads)
                report["tf_backends"] = tf_backend_info(tf)
            for workload in s["workloads"]:
                try:
                    if os.environ.get("BENCH_INJECT_FAILURE") == args.worker:  # tests only
                        raise RuntimeError("injected failure (BENCH_INJECT_FAILURE)")
                    if framework == "torch":
                        tasks, extra = torch_tasks(args.worker, workload, args.device, s, threads)
                    else:
                        tasks, extra = tf_tasks(args.worker, workload, s)
                    report["tasks"][workload] = {"tasks": tasks, **extra}
                except Exception as exc:  # noqa: BLE001 -- recorded, the other workloads go on
                    report["errors"][workload] = {
                        "error": f"{type(exc).__name__}: {exc}".strip()[:2000],
                        "phase": getattr(exc, "bench_phase", "timing"),
                        "traceback": traceback.format_exc()[-4000:]}
    except Exception as exc:  # noqa: BLE001
        report["errors"]["*"] = {"error": f"{type(exc).__name__}: {exc}"[:2000],
                                 "phase": "setup", "traceback": traceback.format_exc()[-4000:]}
    Path(args.result).write_text(json.dumps(report))
    return 0


# ----------------------------------------------------------------------------- driver

def child_env(threads, cache_dir):
    env = dict(os.environ)  # OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE pass through untouched
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = str(threads)
    env["PYTHONHASHSEED"] = "0"
    env["TORCHINDUCTOR_CACHE_DIR"] = str(cache_dir)
    return env


def cpu_busy_s():
    """Seconds of CPU time spent by everything on this machine so far, and by our children."""
    import resource

    busy = None
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
        busy = (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        pass
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return busy, ru.ru_utime + ru.ru_stime


def machine_load(window_s=2.0):
    """Cores kept busy by everything on this machine over a short window (we are idle)."""
    busy0, _ = cpu_busy_s()
    time.sleep(window_s)
    busy1, _ = cpu_busy_s()
    return None if busy0 is None or busy1 is None else (busy1 - busy0) / window_s


def wait_quiet(max_wait_s, below=0.3):
    """On a shared machine: wait up to max_wait_s for other load to drop below `below` cores.
    Returns the seconds waited (the load at start is recorded by run_worker either way)."""
    start = time.perf_counter()
    while time.perf_counter() - start < max_wait_s:
        load = machine_load()
        if load is None or load < below:
            break
    return time.perf_counter() - start


def run_worker(name, device, settings, env, timeout_s):
    """One configuration in a fresh process. Also records how busy the rest of the machine
    was meanwhile (in cores), since a shared machine's other load distorts every timing."""
    busy0, ours0 = cpu_busy_s()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        result = Path(tmp) / "result.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", name,
               "--device", device, "--settings", json.dumps(settings), "--result", str(result)]
        start = time.perf_counter()
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout_s)
            rc, stderr = proc.returncode, proc.stderr
        except subprocess.TimeoutExpired as exc:
            rc, stderr = None, (exc.stderr or b"").decode(errors="replace") if isinstance(
                exc.stderr, bytes) else (exc.stderr or "")
        wall = time.perf_counter() - start
        if result.exists():
            report = json.loads(result.read_text())
        else:
            tail = [ln for ln in stderr.strip().splitlines() if ln.strip()][-1:] or ["no output"]
            why = f"timed out after {timeout_s} s" if rc is None else f"exited with status {rc}"
            report = {"config": name, "tasks": {}, "errors": {"*": {
                "error": f"worker {why}: {tail[0]}", "phase": "process",
                "traceback": stderr[-4000:]}}}
        report["wall_s"] = wall
        busy1, ours1 = cpu_busy_s()
        if busy0 is not None and busy1 is not None:
            report["other_load_cores"] = max(0.0, (busy1 - busy0) - (ours1 - ours0)) / wall
        report["onednn_notice"] = "oneDNN custom operations are on" in stderr
        return report


def summarize(samples_by_round):
    """Pool the blocks of all rounds; keep each round's median for the spread."""
    pooled = [t for r in samples_by_round for t in r]
    p25, med, p75 = quantiles(pooled)
    rounds = [statistics.median(r) for r in samples_by_round]
    return {"median_ms": med, "p25_ms": p25, "p75_ms": p75, "blocks": len(pooled),
            "round_medians_ms": rounds,
            "round_spread_pct": (max(rounds) - min(rounds)) / med * 100
            if med > 0 and len(rounds) > 1 else None}


def compile_note(config, error):
    if config == "torch_compile" and error.get("phase") == "first call":
        return ("torch.compile could not compile on this machine (the error is its own; "
                "eager PyTorch is unaffected)")
    return None


def assemble(device, configs, workloads, rounds_out, peaks, settings, mode):
    w = load_workloads()

    peak = {}
    for lib in ("torch", "numpy"):
        per_round = [p["peak"][lib]["gflops"] for p in peaks if lib in p.get("peak", {})]
        if per_round:
            p25, med, p75 = quantiles([g for r in per_round for g in r])
            rmeds = [statistics.median(r) for r in per_round]
            peak[lib] = {"gflops_median": med, "gflops_p25": p25, "gflops_p75": p75,
                         "round_medians": rmeds, "n": peaks[0]["peak"]["n"],
                         "round_spread_pct": (max(rmeds) - min(rmeds)) / med * 100
                         if len(rmeds) > 1 else None}
    best_peak = max((p["gflops_median"] for p in peak.values()), default=None)
    results, crosschecks, failures, extras = [], [], [], {}
    for workload in workloads:
        for config in configs:
            runs = [r[config] for r in rounds_out if config in r]
            errors = [r["errors"].get(workload) or r["errors"].get("*") for r in runs]
            errors = [e for e in errors if e]
            done = [r["tasks"][workload] for r in runs if workload in r["tasks"]]
            for d in done:
                if "crosscheck" in d:
                    crosschecks.append({"workload": workload, "config": config, **d["crosscheck"]})
                for key in ("compile_cache", "keras"):
                    if key in d:
                        extras.setdefault(f"{config}/{workload}", {}).setdefault(key, []).append(
                            d[key])
            for task in TASKS[workload]:
                row = {"workload": workload, "task": task, "config": config, "device": device}
                if errors or len(done) < len(runs) or not runs:
                    e = errors[0] if errors else {"error": "no result", "phase": "process"}
                    row.update(error=e["error"], phase=e["phase"], note=compile_note(config, e))
                    failures.append(row)
                    results.append(row)
                    continue
                ts = [d["tasks"][task] for d in done]
                row.update(summarize([t["samples_ms"] for t in ts]))
                row["first_call_s"] = [t["first_call_s"] for t in ts]
                row["steps_per_block"] = [t["steps_per_block"] for t in ts]
                row["samples_ms"] = [t["samples_ms"] for t in ts]
                row["other_load_cores"] = [r.get("other_load_cores") for r in runs]
                if workload != "linreg":
                    flops = w.train_flops(workload) if task == "train" else w.forward_flops(workload)
                    row["flops_per_step"] = flops
                    row["gflops"] = flops / (row["median_ms"] / 1e3) / 1e9
                    row["pct_of_peak"] = row["gflops"] / best_peak * 100 if best_peak else None
                results.append(row)
    base = {(r["workload"], r["task"]): r.get("median_ms") for r in results
            if r["config"] == "torch_eager"}
    for r in results:
        b = base.get((r["workload"], r["task"]))
        r["ratio_vs_torch_eager"] = r["median_ms"] / b if b and "median_ms" in r else None
    return {"results": results, "peak": peak, "peak_best_gflops": best_peak,
            "crosscheck": crosschecks, "details": extras}, failures


def write_json(path, data):
    """Atomically: a temporary file in the same folder, then os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=False)
            f.write("\n")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; results are for everyone
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def parse_only(only, device):
    configs = list(CUDA_CONFIGS if device == "cuda" else CONFIGS)
    workloads = list(TASKS)
    if not only:
        return configs, workloads
    tokens = [t.strip() for t in only.split(",") if t.strip()]
    valid = set(CONFIGS) | set(TASKS)
    bad = [t for t in tokens if t not in valid]
    if bad or not tokens:
        raise BenchError(f"--only: unknown name(s) {', '.join(bad) or repr(only)}; "
                         f"choose from configurations {', '.join(CONFIGS)} "
                         f"and workloads {', '.join(TASKS)}")
    picked_c = [c for c in configs if c in tokens]
    picked_w = [w for w in workloads if w in tokens]
    if any(t in CONFIGS for t in tokens) and not picked_c:
        raise BenchError(f"--only: none of those configurations runs on {device} "
                         f"(on cuda only {', '.join(CUDA_CONFIGS)})")
    return picked_c or configs, picked_w or workloads


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Time PyTorch and TensorFlow on the workloads of snippets/bench_workloads.py.",
        epilog="Full mode writes docs/results/machines/<fingerprint>/bench.json (and, on cpu, "
               "docs/results/bench.json) and renders the tables and plots; --quick and --only "
               "write to --out (default .cache/bench/) only.")
    ap.add_argument("--quick", action="store_true",
                    help="every configuration once, tiny repeats, one round: checks, not numbers")
    ap.add_argument("--out", type=Path, help="write bench.json into this folder instead")
    ap.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                    help="cpu: every configuration; cuda: the PyTorch ones on the GPU")
    ap.add_argument("--rounds", type=int, help="rounds over all configurations "
                    "(default 3, or 1 with --quick)")
    ap.add_argument("--only", help="comma-separated configurations and/or workloads, e.g. "
                    "torch_eager,tf_function,mlp")
    ap.add_argument("--task-seconds", type=float,
                    help="timing budget per task and round (default 1.0; fewer blocks if less)")
    ap.add_argument("--wait-quiet", type=float, default=0.0, metavar="SECONDS",
                    help="on a shared machine, wait up to SECONDS before each configuration "
                         "for other processes' load to drop below 0.3 cores (default: 0)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--settings", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker(args)
    try:
        return drive(args)
    except BenchError as exc:
        print(f"bench.py: error: {exc}", file=sys.stderr)
        return 2


def drive(args):
    mode = "quick" if args.quick else "full"
    s = dict(MODES[mode])
    if args.rounds is not None:
        if args.rounds < 1:
            raise BenchError("--rounds must be at least 1")
        s["rounds"] = args.rounds
    if args.task_seconds is not None:
        s["task_s"] = args.task_seconds
    configs, workloads = parse_only(args.only, args.device)
    threads = provenance.threads()
    s.update(threads=threads, workloads=workloads)
    store = args.out is None and mode == "full" and not args.only
    out_dir = args.out or SCRATCH / ("bench-quick" if args.quick else "bench")
    start = time.perf_counter()
    if mode == "full":  # a fresh torch.compile cache: round 1 compiles cold, later rounds warm
        cache = tempfile.TemporaryDirectory(prefix="bench-inductor-")
        cache_dir, s["inductor_cache"] = cache.name, "fresh for this run"
    else:  # quick mode checks, it does not time: keep compiled kernels between runs
        cache, cache_dir = None, SCRATCH / "torchinductor-quick"
        s["inductor_cache"] = "persistent (.cache/torchinductor-quick)"
    env = child_env(threads, cache_dir)
    print(f"bench: {mode} mode, device {args.device}, {threads} threads, {s['rounds']} round(s), "
          f"configurations {', '.join(configs)}; workloads {', '.join(workloads)}", flush=True)
    rounds_out, peaks = [], []
    for r in range(s["rounds"]):
        order = configs[r % len(configs):] + configs[:r % len(configs)]  # rotate each round
        this = {}
        for name in ["peak", *order]:
            print(f"[round {r + 1}/{s['rounds']}] {name:16s} ...", end=" ", flush=True)
            waited = wait_quiet(args.wait_quiet) if args.wait_quiet else 0.0
            if waited >= 2.5:
                print(f"(waited {waited:.0f} s for a quieter machine)", end=" ", flush=True)
            rep = run_worker(name, args.device, s, env, s["timeout_s"])
            rep["waited_s"] = waited
            msg = "ok" if not rep["errors"] else "FAILED: " + "; ".join(
                f"{k}: {v['error'].splitlines()[0][:200]}" for k, v in rep["errors"].items())
            load = rep.get("other_load_cores")
            load = f"other load {load:4.2f} cores" if load is not None else ""
            print(f"{rep['wall_s']:6.1f} s  {load}  {msg}", flush=True)
            if name == "peak":
                peaks.append(rep)
            else:
                this[name] = rep
        rounds_out.append(this)
    if cache:
        cache.cleanup()
    peak_errors = [p["errors"] for p in peaks if p["errors"]]
    data, failures = assemble(args.device, configs, workloads, rounds_out,
                              [p for p in peaks if not p["errors"]], s, mode)
    backends = next((p["backends"] for p in peaks if "backends" in p), {})
    for rnd in rounds_out:
        for name, rep in rnd.items():
            if "tf_backends" in rep and "tensorflow" not in backends:
                backends["tensorflow"] = {**rep["tf_backends"],
                                          "oneDNN_notice_in_log": rep["onednn_notice"]}
    device_name = backends.get("cuda_device") if args.device == "cuda" else None
    total = time.perf_counter() - start
    doc = {
        "provenance": provenance.record(
            device=device_name, mode=mode, rounds=s["rounds"], intra_op_threads=threads,
            inter_op_threads=1, settings={k: v for k, v in s.items() if k != "workloads"},
            wait_quiet_s=args.wait_quiet,
            wall_s=round(total, 1)),
        "configs": {c: CONFIGS[c][1] for c in configs},
        "backends": backends,
        **data,
        "workers": [{n: {"wall_s": round(rep["wall_s"], 2),
                         "other_load_cores": rep.get("other_load_cores"),
                         "waited_s": round(rep.get("waited_s", 0.0), 1)}
                     for n, rep in [("peak", pk), *rnd.items()]}
                    for pk, rnd in zip(peaks, rounds_out)],
    }
    fatal = [f for f in failures if not f.get("note")]
    if peak_errors:
        fatal.append({"config": "peak", "workload": "*", "task": "*",
                      "error": str(peak_errors[0])[:500]})
    for f in failures:
        print(f"bench: {'NOTE' if f.get('note') else 'FAILED'} {f['config']} {f['workload']} "
              f"{f['task']}: {f['error'].splitlines()[0][:300]}", file=sys.stderr)
    if fatal:
        path = out_dir / "bench.failed.json"
        write_json(path, doc)
        print(f"bench: {len(fatal)} task(s) failed after {total:.0f} s; results kept in {path}; "
              f"no earlier bench.json was touched", file=sys.stderr)
        return 1
    fp = doc["provenance"]["fingerprint"]
    if store:
        paths = [RESULTS / "machines" / fp / "bench.json"]
        if args.device == "cpu":
            paths.append(RESULTS / "bench.json")
    else:
        paths = [out_dir / "bench.json"]
    for path in paths:
        write_json(path, doc)
        print(f"bench: wrote {path.relative_to(ROOT) if ROOT in path.parents else path}")
    if store:
        import bench_report
        for path in bench_report.render():
            print(f"bench: rendered {path.relative_to(ROOT)}")
    print(f"bench: done in {total:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
