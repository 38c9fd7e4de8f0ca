"""The check of the cosine schedule: CosineAnnealingLR stepped once per optimizer step, and
CosineDecay with decay_steps = T_max and alpha = eta_min / initial rate, apply the same learning
rate at every one of 100 optimizer steps. Three shown traps: T_max counted in epochs copied into
decay_steps, alpha given as an absolute rate, and steps past T_max (CosineAnnealingLR climbs back,
CosineDecay stays at its floor). Run alone it prints the check (job `schedule_check`); `results()`
gives the measured values and tolerances (job `schedule_check_data`)."""

# --8<-- [start:code]
import numpy as np

from schedule_keras import keras_lrs
from schedule_torch import ETA_MIN, LR, STEPS, torch_lrs

TOL = 1e-7  # 学习率不超过 0.1，float32 的舍入约 1e-8 / rates up to 0.1 rounded to float32: about 1e-8
EPOCHS, BATCHES = 10, 10  # STEPS = EPOCHS * BATCHES


def max_diff(a, b):
    return float(np.abs(np.subtract(a, b)).max())


torch_long, keras_long = torch_lrs(2 * STEPS + 1), keras_lrs(2 * STEPS + 1)  # 第 0–200 步 / steps 0 to 200
# PyTorch 文档示例的写法：每轮调用一次 scheduler.step() / as in PyTorch's example: once per epoch
per_epoch = torch_lrs(t_max=EPOCHS, scheduler_every=BATCHES)
checks = {
    "matched": max_diff(torch_long[:STEPS], keras_long[:STEPS]),
    "t_max_in_epochs": max_diff(per_epoch, keras_lrs(decay_steps=EPOCHS)),  # 照抄 T_max / T_max copied
    "alpha_absolute": max_diff(torch_long[:STEPS], keras_lrs(alpha=ETA_MIN)),  # alpha 写成绝对值 / absolute
    "past_t_max": max_diff(torch_long[STEPS:], keras_long[STEPS:]),  # 第 100–200 步 / steps 100–200
}
labels = {"matched": f"T_max = decay_steps = {STEPS}, alpha = {ETA_MIN} / {LR}",
          "t_max_in_epochs": f"T_max = {EPOCHS} epochs copied into decay_steps",
          "alpha_absolute": f"alpha = {ETA_MIN}, the absolute floor",
          "past_t_max": f"steps {STEPS}-{2 * STEPS}, past T_max"}
for name, diff in checks.items():
    print(f"{labels[name]:46} max |Δlr| = {diff:.1e} ≤ {TOL:.0e}: {diff <= TOL}")
for step in (0, STEPS // 2, STEPS, 3 * STEPS // 2, 2 * STEPS):
    print(f"step {step:3}: CosineAnnealingLR {torch_long[step]:.6f}, CosineDecay {keras_long[step]:.6f}")
# --8<-- [end:code]


def results():
    compared = ("learning rate applied at each SGD step, CosineAnnealingLR (scheduler.step() per optimizer step) "
                "vs CosineDecay")
    side = {"matched": f"steps 0-{STEPS - 1}, T_max = decay_steps, alpha = eta_min / initial rate",
            "t_max_in_epochs": f"PyTorch stepped once per epoch of {BATCHES} steps with T_max = {EPOCHS}, "
                               f"Keras decay_steps = {EPOCHS} (the trap)",
            "alpha_absolute": "alpha = eta_min instead of eta_min / initial rate (the trap)",
            "past_t_max": f"steps {STEPS}-{2 * STEPS}, beyond T_max = decay_steps (the trap)"}
    return {name: {"measured": diff, "tolerance": TOL, "compared": f"{compared}: {side[name]}"}
            for name, diff in checks.items()}
