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

from bench import configs
from bench.timing import Task, loop


def load_workloads():
    """snippets/bench_workloads.py, imported without echoing its printed summary."""
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        import bench_workloads
    return bench_workloads


def pipeline_tasks(make, sync=None):
    """One task per worker count: a step is one batch, a block is whole epochs (input_pipeline.epochs)."""
    import input_pipeline as p

    x, y = p.images()
    tasks = {}
    for task, workers in (("workers1", 1), ("workers2", 2)):
        loader = make(x, y, workers)
        tasks[task] = Task(lambda n, lo=loader: lambda: p.epochs(lo, n // p.BATCHES_PER_EPOCH), sync,
                           multiple=p.BATCHES_PER_EPOCH)
    return tasks


def torch_tasks(config, workload, device):
    import copy

    import torch

    if workload == "pipeline":
        import input_pipeline

        return pipeline_tasks(input_pipeline.torch_loader), None
    w = load_workloads()
    dev = torch.device(device)
    sync = torch.cuda.synchronize if dev.type == "cuda" else None
    model = w.torch_model(workload).to(dev)
    x, y = (torch.from_numpy(a).to(dev) for a in w.make_batch(workload, channels_first=True))
    optimizer = torch.optim.SGD(model.parameters(), lr=w.LR)
    compiled = config == "torch_compile"
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


def tf_tasks(config, workload, s):
    import keras
    import tensorflow as tf

    if workload == "pipeline":
        import input_pipeline

        return pipeline_tasks(input_pipeline.tf_dataset), {}
    w = load_workloads()
    model, loss_fn = w.keras_model(workload), w.keras_loss(workload)
    batch = w.BATCH[workload]
    x_np, y_np = w.make_batch(workload)
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
                last.numpy()  # the last result exists before the clock stops
            return block

        def train():
            return step(x, y)
        if workload == "linreg":
            return {"step": Task(lambda n: block_of(train, n)),
                    "run": Task(lambda n: block_of(train, n * w.EPOCHS))}, {}
        return {"train": Task(lambda n: block_of(train, n)),
                "infer": Task(lambda n: block_of(lambda: forward(x), n))}, {}

    tuned = config == "keras_fit_tuned"
    spe = configs.STEPS_PER_EXECUTION if tuned else 1
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=w.LR), loss=loss_fn,
                  **({"steps_per_execution": spe} if tuned else {}))
    extra = {"jit_compile": bool(model.jit_compile), "steps_per_execution": spe}
    auto = tf.data.AUTOTUNE
    if workload == "linreg":
        if tuned:  # the same full-batch updates, as one epoch of repeated batches
            def steps(n):
                ds = tf.data.Dataset.from_tensors((x_np, y_np)).cache().repeat(n).prefetch(auto)
                return lambda: model.fit(ds, epochs=1, verbose=0)
            run = steps(w.EPOCHS)
            return {"step": Task(steps, multiple=spe),
                    "run": Task(lambda n: loop(run, n))}, extra

        def epochs(n):
            return lambda: model.fit(x_np, y_np, batch_size=batch, epochs=n, verbose=0)
        return {"step": Task(epochs), "run": Task(lambda n: loop(epochs(w.EPOCHS), n))}, extra

    # one fit (predict) call is one epoch of `fit_batches` batches; a block of n steps is
    # n / fit_batches calls, so a step's time includes its share of the per-epoch overhead
    per_call = min(s["fit_batches"], configs.FIT_BATCHES.get(workload, s["fit_batches"]))
    xs, ys = w.make_batch(workload, per_call)
    if tuned:
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


def ceiling_tasks(config, device):
    """The float32 GEMM ceiling of the libraries this configuration's process measures."""
    n = configs.CEILING_N[device]
    out = {}
    for lib, owner in configs.CEILINGS.items():
        if owner != config or (lib != "torch" and device != "cpu"):
            continue
        if lib == "torch":
            import torch

            dev = torch.device(device)
            a, b = torch.randn(n, n, device=dev), torch.randn(n, n, device=dev)
            c = torch.empty(n, n, device=dev)
            sync = torch.cuda.synchronize if dev.type == "cuda" else None
            out["torch"] = Task(lambda k, a=a, b=b, c=c: loop(lambda: torch.mm(a, b, out=c), k), sync)
        elif lib == "numpy":
            import numpy as np

            rng = np.random.default_rng(0)
            an, bn = (rng.standard_normal((n, n), dtype=np.float32) for _ in range(2))
            cn = np.empty_like(an)
            out["numpy"] = Task(lambda k, a=an, b=bn, c=cn: loop(lambda: np.matmul(a, b, out=c), k))
        else:
            import tensorflow as tf

            at, bt = tf.random.normal((n, n), seed=0), tf.random.normal((n, n), seed=1)

            def tf_block(k, a=at, b=bt):
                def block():
                    for _ in range(k):
                        c = tf.linalg.matmul(a, b)
                    c[0, 0].numpy()
                return block
            out["tf"] = Task(tf_block)
    return out, 2 * n**3


