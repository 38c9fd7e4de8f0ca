"""The check of gradient clipping: from the same weights and data, one SGD step with PyTorch's
clip_grad_norm_ and one with Keras's global_clipnorm give the same weights; Keras's clipnorm (each
variable clipped on its own) gives other weights, the same as clipping each PyTorch parameter on its
own. Run alone it prints the check (job `clip_check`); `results()` gives the measured values and
tolerances (job `clip_check_data`)."""

# --8<-- [start:code]
import keras
import numpy as np
import torch
from torch import nn

from clip_keras import keras_step
from clip_torch import LR, MAX_NORM, torch_step
from port_helpers import torch_to_keras  # 权重迁移一页的规则 / the rules of the porting-weights page

TOL = 1e-6  # 量级为 1 的 float32 权重，舍入约 1e-7 / float32 weights of order 1: rounding about 1e-7
rng = np.random.default_rng(0)
x = rng.standard_normal((16, 4)).astype(np.float32)
# 目标较大，梯度范数远超上限 / large targets: a gradient norm far above the cap
y = 3 * rng.standard_normal((16, 1)).astype(np.float32)


def models():  # 两边同样的初始权重 / the same initial weights on both sides
    torch.manual_seed(0)
    t = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
    k = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)])
    torch_to_keras(t.state_dict(), k)
    return t, k


def weights(model):  # Keras 的布局 / in Keras's layout: Linear (out, in) → Dense (in, out)
    if isinstance(model, nn.Module):
        return [p.detach().numpy().T.copy() for p in model.parameters()]
    return model.get_weights()


def max_diff(a, b):
    return max(float(np.abs(u - v).max()) for u, v in zip(weights(a), weights(b), strict=True))


def applied_norm(model, start):  # 实际用上的梯度的全局范数 = 权重变化 / LR / global norm of the gradient applied
    return float(np.sqrt(sum(np.sum((w - s) ** 2) for w, s in zip(weights(model), start)))) / LR


t_global, k_global = models()
t_each, k_each = models()
start = weights(t_global)
norm = torch_step(t_global, torch.from_numpy(x), torch.from_numpy(y))
torch_step(t_each, torch.from_numpy(x), torch.from_numpy(y), per_parameter=True)
keras_step(k_global, x, y)
keras_step(k_each, x, y, per_variable=True)
checks = {  # 名字：(比较的两边, max |Δ|) / name: (the two sides compared, max |Δ|)
    "global_clipnorm": ("clip_grad_norm_ vs global_clipnorm", max_diff(t_global, k_global)),
    "clipnorm": ("clip_grad_norm_ vs clipnorm", max_diff(t_global, k_each)),  # 陷阱 / the trap
    "clipnorm_per_parameter": ("each parameter clipped vs clipnorm", max_diff(t_each, k_each)),
}

print(f"gradient norm before clipping: {norm:.2f} > MAX_NORM = {MAX_NORM}: {norm > MAX_NORM}")
print(f"norm of the gradient applied: clip_grad_norm_ {applied_norm(t_global, start):.3f}, "
      f"global_clipnorm {applied_norm(k_global, start):.3f}, clipnorm {applied_norm(k_each, start):.3f}")
print("weights after one step:")
for pair, diff in checks.values():
    print(f"  {pair:36} max |Δ| = {diff:.1e} ≤ {TOL:.0e}: {diff <= TOL}")
# --8<-- [end:code]


def results():
    compared = "weights of a 4-8-1 MLP after one SGD step (lr 0.1) on 16 samples, gradients clipped to norm 1"
    side = {"global_clipnorm": "PyTorch clip_grad_norm_ vs Keras global_clipnorm",
            "clipnorm": "PyTorch clip_grad_norm_ vs Keras clipnorm (the trap)",
            "clipnorm_per_parameter": "PyTorch clip_grad_norm_ on each parameter alone vs Keras clipnorm"}
    return {name: {"measured": diff, "tolerance": TOL, "compared": f"{compared}: {side[name]}"}
            for name, (_, diff) in checks.items()}
