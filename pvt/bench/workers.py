"""One configuration in one long-lived process: build every task, then time turns on request.

The driver starts one worker per configuration. A worker builds its tasks (models, steps,
compiled functions), times each first call and calibrates it, reports `ready`, and then
waits, idle, for requests: `{"op": "turn", "task": "mlp/train"}` times one block of that
task and answers with its time per step. The driver interleaves the configurations block
by block, so within a round the blocks of any two configurations of a task alternate.

Protocol: one JSON object per line, requests on stdin, answers on the original stdout;
anything a library prints goes to stderr.
"""

import json
import os
import sys
import traceback

from pvt.bench import configs
from pvt.bench.timing import Task, loop
from pvt.common import snippet


def load_workloads():
    """snippets/bench_workloads.py, imported without echoing its printed summary."""
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        return snippet("bench_workloads")


def pipeline_tasks(make, sync=None):
    """One task per worker count: a step is one batch, a block is whole epochs (input_pipeline.epochs)."""
    p = snippet("input_pipeline")

    x, y = p.images()
    tasks = {}
    for task, workers in (("workers1", 1), ("workers2", 2)):
        loader = make(x, y, workers)
        tasks[task] = Task(lambda n, lo=loader: lambda: p.epochs(lo, n // p.BATCHES_PER_EPOCH), sync,
                           multiple=p.BATCHES_PER_EPOCH)
    return tasks


def compile_evidence(run):
    """Run `run()` (a first call) and count what torch.compile made of it: the graphs dynamo
    captured and the kernels inductor generated. An empty count means eager code ran."""
    from torch._dynamo.utils import counters
    from torch._inductor import metrics

    graphs, kernels = counters["stats"]["unique_graphs"], metrics.generated_kernel_count
    seconds = run()
    return seconds, {"graphs": counters["stats"]["unique_graphs"] - graphs,
                     "kernels": metrics.generated_kernel_count - kernels}


def torch_tasks(config, workload, device):
    import copy

    import torch

    w = load_workloads()
    dev = torch.device(device)
    sync = torch.cuda.synchronize if dev.type == "cuda" else None
    compiled = config == "torch_compile"
    if compiled:
        # Every torch.compile'd module enters dynamo through one shared frame, which dynamo
        # recompiles at most `recompile_limit` (8) times and then runs eagerly with a warning.
        # This process compiles a train and an inference model per workload: ten in all.
        torch._dynamo.config.recompile_limit = 64
    if compiled and workload == "transformer":
        # In eval() under inference_mode the layer would run as one fused operator (the
        # "fast path"), leaving torch.compile nothing to compile: the row would time eager code.
        torch.backends.mha.set_fastpath_enabled(False)
    model = w.torch_model(workload).to(dev)
    x, y = (torch.from_numpy(a).to(dev) for a in w.make_batch(workload, channels_first=True))
    optimizer = torch.optim.SGD(model.parameters(), lr=w.LR)
    step = w.torch_train_step(torch.compile(model) if compiled else model,
                              w.torch_loss(workload), optimizer, x, y)
    if workload == "linreg":
        return {"step": Task(lambda n: loop(step, n), sync),
                "run": Task(lambda n: loop(step, n * w.EPOCHS), sync)}, step
    # a copy in eval() mode (batch norm uses its running statistics), compiled on its own:
    # switching one model between modes would make torch.compile recompile between turns
    infer_model = copy.deepcopy(model).eval()
    infer_model = torch.compile(infer_model) if compiled else infer_model

    def infer_block(n):
        def block():
            with torch.inference_mode():
                for _ in range(n):
                    infer_model(x)
        return block
    return {"train": Task(lambda n: loop(step, n), sync), "infer": Task(infer_block, sync)}, step


def tf_block(fn, n):
    """n calls of fn; the clock stops once the last result exists."""
    def block():
        for _ in range(n):
            last = fn()
        last.numpy()
    return block


def tf_loop_tasks(config, workload):
    """The custom training step and forward pass: eager, tf.function or tf.function + XLA.
    Also returns, per task, the traced function and its arguments (the compile evidence)."""
    import keras
    import tensorflow as tf

    w = load_workloads()
    model, loss_fn = w.keras_model(workload), w.keras_loss(workload)
    optimizer = keras.optimizers.SGD(learning_rate=w.LR)
    optimizer.build(model.trainable_variables)
    step = w.tf_train_step(model, loss_fn, optimizer)

    def forward(x):
        return model(x, training=False)
    if config != "tf_eager":
        step = tf.function(step, jit_compile=config == "tf_xla")
        forward = tf.function(forward, jit_compile=config == "tf_xla")
    x_np, y_np = w.make_batch(workload)
    x, y = tf.constant(x_np), tf.constant(y_np)
    traced = {"train": (step, (x, y)), "infer": (forward, (x,))}

    def train():
        return step(x, y)
    if workload == "linreg":
        return {"step": Task(lambda n: tf_block(train, n)),
                "run": Task(lambda n: tf_block(train, n * w.EPOCHS))}, {"step": traced["train"],
                                                                       "run": traced["train"]}
    return {"train": Task(lambda n: tf_block(train, n)),
            "infer": Task(lambda n: tf_block(lambda: forward(x), n))}, traced


def tf_compile_evidence(config, fn, args):
    """How often tf.function traced `fn`, and for XLA the size of the HLO it compiles to."""
    found = {"traces": fn.experimental_get_tracing_count()}
    if config == "tf_xla":
        hlo = fn.experimental_get_compiler_ir(*args)(stage="hlo")
        found["hlo_instructions"] = sum(" = " in line for line in hlo.splitlines())
    return found


def keras_model(workload, tuned):
    import keras

    w = load_workloads()
    model = w.keras_model(workload)
    spe = configs.STEPS_PER_EXECUTION if tuned else 1
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=w.LR), loss=w.keras_loss(workload),
                  **({"steps_per_execution": spe} if tuned else {}))
    return model, {"backend": keras.backend.backend(), "jit_compile": bool(model.jit_compile),
                   "steps_per_execution": spe}


