"""The results jobs: which snippet produces which result, and what each result depends on.

Pure bookkeeping, no running: the site build (pvt/store.py) imports this module to tell a
fresh result from a stale one; pvt/pipeline/results.py runs the jobs.
"""

import ast
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from pvt import provenance

ROOT = provenance.ROOT
SNIPPETS = ROOT / "snippets"
STORE = ROOT / "docs" / "results"
SEED = 0


@dataclass(frozen=True)
class Job:
    name: str
    snippet: str
    kind: str = "stdout"  # stdout | error | data


JOBS = [
    Job("linreg_torch", "snippets/linreg_torch.py"),
    Job("linreg_tf", "snippets/linreg_tf.py"),
    Job("seed_linreg_torch", "snippets/seed/linreg_torch_as_printed.py", "error"),
    Job("seed_linreg_tf", "snippets/seed/linreg_tf_as_printed.py", "error"),
    Job("forward_pass", "snippets/forward_pass.py"),
    Job("mse_gradient", "snippets/mse_gradient.py"),
    Job("pip_versions", "snippets/install/pip_versions.sh"),
    Job("requires_python", "snippets/install/requires_python.py", "data"),
    Job("epoch_labels", "snippets/seed/epoch_labels.py"),
    Job("keras_fit_facts", "snippets/keras_fit_facts.py"),
    Job("linreg_study", "snippets/linreg_study.py", "data"),
    Job("same_weights", "snippets/same_weights.py"),
    Job("equivalence", "snippets/same_weights.py", "data"),
    Job("bench_workloads", "snippets/bench_workloads.py"),
    Job("bench_flops", "snippets/bench_flops.py"),
    Job("pipeline_lines", "snippets/pipeline_lines.py"),
    Job("port_torch", "snippets/port_torch.py"),
    Job("port_keras", "snippets/port_keras.py"),
    Job("port_weights", "snippets/port_weights.py"),
    Job("port_weights_check", "snippets/port_weights.py", "data"),
    Job("pad_torch", "snippets/pad_torch.py"),
    Job("pad_keras", "snippets/pad_keras.py"),
    Job("pad_same_torch", "snippets/pad_same_torch.py", "error"),
    Job("pad_check", "snippets/pad_check.py"),
    Job("pad_check_data", "snippets/pad_check.py", "data"),
    Job("save_torch", "snippets/save_torch.py"),
    Job("save_torch_check", "snippets/save_torch.py", "data"),
    Job("save_keras", "snippets/save_keras.py"),
    Job("save_keras_check", "snippets/save_keras.py", "data"),
    Job("save_keras_savedmodel", "snippets/save_keras_savedmodel.py", "error"),
    Job("save_neutral", "snippets/save_neutral.py"),
    Job("save_neutral_check", "snippets/save_neutral.py", "data"),
    Job("export_torch", "snippets/export_torch.py"),
    Job("export_torch_check", "snippets/export_torch.py", "data"),
    Job("export_keras", "snippets/export_keras.py"),
    Job("export_keras_check", "snippets/export_keras.py", "data"),
    Job("export_keras_other", "snippets/export_keras_other.py"),
    Job("export_keras_other_check", "snippets/export_keras_other.py", "data"),
    Job("defaults", "snippets/defaults.py", "data"),
    Job("keras_backends", "snippets/keras_backends.py"),
    Job("keras_backends_check", "snippets/keras_backends.py", "data"),
    Job("step_loss", "snippets/step_loss.py"),
    Job("step_loss_check", "snippets/step_loss.py", "data"),
    Job("step_logits", "snippets/step_logits.py"),
    Job("step_logits_check", "snippets/step_logits.py", "data"),
    Job("step_layers", "snippets/step_layers.py"),
    Job("step_layers_check", "snippets/step_layers.py", "data"),
    Job("clip_check", "snippets/clip_check.py"),
    Job("clip_check_data", "snippets/clip_check.py", "data"),
    Job("schedule_check", "snippets/schedule_check.py"),
    Job("schedule_check_data", "snippets/schedule_check.py", "data"),
    Job("early_check", "snippets/early_check.py"),
    Job("early_check_data", "snippets/early_check.py", "data"),
    Job("data_parallel", "snippets/data_parallel.py"),
    Job("data_parallel_check", "snippets/data_parallel.py", "data"),
    Job("repro_runs", "snippets/repro_runs.py"),
    Job("repro_runs_check", "snippets/repro_runs.py", "data"),
    Job("custom_grad_torch", "snippets/custom_grad_torch.py"),
    Job("custom_grad_torch_check", "snippets/custom_grad_torch.py", "data"),
    Job("custom_grad_keras", "snippets/custom_grad_keras.py"),
    Job("custom_grad_keras_check", "snippets/custom_grad_keras.py", "data"),
    Job("amp_torch", "snippets/amp_torch.py"),
    Job("amp_torch_check", "snippets/amp_torch.py", "data"),
    Job("amp_keras", "snippets/amp_keras.py"),
    Job("amp_keras_check", "snippets/amp_keras.py", "data"),
    Job("data_order", "snippets/data_order.py"),
    Job("data_order_check", "snippets/data_order.py", "data"),
]

# The environment every job runs in: quiet TensorFlow logging, fixed hashing.
# Shell snippets find this interpreter's environment first on PATH, as in the tests.
JOB_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": str(SEED), "CUDA_VISIBLE_DEVICES": "",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def local_imports(path: Path, seen=None):
    """The snippet and every module under snippets/ it imports, transitively."""
    seen = seen if seen is not None else set()
    if path in seen:
        return seen
    seen.add(path)
    if path.suffix != ".py":
        return seen
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
        for name in names:
            candidate = SNIPPETS / (name.replace(".", "/") + ".py")
            if candidate.exists():
                local_imports(candidate, seen)
    return seen


def inputs(job: Job):
    """The files a job's result depends on, relative to the checkout."""
    return sorted(p.relative_to(ROOT).as_posix() if p.is_relative_to(ROOT) else str(p)
                  for p in local_imports(ROOT / job.snippet))


def code_hash(snippet: str):
    """sha256 of a snippet, the local modules it imports and the versions the lock pins."""
    digest = hashlib.sha256()
    for path in sorted(local_imports(ROOT / snippet)):
        digest.update((path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name).encode())
        digest.update(path.read_bytes())
    digest.update(json.dumps(provenance.locked_versions(), sort_keys=True).encode())
    return digest


def input_hash(job: Job) -> str:
    """Hash of what the result depends on: code and the versions the lock pins, not the machine."""
    digest = code_hash(job.snippet)
    digest.update(job.kind.encode())
    return digest.hexdigest()