def crosscheck(step, threads, min_run_time):
    """The same step timed by torch.utils.benchmark, with its own calibration and statistics."""
    from torch.utils import benchmark

    timer = benchmark.Timer(stmt="step()", globals={"step": step}, num_threads=threads)
    m = timer.blocked_autorange(min_run_time=min_run_time)
    return {"median_ms": m.median * 1e3, "blocks": len(m.times), "steps_per_block": m.number_per_run}


def backends(framework, device):
    import numpy as np

    info = {}
    if framework == "torch":
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


class Worker:
    def __init__(self, config, device, s):
        self.config, self.device, self.s = config, device, s
        self.tasks, self.first_call_s, self.errors, self.extra = {}, {}, {}, {}
        self.steps = {}

    def setup(self):
        framework = configs.BY_NAME[self.config].framework
        threads = self.s["threads"]
        if framework == "torch":
            import torch

            torch.set_num_threads(threads)
            torch.set_num_interop_threads(1)
        else:
            import tensorflow as tf

            tf.config.threading.set_intra_op_parallelism_threads(threads)
            tf.config.threading.set_inter_op_parallelism_threads(1)
        report = {"backends": backends(framework, self.device), "flops": {}}
        for workload in [w for w in self.s["workloads"] if w in configs.BY_NAME[self.config].workloads]:
            try:
                if os.environ.get("BENCH_INJECT_FAILURE") == self.config:  # tests only
                    raise RuntimeError("injected failure (BENCH_INJECT_FAILURE)")
                if framework == "torch":
                    tasks, self.steps[workload] = torch_tasks(self.config, workload, self.device)
                    if workload != "pipeline":
                        report["flops"][workload] = load_workloads().torch_flops(workload)
                else:
                    tasks, extra = tf_tasks(self.config, workload, self.s)
                    if extra:
                        self.extra[workload] = extra
                for name, task in tasks.items():
                    self.start(f"{workload}/{name}", task, configs.MIN_BLOCK_S.get(workload, 0.0))
            except Exception as exc:  # noqa: BLE001 -- recorded; the other workloads go on
                self.errors[workload] = {
                    "error": f"{type(exc).__name__}: {exc}".strip()[:2000],
                    "phase": getattr(exc, "bench_phase", "setup"),
                    "traceback": traceback.format_exc()[-4000:]}
                for key in [k for k in self.tasks if k.startswith(workload + "/")]:
                    del self.tasks[key]
        ceilings, report["ceiling_flops"] = ceiling_tasks(self.config, self.device)
        for lib, task in ceilings.items():
            self.start(f"ceiling/{lib}", task)
        report.update(tasks=sorted(self.tasks), first_call_s=self.first_call_s,
                      steps_per_block={k: t.n for k, t in self.tasks.items()},
                      block_s={k: t.block_s for k, t in self.tasks.items()},
                      errors=self.errors, extra=self.extra)
        return report

    def start(self, key, task, min_block_s=0.0):
        try:
            self.first_call_s[key] = task.first_call()
        except Exception as exc:
            exc.bench_phase = "first call"
            raise
        task.calibrate(max(self.s["target_s"], min_block_s), self.s["warmup_s"])
        self.tasks[key] = task

    def turn(self, key, crosscheck_too=False):
        sample = self.tasks[key].sample()
        out = {"sample_ms": sample}
        if crosscheck_too:  # right after the harness's block, on the same step
            xc = crosscheck(self.steps["mlp"], self.s["threads"], self.s["crosscheck_s"])
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
        send({"op": "failed", "error": f"{type(exc).__name__}: {exc}"[:2000],
              "traceback": traceback.format_exc()[-4000:]})
        return 1
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "exit":
            break
        try:
            send({"op": "turn", **worker.turn(request["task"], request.get("crosscheck", False))})
        except Exception as exc:  # noqa: BLE001
            send({"op": "error", "error": f"{type(exc).__name__}: {exc}"[:2000],
                  "traceback": traceback.format_exc()[-4000:]})
    return 0
