"""What the benchmark times: the tasks and the configurations, one list for runner and report.

A configuration is one way of running the same workload (snippets/bench_workloads.py); each
runs in its own process. `graph` marks the configurations that compile the step into a
graph, so that "best graph mode" can be chosen among them. The input-pipeline workload
(snippets/input_pipeline.py) has configurations of its own: a data loader is not a way of
running a model. This file is a benchmark input (hashed); the words the pages show for each
configuration are in pvt/strings.toml (`config.<name>.label` / `.what`), which is not.
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
# The float32 matrix-multiply rates measured in the same rounds as the workloads, by the
# process named here, for square matrices of each size. The machine's ceiling is the best
# block of any of them: an upper bound that the report checks no workload exceeds.
CEILINGS = {"torch": "torch_eager", "tf": "tf_eager", "numpy": "torch_eager"}
CEILING_SIZES = {"cpu": (1024, 2048, 4096), "cuda": (4096, 8192)}
STEPS_PER_EXECUTION = 10
# A task that calls the function another task compiled: its evidence of compiling is that one's.
SAME_FUNCTION = {"linreg/run": "linreg/step"}


@dataclass(frozen=True)
class Config:
    name: str
    framework: str  # "torch", "tf" or "keras" (Keras on another backend): what best:/graph: pick from
    graph: bool
    backend: str = ""  # the library that computes, where it is not the framework itself
    workloads: tuple = MODEL_WORKLOADS  # the workloads this configuration runs
    compiled: bool = False  # the run fails unless the worker shows evidence of a compiled graph

    @property
    def computes(self) -> str:
        """"torch" or "tf": the library this configuration's process imports and runs."""
        return self.backend or self.framework


CONFIGS = [
    Config("torch_eager", "torch", False),
    Config("torch_compile", "torch", True, compiled=True),
    Config("tf_eager", "tf", False),
    Config("tf_function", "tf", True, compiled=True),
    Config("tf_xla", "tf", True, compiled=True),
    Config("keras_fit", "tf", True),
    Config("keras_fit_tuned", "tf", True),
    Config("keras_torch_fit", "keras", False, backend="torch"),
    Config("torch_dataloader", "torch", False, workloads=("pipeline",)),
    Config("tf_data", "tf", False, workloads=("pipeline",)),
]
BY_NAME = {c.name: c for c in CONFIGS}
CUDA_CONFIGS = ("torch_eager", "torch_compile")


def configs_for(workload):
    """The configurations that run a workload, in table order."""
    return [c for c in CONFIGS if workload in c.workloads]


def task_keys(workloads=TASKS):
    """'mlp/train', ... in table order."""
    return [f"{w}/{t}" for w in workloads for t in TASKS[w]]


def ceiling_keys(device, sizes=None):
    """'ceiling/torch/2048', ...: one task per library and matrix size."""
    libs = ("torch",) if device != "cpu" else tuple(CEILINGS)
    return [f"ceiling/{lib}/{n}" for lib in libs for n in sizes or CEILING_SIZES[device]]
