"""The check of the data-parallel page: two worker processes on 127.0.0.1, each training on its own
half of the global batch, end with the weights of one process trained on the whole batch, in
PyTorch (DistributedDataParallel, gloo) and in TensorFlow (MultiWorkerMirroredStrategy). The
launcher picks free ports at run time, bounds the run with a timeout, fails fast when a worker
dies, and ends every worker on success, on failure and on Ctrl-C. Run alone it prints the check
(job `data_parallel`); `results()` gives the measured values (job `data_parallel_check`)."""

# --8<-- [start:code]
import tempfile

import numpy as np

import ddp_worker
import mwms_worker
from dp_launch import ddp_commands, launch, mwms_commands

TOL = 1e-6  # float32：权重约为 1，求平均的顺序不同，舍入差在 1e-7 量级 / weights of order 1, rounding of order 1e-7


def check(name, commands, single_process):
    with tempfile.TemporaryDirectory() as folder:
        first, second = launch(commands(folder), folder)
    reference = single_process()  # 一个进程，整个批量 / one process, the whole batch
    between, to_single = float(np.abs(first - second).max()), float(np.abs(first - reference).max())
    print(f"{name:15}  worker 0 vs worker 1:   max |Δ| = {between} ≤ 0: {between == 0}")
    print(f"{name:15}  worker 0 vs one process: max |Δ| = {to_single:.1e} ≤ {TOL:.0e}: {to_single <= TOL}")
    return between, to_single


print(f"{ddp_worker.WORLD} workers × {ddp_worker.BATCH} samples vs one process × "
      f"{ddp_worker.WORLD * ddp_worker.BATCH} samples, {ddp_worker.STEPS} SGD steps each")
ddp = check("PyTorch DDP", ddp_commands, ddp_worker.single_process)
mwms = check("TensorFlow MWMS", mwms_commands, mwms_worker.single_process)
# --8<-- [end:code]


def results():
    setup = (f"{ddp_worker.WORLD} worker processes on 127.0.0.1, {ddp_worker.STEPS} SGD steps of an MLP 4-8-1 "
             f"with {ddp_worker.BATCH} samples each")
    found = {}
    for key, (between, to_single) in (("ddp", ddp), ("mwms", mwms)):
        framework = {"ddp": "PyTorch DistributedDataParallel (gloo)",
                     "mwms": "TensorFlow MultiWorkerMirroredStrategy"}[key]
        found[f"{key}_workers_identical"] = {
            "measured": between, "tolerance": 0.0,
            "compared": f"{framework}: the final weights of worker 0 and worker 1; {setup}"}
        found[f"{key}_vs_single_process"] = {
            "measured": to_single, "tolerance": TOL,
            "compared": f"{framework}: worker 0's final weights and those of one process trained on the "
                        f"concatenated batch of {ddp_worker.WORLD * ddp_worker.BATCH}; {setup}"}
    return found
