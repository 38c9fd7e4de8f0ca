"""The check of early stopping: on the same scripted validation losses, Keras's EarlyStopping and the
explicit PyTorch loop stop after the same number of epochs, pick the same best epoch and restore
its weights (compared with the weights recorded at the end of that epoch, and across the two
frameworks); a second run that never stops early shows Keras 3 restoring the best weights at the
end of training all the same. Run alone it prints the check (job `early_check`); `results()` gives
the measured values and tolerances (job `early_check_data`)."""

# --8<-- [start:code]
import keras
import numpy as np
import torch
from torch import nn

import early_keras
import early_torch
from port_helpers import torch_to_keras  # 权重迁移一页的规则 / the rules of the porting-weights page

TOL = 1e-6  # 几步训练后量级为 1 的 float32 权重 / float32 weights of order 1 after a few steps
# 第 5 轮最好，之后 3 轮没有改进 / the best at epoch 5, then 3 epochs without improvement
VAL_LOSSES = [0.90, 0.70, 0.60, 0.62, 0.58, 0.61, 0.59, 0.60, 0.57, 0.56]
NO_STOP = [0.90, 0.70, 0.60, 0.62, 0.65]  # 最好的是第 3 轮，但耐心没有用完 / best at 3; patience never runs out
rng = np.random.default_rng(0)
x = rng.standard_normal((32, 4)).astype(np.float32)
y = rng.standard_normal((32, 1)).astype(np.float32)


def models():  # 两边同样的初始权重 / the same initial weights on both sides
    torch.manual_seed(0)
    t = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
    k = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)])
    torch_to_keras(t.state_dict(), k)
    return t, k


def keras_layout(model):  # Linear (out, in) → Dense (in, out)
    return [p.detach().numpy().T.copy() for p in model.parameters()]


def max_diff(a, b):
    return max(float(np.abs(u - v).max()) for u, v in zip(a, b, strict=True))


def torch_after(epochs):  # 参照：同样的初值只训练若干轮 / reference: the same start trained for a number of epochs
    model, _ = models()
    optimizer = torch.optim.SGD(model.parameters(), lr=early_torch.LR)
    for _ in range(epochs):
        early_torch.train_epoch(model, optimizer, torch.from_numpy(x), torch.from_numpy(y))
    return keras_layout(model)


def run(val_losses, **torch_options):
    t_model, k_model = models()
    t_ran, t_best = early_torch.fit_early_stopping(t_model, torch.from_numpy(x), torch.from_numpy(y),
                                                   val_losses, **torch_options)
    k_ran, k_best, k_epochs = early_keras.fit_early_stopping(k_model, x, y, val_losses)
    return {"epochs run": (t_ran, k_ran), "best epoch": (t_best, k_best),
            "restored vs best epoch": (max_diff(keras_layout(t_model), torch_after(t_best)),
                                       max_diff(k_model.get_weights(), k_epochs[k_best - 1])),
            "across": max_diff(keras_layout(t_model), k_model.get_weights()),
            "keras vs last epoch": max_diff(k_model.get_weights(), k_epochs[-1])}


found, no_stop = run(VAL_LOSSES), run(NO_STOP)
print(f"{'':12}{'PyTorch':>8}{'Keras':>8}")
for key in ("epochs run", "best epoch"):
    print(f"{key:12}{found[key][0]:8}{found[key][1]:8}")
print("restored weights vs the weights at the end of the best epoch:")
for side, diff in zip(("PyTorch", "Keras"), found["restored vs best epoch"]):
    print(f"  {side:8} max |Δ| = {diff} ≤ 0: {diff == 0}")
print(f"restored weights, PyTorch vs Keras: max |Δ| = {found['across']:.1e} ≤ {TOL:.0e}: {found['across'] <= TOL}")
print(f"no early stop ({len(NO_STOP)} epochs, best {no_stop['best epoch'][1]}), Keras weights after fit: "
      f"vs the best epoch max |Δ| = {no_stop['restored vs best epoch'][1]}, "
      f"vs the last epoch {no_stop['keras vs last epoch']:.1e}")
# --8<-- [end:code]


def results():
    compared = (f"4-8-1 MLP, full-batch SGD (lr {early_torch.LR}) on 32 samples, patience {early_torch.PATIENCE}, "
                f"scripted validation losses {VAL_LOSSES}")
    t_ran, k_ran = found["epochs run"]
    t_best, k_best = found["best epoch"]
    t_restored, k_restored = found["restored vs best epoch"]
    return {
        "epochs_run": {"measured": float(abs(t_ran - k_ran)), "tolerance": 0.0,
                       "compared": f"{compared}: epochs run, PyTorch loop vs Keras EarlyStopping"},
        "best_epoch": {"measured": float(abs(t_best - k_best)), "tolerance": 0.0,
                       "compared": f"{compared}: best epoch, PyTorch loop vs Keras EarlyStopping"},
        "torch_restored": {"measured": t_restored, "tolerance": 0.0,
                           "compared": f"{compared}: PyTorch weights after the loop vs the same model trained "
                                       "for the best epoch's number of epochs"},
        "keras_restored": {"measured": k_restored, "tolerance": 0.0,
                           "compared": f"{compared}: Keras weights after fit vs the weights recorded at the end "
                                       "of the best epoch"},
        "restored_across": {"measured": found["across"], "tolerance": TOL,
                            "compared": f"{compared}: restored weights, PyTorch vs Keras"},
        "keras_restores_without_stop": {
            "measured": no_stop["restored vs best epoch"][1], "tolerance": 0.0,
            "compared": f"same model, validation losses {NO_STOP} (no early stop): Keras weights after fit vs "
                        "the weights recorded at the end of the best epoch"},
    }
