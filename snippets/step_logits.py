"""The loss check of the training-step page: PyTorch's nn.CrossEntropyLoss on logits and integer
labels equals Keras's SparseCategoricalCrossentropy(from_logits=True); Keras's default
(from_logits=False) takes the logits for probabilities and gives another number. The argument
order (PyTorch: prediction, target; Keras: target, prediction) does not matter for MSE and does
for cross-entropy. Run alone it prints the check (job `step_logits`); `results()` gives the
measured values and tolerances (job `step_logits_check`)."""

# --8<-- [start:code]
import keras
import numpy as np
import torch
from torch import nn

TOL = 1e-6  # 损失约为 1 到 3，float32 的舍入 / losses between 1 and 3, float32 rounding
rng = np.random.default_rng(0)
logits = (2 * rng.standard_normal((32, 5))).astype(np.float32)  # 未经 softmax 的输出 / raw scores, no softmax
labels = rng.integers(0, 5, size=32)  # 类别编号 / class indices
z = rng.standard_normal((32, 1)).astype(np.float32)  # 二分类的 logits / binary logits
t = rng.integers(0, 2, size=(32, 1)).astype(np.float32)  # 0 或 1 / 0 or 1

# PyTorch：(预测, 目标) / PyTorch: (prediction, target)
ce = nn.CrossEntropyLoss()(torch.from_numpy(logits), torch.from_numpy(labels)).item()
bce = nn.BCEWithLogitsLoss()(torch.from_numpy(z), torch.from_numpy(t)).item()


def keras_ce(**options):
    loss_fn = keras.losses.SparseCategoricalCrossentropy(**options)
    return float(loss_fn(labels, logits))  # Keras：(目标, 预测) / Keras: (target, prediction)


keras_bce = keras.losses.BinaryCrossentropy(from_logits=True)
mse = keras.losses.MeanSquaredError()
checks = {
    "ce_from_logits": ("SparseCategoricalCrossentropy(from_logits=True)", abs(keras_ce(from_logits=True) - ce)),
    "ce_default": ("SparseCategoricalCrossentropy()", abs(keras_ce() - ce)),
    "bce_keras_order": ("BinaryCrossentropy(from_logits=True)(t, z)", abs(float(keras_bce(t, z)) - bce)),
    "bce_torch_order": ("BinaryCrossentropy(from_logits=True)(z, t)", abs(float(keras_bce(z, t)) - bce)),
    "mse_swapped": ("MeanSquaredError()(z, t) vs (t, z)", abs(float(mse(z, t)) - float(mse(t, z)))),
}
print(f"PyTorch CrossEntropyLoss()(logits, labels) = {ce:.6f}, BCEWithLogitsLoss()(z, t) = {bce:.6f}")
for label, d in checks.values():
    print(f"Keras {label:48} |Δ| = {d:.1e} ≤ {TOL:.0e}: {d <= TOL}")
try:  # 整数标签与 logits 颠倒，形状对不上 / integer labels and logits swapped: the shapes do not fit
    keras.losses.SparseCategoricalCrossentropy(from_logits=True)(logits, labels)
except ValueError as error:
    print(f"Keras SparseCategoricalCrossentropy(from_logits=True)(logits, labels): {type(error).__name__}")
# --8<-- [end:code]


def results():
    compared = {
        "ce_from_logits": "mean cross-entropy of 32 logit rows (5 classes) with integer labels: "
                          "nn.CrossEntropyLoss vs SparseCategoricalCrossentropy(from_logits=True)",
        "ce_default": "mean cross-entropy of the same logits: nn.CrossEntropyLoss vs "
                      "SparseCategoricalCrossentropy() at its default from_logits=False",
        "bce_keras_order": "mean binary cross-entropy of 32 logits: nn.BCEWithLogitsLoss(z, t) vs "
                           "BinaryCrossentropy(from_logits=True)(t, z)",
        "bce_torch_order": "mean binary cross-entropy of 32 logits: nn.BCEWithLogitsLoss(z, t) vs "
                           "BinaryCrossentropy(from_logits=True)(z, t), PyTorch's argument order",
        "mse_swapped": "Keras MeanSquaredError of the same two (32, 1) tensors in both argument orders",
    }
    return {name: {"measured": float(d), "tolerance": TOL, "compared": compared[name]}
            for name, (_, d) in checks.items()}