def keras_linreg_tasks(tuned):
    """Keras fit on the article's 4 points: as the article writes it (one update per epoch),
    or tuned (the same updates as one epoch of a repeated dataset)."""
    w = load_workloads()
    model, extra = keras_model("linreg", tuned)
    x_np, y_np = w.make_batch("linreg")
    if tuned:
        import tensorflow as tf

        def steps(n):
            ds = tf.data.Dataset.from_tensors((x_np, y_np)).cache().repeat(n).prefetch(tf.data.AUTOTUNE)
            return lambda: model.fit(ds, epochs=1, verbose=0)
        run = steps(w.EPOCHS)
        return {"step": Task(steps, multiple=extra["steps_per_execution"]),
                "run": Task(lambda n: loop(run, n))}, extra

    def epochs(n):
        return lambda: model.fit(x_np, y_np, batch_size=w.BATCH["linreg"], epochs=n, verbose=0)
    return {"step": Task(epochs), "run": Task(lambda n: loop(epochs(w.EPOCHS), n))}, extra


def keras_fit_tasks(workload, tuned, fit_batches):
    """Keras fit and predict: one call is one epoch of `per_call` batches, so a block of n steps
    is n / per_call calls and a step's time includes its share of the per-epoch overhead."""
    w = load_workloads()
    model, extra = keras_model(workload, tuned)
    batch = w.BATCH[workload]
    per_call = min(fit_batches, configs.FIT_BATCHES.get(workload, fit_batches))
    xs, ys = w.make_batch(workload, per_call)
    if tuned:
        import tensorflow as tf

        auto = tf.data.AUTOTUNE
        train_ds = tf.data.Dataset.from_tensor_slices((xs, ys)).batch(batch).cache().prefetch(auto)
        infer_ds = tf.data.Dataset.from_tensor_slices(xs).batch(batch).cache().prefetch(auto)

        def fit():
            model.fit(train_ds, epochs=1, verbose=0)

        def predict():
            model.predict(infer_ds, verbose=0)
    else:
        def fit():
            model.fit(xs, ys, batch_size=batch, epochs=1, verbose=0)

        def predict():
            model.predict(xs, batch_size=batch, verbose=0)
    extra["batches_per_call"] = per_call
    return {"train": Task(lambda n: loop(fit, n // per_call), multiple=per_call),
            "infer": Task(lambda n: loop(predict, n // per_call), multiple=per_call)}, extra


def ceiling_tasks(config, device, sizes=None):
    """The float32 GEMM rates of the libraries this configuration's process measures, one task
    per matrix size: {'ceiling/torch/2048': (Task, flops per step), ...}."""
    out = {}
    for key in configs.ceiling_keys(device, sizes):
        _, lib, size = key.split("/")
        n = int(size)
        if configs.CEILINGS[lib] != config:
            continue
        if lib == "torch":
            import torch

            dev = torch.device(device)
            a, b = torch.randn(n, n, device=dev), torch.randn(n, n, device=dev)
            c = torch.empty(n, n, device=dev)
            sync = torch.cuda.synchronize if dev.type == "cuda" else None
            task = Task(lambda k, a=a, b=b, c=c: loop(lambda: torch.mm(a, b, out=c), k), sync)
        elif lib == "numpy":
            import numpy as np

            rng = np.random.default_rng(0)
            an, bn = (rng.standard_normal((n, n), dtype=np.float32) for _ in range(2))
            cn = np.empty_like(an)
            task = Task(lambda k, a=an, b=bn, c=cn: loop(lambda: np.matmul(a, b, out=c), k))
        else:
            import tensorflow as tf

            at, bt = tf.random.normal((n, n), seed=0), tf.random.normal((n, n), seed=1)
            task = Task(lambda k, a=at, b=bt: tf_block(lambda: tf.linalg.matmul(a, b), k))
        out[key] = (task, 2 * n**3)
    return out


def crosscheck(step, threads, min_run_time):
    """The same step timed by torch.utils.benchmark, with its own calibration and statistics."""
    from torch.utils import benchmark

    timer = benchmark.Timer(stmt="step()", globals={"step": step}, num_threads=threads)
    m = timer.blocked_autorange(min_run_time=min_run_time)
    return {"median_ms": m.median * 1e3, "blocks": len(m.times), "steps_per_block": m.number_per_run}


def backends(library, device):
    import numpy as np

    info = {}
    if library == "torch":
        import torch

        info.update(torch_config=torch.__config__.show(),
                    torch_parallel_info=torch.__config__.parallel_info(),
                    torch_mkldnn_available=torch.backends.mkldnn.is_available(),
                    torch_mkl_available=torch.backends.mkl.is_available())
        if device == "cuda":
            info.update(cuda_device=torch.cuda.get_device_name(0), cuda_version=torch.version.cuda,
                        cudnn_version=torch.backends.cudnn.version(),
                        cuda_matmul_allow_tf32=torch.backends.cuda.matmul.allow_tf32)
        cfg = np.show_config(mode="dicts")
        info["numpy_blas"] = cfg.get("Build Dependencies", {}).get("blas", cfg)
    else:
        import tensorflow as tf

        info["TF_ENABLE_ONEDNN_OPTS"] = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "unset")
        info["build_info"] = {k: str(v) for k, v in tf.sysconfig.get_build_info().items()}
    return info


def error_record(exc, phase=None):
    """What the driver and the results keep of an exception."""
    record = {"error": f"{type(exc).__name__}: {exc}".strip()[:2000],
              "traceback": traceback.format_exc()[-4000:]}
    return {**record, "phase": phase} if phase else record


def set_threads(library, threads):
    """The same thread settings for both frameworks: intra-op = the cores, inter-op 1."""
    if library == "torch":
        import torch

        torch.set_num_threads(threads)
        torch.set_num_interop_threads(1)
    else:
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)


class Worker:
    def __init__(self, config, device, settings):
        self.config, self.device, self.settings = configs.BY_NAME[config], device, settings
        self.tasks, self.first_call_s, self.errors, self.extra = {}, {}, {}, {}
        self.steps, self.compiled = {}, {}

    def build(self, workload):
        """{task name: Task} of one workload, plus, per task, what shows it was compiled."""
        name, fit_batches = self.config.name, self.settings["fit_batches"]
        if workload == "pipeline":
            input_pipeline = snippet("input_pipeline")

            make = input_pipeline.torch_loader if self.config.computes == "torch" else input_pipeline.tf_dataset
            return pipeline_tasks(make), {}
        if name.startswith("torch_"):
            tasks, self.steps[workload] = torch_tasks(name, workload, self.device)
            return tasks, {}
        if name.startswith("tf_"):
            tasks, traced = tf_loop_tasks(name, workload)
            return tasks, (traced if self.config.compiled else {})
        tuned = name == "keras_fit_tuned"
        tasks, self.extra[workload] = (keras_linreg_tasks(tuned) if workload == "linreg"
                                       else keras_fit_tasks(workload, tuned, fit_batches))
        return tasks, {}

    def setup(self):
        set_threads(self.config.computes, self.settings["threads"])
        report = {"backends": backends(self.config.computes, self.device), "flops": {}}
        for workload in [w for w in self.settings["workloads"] if w in self.config.workloads]:
            try:
                if os.environ.get("BENCH_INJECT_FAILURE") == self.config.name:  # tests only
                    raise RuntimeError("injected failure (BENCH_INJECT_FAILURE)")
                tasks, traced = self.build(workload)
                if self.config.name == "torch_eager" and workload != "pipeline":
                    report["flops"][workload] = load_workloads().torch_flops(workload)
                for task_name, task in tasks.items():
                    key = f"{workload}/{task_name}"
                    self.start(key, task, configs.MIN_BLOCK_S.get(workload, 0.0))
                    if task_name in traced:
                        self.compiled[key] = tf_compile_evidence(self.config.name, *traced[task_name])
            except Exception as exc:  # noqa: BLE001 -- recorded; the other workloads go on
                self.errors[workload] = error_record(exc, getattr(exc, "bench_phase", "setup"))
                for key in [k for k in self.tasks if k.startswith(workload + "/")]:
                    del self.tasks[key]
        if os.environ.get("BENCH_INJECT_NO_COMPILE") == self.config.name:  # tests only
            self.compiled = {key: {what: 0 for what in found} for key, found in self.compiled.items()}
        ceilings = ceiling_tasks(self.config.name, self.device, self.settings.get("ceiling_sizes"))
        for key, (task, _) in ceilings.items():
            self.start(key, task)
        report.update(tasks=sorted(self.tasks), first_call_s=self.first_call_s,
                      steps_per_block={k: t.n for k, t in self.tasks.items()},
                      block_s={k: t.block_s for k, t in self.tasks.items()},
                      ceiling_flops={k: flops for k, (_, flops) in ceilings.items()},
                      compiled=self.compiled, errors=self.errors, extra=self.extra)
        return report

    def start(self, key, task, min_block_s=0.0):
        try:
            if self.config.name == "torch_compile":
                self.first_call_s[key], self.compiled[key] = compile_evidence(task.first_call)
            else:
                self.first_call_s[key] = task.first_call()
        except Exception as exc:
            exc.bench_phase = "first call"
            raise
        task.calibrate(max(self.settings["target_s"], min_block_s), self.settings["warmup_s"])
        self.tasks[key] = task

    def turn(self, key, crosscheck_too=False):
        sample = self.tasks[key].sample()
        out = {"sample_ms": sample}
        if crosscheck_too:  # right after the harness's block, on the same step
            xc = crosscheck(self.steps["mlp"], self.settings["threads"], self.settings["crosscheck_s"])
            out["crosscheck"] = {**xc, "harness_ms": sample}
        return out


def serve(config, device, settings):
    """The worker's main loop (see the module docstring for the protocol)."""
    answer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever a library prints must not reach the protocol
    sys.stdout = sys.stderr

    def send(obj):
        answer.write(json.dumps(obj) + "\n")
        answer.flush()

    worker = Worker(config, device, settings)
    try:
        send({"op": "ready", **worker.setup()})
    except Exception as exc:  # noqa: BLE001
        send({"op": "failed", **error_record(exc)})
        return 1
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "exit":
            break
        try:
            send({"op": "turn", **worker.turn(request["task"], request.get("crosscheck", False))})
        except Exception as exc:  # noqa: BLE001
            send({"op": "error", **error_record(exc)})
    return 0
