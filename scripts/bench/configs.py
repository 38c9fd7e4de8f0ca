"""What the benchmark times: the tasks and the configurations, one list for runner and report.

A configuration is one way of running the same workload (snippets/bench_workloads.py); each
runs in its own process. `graph` marks the configurations that compile the step into a
graph, so that "best graph mode" can be chosen among them. The input-pipeline workload
(snippets/input_pipeline.py) has configurations of its own: a data loader is not a way of
running a model.
"""

from dataclasses import dataclass

MODEL_WORKLOADS = ("linreg", "mlp", "cnn", "resnet", "transformer")
TASKS = {"linreg": ("step", "run"), "mlp": ("train", "infer"), "cnn": ("train", "infer"),
         "resnet": ("train", "infer"), "transformer": ("train", "infer"),
         "pipeline": ("workers1", "workers2")}  # input pipeline with 1 and 2 workers
# Batches per Keras fit/predict call (a multiple of STEPS_PER_EXECUTION) where a step takes
# long enough that the run's default would make one call last many seconds.
FIT_BATCHES = {"resnet": 10, "transformer": 10}
# The shortest timed block of a workload, where the run's default is shorter: an input
# pipeline's block is whole epochs, each starting empty; half a second spans several of them.
MIN_BLOCK_S = {"pipeline": 0.5}
# The float32 matrix-multiply ceiling of each library, measured by the process named here
# in the same rounds as the workloads.
CEILINGS = {"torch": "torch_eager", "tf": "tf_eager", "numpy": "torch_eager"}
CEILING_N = {"cpu": 2048, "cuda": 8192}  # square matrices
STEPS_PER_EXECUTION = 10


@dataclass(frozen=True)
class Config:
    name: str
    framework: str  # "torch" or "tf": also the GEMM ceiling its % of ceiling is read against
    graph: bool
    label: dict
    what: dict  # what is timed; {spe} and {batches} are filled from the run's settings
    workloads: tuple = MODEL_WORKLOADS  # the workloads this configuration runs


CONFIGS = [
    Config("torch_eager", "torch", False, {"en": "PyTorch eager", "zh": "PyTorch 即时执行"}, {
        "en": "the usual `zero_grad()` → forward → loss → `backward()` → `optimizer.step()` loop; "
              "inference: `model(x)` under `torch.inference_mode()` (on an `eval()` copy of the model)",
        "zh": "常见的 `zero_grad()` → 前向 → 计算损失 → `backward()` → `optimizer.step()` 循环；"
              "推断：在 `torch.inference_mode()` 下调用 `model(x)`（用模型的 `eval()` 副本）"}),
    Config("torch_compile", "torch", True, {"en": "torch.compile", "zh": "torch.compile"}, {
        "en": "the same loop on model = torch.compile(model) (default mode); inference: a "
              "torch.compile'd model under torch.inference_mode()",
        "zh": "同一个循环，模型换成 torch.compile(model)（默认模式）；"
              "推断：在 torch.inference_mode() 下调用编译后的模型"}),
    Config("tf_eager", "tf", False, {"en": "TF eager", "zh": "TF 即时执行"}, {
        "en": "a custom training step with tf.GradientTape, run eagerly; "
              "inference: model(x, training=False)",
        "zh": "用 `tf.GradientTape` 手写的训练步骤，即时执行；推断：`model(x, training=False)`"}),
    Config("tf_function", "tf", True, {"en": "tf.function", "zh": "tf.function"}, {
        "en": "the same step and forward pass wrapped in tf.function",
        "zh": "同样的训练步与前向，包在 tf.function 里"}),
    Config("tf_xla", "tf", True, {"en": "tf.function + XLA", "zh": "tf.function + XLA"}, {
        "en": "the same, in tf.function(jit_compile=True)",
        "zh": "同上，用 tf.function(jit_compile=True)"}),
    Config("keras_fit", "tf", True, {"en": "Keras fit (defaults)", "zh": "Keras fit（默认设置）"}, {
        "en": "model.compile(SGD, loss) with defaults, model.fit(NumPy arrays, batch_size=the "
              "batch, verbose=0), {batches} batches per call (linear regression: fit(epochs=...) "
              "on the 4 points, as in the article); inference: model.predict(NumPy array)",
        "zh": "`model.compile(SGD, loss)` 全用默认值，`model.fit(x, y, batch_size=…, verbose=0)`"
              "（`x`、`y` 为 NumPy 数组），每次调用 {batches} 批（线性回归：与原文一样在 4 个点上 "
              "`fit(epochs=…)`）；推断：`model.predict(x)`（`x` 为 NumPy 数组）"}),
    Config("keras_fit_tuned", "tf", True, {"en": "Keras fit (tuned)", "zh": "Keras fit（调优）"}, {
        "en": "a tf.data.Dataset with .cache() and .prefetch(AUTOTUNE), "
              "compile(steps_per_execution={spe}), {batches} batches per call (linear "
              "regression: the 100 full-batch updates as one epoch of a repeated dataset); "
              "inference: model.predict(dataset)",
        "zh": "`tf.data.Dataset` 加 `.cache()` 与 `.prefetch(AUTOTUNE)`，`compile(steps_per_execution="
              "{spe})`，每次调用 {batches} 批（线性回归：把 100 次全批量更新放进一个重复数据集的"
              "一轮）；推断：`model.predict(dataset)`"}),
    Config("torch_dataloader", "torch", False, {"en": "torch DataLoader", "zh": "torch DataLoader"}, {
        "en": "`DataLoader(dataset, batch_size={pipeline_batch}, num_workers=1 or 2, "
              "persistent_workers=True)` over an in-memory `Dataset` whose `__getitem__` applies the "
              "transform in NumPy; a step is one batch, timed over whole epochs",
        "zh": "`DataLoader(dataset, batch_size={pipeline_batch}, num_workers=1 或 2, persistent_workers=True)`，"
              "数据集在内存中，它的 `__getitem__` 用 NumPy 做变换；一步是一批，按整轮计时"},
        workloads=("pipeline",)),
    Config("tf_data", "tf", False, {"en": "tf.data", "zh": "tf.data"}, {
        "en": "`Dataset.from_tensor_slices(images).map(transform, num_parallel_calls=1 or 2)"
              ".batch({pipeline_batch}).prefetch(AUTOTUNE)`, the transform in TensorFlow ops; a "
              "step is one batch, timed over whole epochs",
        "zh": "`Dataset.from_tensor_slices(images).map(transform, num_parallel_calls=1 或 2)"
              ".batch({pipeline_batch}).prefetch(AUTOTUNE)`，变换用 TensorFlow 运算；一步是一批，按整轮计时"},
        workloads=("pipeline",)),
]
BY_NAME = {c.name: c for c in CONFIGS}


def configs_for(workload):
    """The configurations that run a workload, in table order."""
    return [c for c in CONFIGS if workload in c.workloads]
CUDA_CONFIGS = ("torch_eager", "torch_compile")


def task_keys(workloads=TASKS):
    """'mlp/train', ... in table order."""
    return [f"{w}/{t}" for w in workloads for t in TASKS[w]]
