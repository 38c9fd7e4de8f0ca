"""The benchmark chapter's sentences still describe the committed measurements.

These compare stored numbers (docs/results/bench.json), not live timings: when a rerun of
`make bench` changes which configuration is faster, this fails and the prose is revised.
"""

import json

import pytest

from pages import DOCS

CPU = json.loads((DOCS / "results/bench.json").read_text(encoding="utf-8"))
GPU = json.loads((DOCS / "results/machines/gpu-nvidia-h200-16t-e3c4c4/bench.json").read_text(encoding="utf-8"))


def ratio(data, workload, task, config):
    (row,) = [r for r in data["results"] if (r["workload"], r["task"], r["config"]) == (workload, task, config)]
    return row["ratio_vs_torch_eager"]


def median(data, workload, task, config):
    (row,) = [r for r in data["results"] if (r["workload"], r["task"], r["config"]) == (workload, task, config)]
    return row["median_ms"]


CLAIMS = {
    "Keras fit one call per epoch is many times the PyTorch eager loop (linreg run)":
        lambda: ratio(CPU, "linreg", "run", "keras_fit") > 10,
    "one fit call for all updates is much faster than a call per epoch":
        lambda: median(CPU, "linreg", "run", "keras_fit_tuned") < median(CPU, "linreg", "run", "keras_fit") / 10,
    "TF eager is clearly slower than tf.function (MLP training)":
        lambda: median(CPU, "mlp", "train", "tf_eager") > 2 * median(CPU, "mlp", "train", "tf_function"),
    "on this CPU, torch.compile, tf.function and XLA are not faster than PyTorch eager (MLP training)":
        lambda: min(ratio(CPU, "mlp", "train", c) for c in ("torch_compile", "tf_function", "tf_xla")) > 1,
    "torch.compile's first call on CNN training takes tens of seconds (fresh cache, round 1)":
        lambda: next(r for r in CPU["results"] if (r["workload"], r["task"], r["config"]) ==
                     ("cnn", "train", "torch_compile"))["first_call_s"][0] >= 10,
    "CNN inference goes the other way for torch.compile":
        lambda: ratio(CPU, "cnn", "infer", "torch_compile") < 1,
    "on the GPU, torch.compile is not faster than eager (MLP training)":
        lambda: ratio(GPU, "mlp", "train", "torch_compile") > 1,
}


@pytest.mark.parametrize("claim", CLAIMS)
def test_claim_holds_for_the_committed_results(claim):
    assert CLAIMS[claim](), f"docs/benchmarks.*.md says: {claim!r}, which the stored results no longer show"
