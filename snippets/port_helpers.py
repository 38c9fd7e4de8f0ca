"""Every layout rule of weight porting, written once: PyTorch Linear/Conv2d/BatchNorm2d (a model's
state_dict or a weight file) to Keras Dense/Conv2D/BatchNormalization and back, including the row
order of the first Dense layer after Flatten (NCHW flattens as C, H, W; NHWC as H, W, C)."""

# --8<-- [start:code]
import numpy as np
import torch
from keras import layers
from torch import nn


def chw_to_hwc(kernel, c, h, w):  # Dense 核的行：(C,H,W) 顺序 → (H,W,C) 顺序 / kernel rows: C,H,W order → H,W,C
    return kernel.reshape(c, h, w, -1).transpose(1, 2, 0, 3).reshape(c * h * w, -1)


def hwc_to_chw(kernel, c, h, w):
    return kernel.reshape(h, w, c, -1).transpose(2, 0, 1, 3).reshape(c * h * w, -1)


def torch_to_keras(state, keras_model, flat=None, eps=1e-5):
    """state：PyTorch 的 state_dict，来自模型或文件 / PyTorch's state_dict, from a model or a file;
    flat：Flatten 之前的 (C, H, W) / (C, H, W) before Flatten; eps：PyTorch 的 BatchNorm eps."""
    groups = {}  # "0.weight" → groups["0"]["weight"]
    for name, value in state.items():
        layer, _, kind = name.rpartition(".")
        if kind != "num_batches_tracked":
            groups.setdefault(layer, {})[kind] = np.asarray(value)
    for p, k in zip(groups.values(), [k for k in keras_model.layers if k.weights], strict=True):
        if isinstance(k, layers.Dense):  # (out, in) → (in, out)
            kernel = p["weight"].T
            kernel, flat = (chw_to_hwc(kernel, *flat), None) if flat else (kernel, flat)
            k.set_weights([kernel, p["bias"]])
        elif isinstance(k, layers.Conv2D):  # OIHW → HWIO
            k.set_weights([p["weight"].transpose(2, 3, 1, 0), p["bias"]])
        else:  # weight, bias, running_mean, running_var → gamma, beta, moving_mean, moving_variance
            k.set_weights([p["weight"], p["bias"], p["running_mean"], p["running_var"]])
            k.epsilon = eps  # PyTorch 默认 1e-5，Keras 默认 1e-3 / PyTorch's default 1e-5, Keras's 1e-3


def keras_to_torch(keras_model, torch_model, flat=None):
    pairs = zip([k for k in keras_model.layers if k.weights],
                [m for m in torch_model.modules() if isinstance(m, (nn.Linear, nn.Conv2d, nn.BatchNorm2d))],
                strict=True)
    for k, t in pairs:
        w = [np.asarray(v) for v in k.get_weights()]
        if isinstance(k, layers.Dense):
            kernel, flat = (hwc_to_chw(w[0], *flat), None) if flat else (w[0], flat)
            new = {"weight": kernel.T, "bias": w[1]}
        elif isinstance(k, layers.Conv2D):  # HWIO → OIHW
            new = {"weight": w[0].transpose(3, 2, 0, 1), "bias": w[1]}
        else:
            new = dict(zip(["weight", "bias", "running_mean", "running_var"], w))
            t.eps = k.epsilon
        t.load_state_dict({name: torch.from_numpy(v) for name, v in new.items()}, strict=False)
# --8<-- [end:code]
