"""The check of reproducibility: repro_torch.py and repro_keras.py each run twice, every run in a
fresh process, and the losses of every training step are compared bit for bit between the two
runs of the same program (never across frameworks). With a random seed the two runs agree at
every step; without one they differ. Run alone it prints the check (job `repro_runs`);
`results()` gives the measured values (job `repro_runs_check`). Importing it starts nothing:
`check()` starts the runs."""

from typing import TYPE_CHECKING

# --8<-- [start:code]
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TIMEOUT = 120  # 每次运行的上限（秒）/ bound on one run, in seconds
PROGRAMS = {"PyTorch": Path(__file__).with_name("repro_torch.py"),
            "Keras": Path(__file__).with_name("repro_keras.py")}


def run(program):
    """在一个新进程中运行一次，返回它打印的损失 / one run in a fresh process: the losses it prints"""
    proc = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, timeout=TIMEOUT)
    if proc.returncode != 0:
        raise RuntimeError(f"{program.name} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


def two_runs(program):
    """同一个程序，两个新进程，同时开始 / the same program in two fresh processes, started together"""
    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(run, [program, program]))


def differing(a, b):
    """逐位比较：损失不相同的步数 / bit for bit: the number of steps whose losses are not identical"""
    return sum(x != y for x, y in zip(a, b, strict=True))


def check():
    """每个程序运行两次，逐个设置比较 / each program run twice, compared setting by setting"""
    counts = {}
    for framework, program in PROGRAMS.items():
        first, second = two_runs(program)
        for setting, losses in first.items():
            counts[framework, setting] = differing(losses, second[setting]), len(losses)
    return counts


if __name__ == "__main__":
    for (framework, setting), (n, steps) in check().items():
        print(f"{framework:7} {setting:20}  steps whose loss differs: {n:2} of {steps} ≤ 0: {n == 0}")
# --8<-- [end:code]

# Never run: pvt/pipeline/jobs.py finds a job's inputs among the modules its snippet imports, and the two
# programs this check starts are inputs too.
if TYPE_CHECKING:
    import repro_keras  # noqa: F401
    import repro_torch  # noqa: F401


def results():
    found = {}
    for (framework, setting), (n, steps) in check().items():
        key = f"{'torch' if framework == 'PyTorch' else 'keras'}_{setting.replace(' + ', '_').replace(' ', '_')}"
        found[key] = {"measured": float(n), "tolerance": 0.0,
                      "compared": f"training steps (of {steps}) whose loss differs bit for bit between two runs of "
                                  f"{PROGRAMS[framework].name}, each in a fresh process, setting '{setting}'"}
    return found
