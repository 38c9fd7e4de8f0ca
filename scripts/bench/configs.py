"""What the benchmark times: the tasks and the configurations, one list for runner and report.

A configuration is one way of running the same workload (snippets/bench_workloads.py); each
runs in its own process. `graph` marks the configurations that compile the step into a
graph, so that "best graph mode" can be chosen among them.
"""

from dataclasses import dataclass

TASKS = {"linreg": ("step", "run"), "mlp": ("train", "infer"), "cnn": ("train", "infer")}
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


CONFIGS = [
    Config("torch_eager", "torch", False, {"en": "PyTorch eager", "zh": "PyTorch 即时执行"}, {
        "en": "the usual zero_grad / forward / loss / backward / optimizer.step loop; "
              "inference: model(x) under torch.inference_mode()",
        "zh": "常见的 zero_grad / 前向 / 损失 / backward / optimizer.step 循环；"
              "推断：在 torch.inference_mode() 下调用 model(x)"}),
    Config("torch_compile", "torch", True, {"en": "torch.compile", "zh": "torch.compile"}, {
        "en": "the same loop on model = torch.compile(model) (default mode); inference: a "
              "torch.compile'd model under torch.inference_mode()",
        "zh": "同一个循环，模型换成 torch.compile(model)（默认模式）；"
              "推断：在 torch.inference_mode() 下调用编译后的模型"}),
    Config("tf_eager", "tf", False, {"en": "TF eager", "zh": "TF 即时执行"}, {
        "en": "a custom training step with tf.GradientTape, run eagerly; "
              "inference: model(x, training=False)",
        "zh": "用 tf.GradientTape 自己写的训练步，即时执行；推断：model(x, training=False)"}),
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
        "zh": "model.compile(SGD, loss) 全用默认值，model.fit(NumPy 数组, batch_size=批大小, "
              "verbose=0)，每次调用 {batches} 批（线性回归：与原文一样在 4 个点上 "
              "fit(epochs=...)）；推断：model.predict(NumPy 数组)"}),
    Config("keras_fit_tuned", "tf", True, {"en": "Keras fit (tuned)", "zh": "Keras fit（调优）"}, {
        "en": "a tf.data.Dataset with .cache() and .prefetch(AUTOTUNE), "
              "compile(steps_per_execution={spe}), {batches} batches per call (linear "
              "regression: the 100 full-batch updates as one epoch of a repeated dataset); "
              "inference: model.predict(dataset)",
        "zh": "tf.data.Dataset 加 .cache() 与 .prefetch(AUTOTUNE)，compile(steps_per_execution="
              "{spe})，每次调用 {batches} 批（线性回归：把 100 次全批量更新放进一个重复数据集的"
              "一轮）；推断：model.predict(数据集)"}),
]
BY_NAME = {c.name: c for c in CONFIGS}
CUDA_CONFIGS = ("torch_eager", "torch_compile")


def task_keys(workloads=TASKS):
    """'mlp/train', ... in table order."""
    return [f"{w}/{t}" for w in workloads for t in TASKS[w]]
