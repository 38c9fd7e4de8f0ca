"""The check of the training-step page: from PyTorch's initial weights, five full-batch steps in
PyTorch and in Keras (`model.fit` and a `tf.GradientTape` loop) give the same loss at every step,
with SGD and with Adam once the epsilons are matched; left at their defaults the Adam losses
drift apart. One weight under a constant gradient shows why matching the number is not the whole
story: Keras adds epsilon to √v before the bias correction ("epsilon hat"), PyTorch to √v̂ after
it. Run alone it prints the check (job `step_loss`); `results()` gives the measured values and
tolerances (job `step_loss_check`)."""

# --8<-- [start:code]
import keras
import numpy as np
import tensorflow as tf
import torch

from step_keras import train_fit, train_tape
from step_torch import train_torch

TOL = 1e-5  # 损失约为 0.5，给 float32 的舍入留出余量 / losses near 0.5, room for float32 rounding


def max_diff(a, b):
    return max(abs(p - q) for p, q in zip(a, b, strict=True))


reference = {  # PyTorch 的三次运行；eps 默认为 1e-8 / PyTorch's three runs; eps defaults to 1e-8
    "SGD": train_torch("sgd"), "Adam eps=1e-8": train_torch("adam"), "Adam eps=1e-7": train_torch("adam", eps=1e-7)}
runs = {  # 名称：(说明, Keras 的损失, 对照的 PyTorch 运行) / name: (label, Keras's losses, PyTorch run compared)
    "sgd_fit": ("fit, SGD", train_fit("sgd"), "SGD"),
    "sgd_tape": ("tape, SGD", train_tape("sgd"), "SGD"),
    "adam_fit": ("fit, Adam epsilon=1e-8", train_fit("adam", epsilon=1e-8), "Adam eps=1e-8"),
    "adam_tape": ("tape, Adam epsilon=1e-8", train_tape("adam", epsilon=1e-8), "Adam eps=1e-8"),
    "adam_defaults": ("tape, Adam default", train_tape("adam"), "Adam eps=1e-8"),  # 默认 / default epsilon=1e-7
    "adam_both_1e-7": ("tape, Adam epsilon=1e-7", train_tape("adam", epsilon=1e-7), "Adam eps=1e-7"),
}
checks = {name: max_diff(losses, reference[ref]) for name, (_, losses, ref) in runs.items()}
print(f"{'loss before each update':32} {'steps 1 to 5':44}  max |Δ| vs PyTorch")
for ref, losses in reference.items():
    print(f"{'PyTorch, ' + ref:32} {' '.join(f'{v:.6f}' for v in losses)}")
    for name, (label, theirs, of) in runs.items():
        if of == ref:
            d = checks[name]
            print(f"{'  Keras ' + label:32} {' '.join(f'{v:.6f}' for v in theirs)}  {d:.1e} ≤ {TOL:.0e}: {d <= TOL}")


def adam_positions(eps, g=1e-7, steps=3):
    """单个权重从 0 出发、梯度恒为 g：每步之后的位置 / one weight from 0, gradient g at every step: its position."""
    w_torch = torch.zeros(1, requires_grad=True)
    opt_torch = torch.optim.Adam([w_torch], lr=1.0, eps=eps)
    w_keras = keras.Variable(np.zeros(1, np.float32))
    opt_keras = keras.optimizers.Adam(learning_rate=1.0, epsilon=eps)
    ours, theirs = [], []
    for _ in range(steps):
        w_torch.grad = torch.full((1,), g)
        opt_torch.step()
        opt_keras.apply_gradients([(tf.constant([g]), w_keras)])
        ours.append(-w_torch.item())
        theirs.append(-float(w_keras.numpy()[0]))
    return ours, theirs


def predicted(eps, g=1e-7, steps=3, keras_rule=False):  # 梯度恒定时 m̂ = g，v̂ = g² / constant g: m̂ = g, v̂ = g²
    beta_2, moves = 0.999, []
    for t in range(1, steps + 1):
        e = eps / np.sqrt(1 - beta_2**t) if keras_rule else eps  # Keras 把 ε 加在 √v 上 / Keras adds ε to √v
        moves.append(g / (abs(g) + e))
    return list(np.cumsum(moves))


ours, theirs = adam_positions(1e-7)
rules = {"adam_rule_pytorch": ("PyTorch vs ε added to √v̂", max_diff(ours, predicted(1e-7))),
         "adam_rule_keras": ("Keras vs ε/√(1−β₂ᵗ) added to √v̂", max_diff(theirs, predicted(1e-7, keras_rule=True))),
         "adam_rule_same": ("Keras vs PyTorch", max_diff(theirs, ours))}
print("\none weight, gradient 1e-07 at every step, eps = epsilon = 1e-07, lr = 1: position after steps 1, 2, 3")
print("PyTorch", " ".join(f"{v:.6f}" for v in ours), "   Keras", " ".join(f"{v:.6f}" for v in theirs))
for label, d in rules.values():
    print(f"{label:34} max |Δ| = {d:.1e} ≤ {TOL:.0e}: {d <= TOL}")
# --8<-- [end:code]


def results():
    steps = "the MSE before each of 5 full-batch steps of the same MLP from the same weights"
    compared = {
        "sgd_fit": f"{steps}, SGD lr 0.1: PyTorch loop vs Keras model.fit",
        "sgd_tape": f"{steps}, SGD lr 0.1: PyTorch loop vs Keras GradientTape loop",
        "adam_fit": f"{steps}, Adam lr 0.01, eps = epsilon = 1e-8: PyTorch loop vs Keras model.fit",
        "adam_tape": f"{steps}, Adam lr 0.01, eps = epsilon = 1e-8: PyTorch loop vs Keras GradientTape loop",
        "adam_defaults": f"{steps}, Adam lr 0.01 at the defaults (eps 1e-8, epsilon 1e-7): PyTorch vs Keras",
        "adam_both_1e-7": f"{steps}, Adam lr 0.01, eps = epsilon = 1e-7: PyTorch vs Keras GradientTape loop",
        "adam_rule_pytorch": "position of one weight after 3 PyTorch Adam steps (gradient 1e-7, eps 1e-7) "
                             "vs lr·g/(|g|+ε) per step",
        "adam_rule_keras": "position of one weight after 3 Keras Adam steps (gradient 1e-7, epsilon 1e-7) "
                           "vs lr·g/(|g|+ε/√(1−β₂ᵗ)) per step",
        "adam_rule_same": "position of one weight after 3 Adam steps (gradient 1e-7, eps = epsilon = 1e-7), "
                          "Keras vs PyTorch",
    }
    found = {**checks, **{name: d for name, (_, d) in rules.items()}}
    return {name: {"measured": float(d), "tolerance": TOL, "compared": compared[name]} for name, d in found.items()}
