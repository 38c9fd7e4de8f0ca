"""The PyTorch program of the reproducibility check: a short training with dropout and a shuffled
DataLoader, run three times in one process (no random seed, a seed only, a seed and
torch.use_deterministic_algorithms), printing every step's loss as JSON. Its output changes from
run to run (the first training has no seed), so it has no job of its own: repro_runs.py starts it
twice, each time in a fresh process, and compares the losses (jobs `repro_runs`, `repro_runs_check`)."""

# --8<-- [start:code]
import json

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

data = np.random.default_rng(0)  # 数据固定，与种子无关 / fixed data, independent of any seed
X = torch.from_numpy(data.standard_normal((96, 8)).astype(np.float32))
Y = X @ torch.from_numpy(data.standard_normal((8, 1)).astype(np.float32))


def train(seed=None):
    """两轮，每轮 6 步；返回每一步的损失 / two epochs of 6 steps; returns every step's loss"""
    if seed is not None:
        torch.manual_seed(seed)  # 初始权重、Dropout 和打乱顺序都从这个生成器取数 / init, dropout, shuffling
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 1))
    loader = DataLoader(TensorDataset(X, Y), batch_size=16, shuffle=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    losses = []
    for _ in range(2):
        for x, y in loader:
            loss = nn.functional.mse_loss(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    return losses


runs = {"no seed": train()}  # 必须最先运行：此前没有设过种子 / must come first, before any seed is set
runs["seed only"] = train(seed=0)
torch.use_deterministic_algorithms(True)  # 没有确定性实现的算子会报错 / ops without one raise an error
runs["seed + deterministic"] = train(seed=0)
print(json.dumps(runs))
# --8<-- [end:code]
