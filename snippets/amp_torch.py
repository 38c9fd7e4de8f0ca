"""Mixed precision on the CPU in PyTorch: the same small MLP trained for a few steps in float32 and
under torch.autocast("cpu", dtype=torch.bfloat16), from the same initial weights. Under autocast
the layers compute in bfloat16 while the parameters stay float32, and every step's loss stays
within a relative tolerance of the float32 run. Run alone it prints the check (job `amp_torch`);
`results()` gives the measured values (job `amp_torch_check`)."""

# --8<-- [start:code]
import copy

import numpy as np
import torch
from torch import nn

# bfloat16 只有 8 位有效二进制位：每次舍入的相对误差可达 2⁻⁸ ≈ 3.9e-3，输入、权重和激活都要舍入
# bfloat16 keeps 8 significant bits: each rounding is off by up to 2⁻⁸ ≈ 3.9e-3, of inputs, weights, activations
TOL = 1e-2  # 损失的相对容差 / relative tolerance on the loss
STEPS = 5
rng = np.random.default_rng(0)
x = torch.from_numpy(rng.standard_normal((64, 16)).astype(np.float32))
y = torch.from_numpy(rng.standard_normal((64, 1)).astype(np.float32))
torch.manual_seed(0)
start = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 1))  # 两次训练的共同起点 / both runs start here


def train(bf16):
    model = copy.deepcopy(start)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for _ in range(STEPS):
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            out = model(x)
        loss = nn.functional.mse_loss(out.float(), y)  # 损失在 float32 中计算 / the loss in float32
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return np.array(losses), out.dtype, {p.dtype for p in model.parameters()}


f32, _, _ = train(bf16=False)
losses, out_dtype, param_dtypes = train(bf16=True)
rel = float(np.max(np.abs(losses - f32) / np.abs(f32)))
print(f"output under autocast: {out_dtype}; bfloat16: {out_dtype == torch.bfloat16}")
print(f"parameters after training: {sorted(map(str, param_dtypes))}; all float32: {param_dtypes == {torch.float32}}")
print(f"loss over {STEPS} steps, max relative |Δ| to float32 = {rel:.1e} ≤ {TOL:.0e}: {rel <= TOL}")
# --8<-- [end:code]


def results():
    return {"compute_bf16": {"measured": float(out_dtype != torch.bfloat16), "tolerance": 0.0,
                             "compared": "1 if the MLP's output under torch.autocast('cpu', bfloat16) is not "
                                         "bfloat16, else 0"},
            "params_f32": {"measured": float(param_dtypes != {torch.float32}), "tolerance": 0.0,
                           "compared": "1 if any parameter is not float32 after 5 steps under autocast, else 0"},
            "loss": {"measured": rel, "tolerance": TOL,
                     "compared": "max over 5 SGD steps of |loss_bf16 − loss_f32| / loss_f32, same initial weights"}}
