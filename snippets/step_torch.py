"""The PyTorch side of the training-step page: a small MLP, fixed random data, and the usual
loop (zero_grad, loss, backward, step) with SGD or Adam, recording the loss of every step.
Definitions only, it prints nothing: step_keras.py copies this model's weights into Keras and
step_loss.py runs and compares both sides (jobs `step_loss`, `step_loss_check`)."""

# --8<-- [start:code]
import numpy as np
import torch
from torch import nn

STEPS = 5
LR = {"sgd": 0.1, "adam": 0.01}
rng = np.random.default_rng(0)
x = rng.standard_normal((64, 8)).astype(np.float32)  # 固定的数据，整批训练 / fixed data, one full batch
y = np.sin(x[:, :1] + x[:, 1:2]).astype(np.float32)


def torch_mlp():
    torch.manual_seed(0)  # 两边都从这组权重开始 / both sides start from these weights
    return nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1))


def train_torch(name="sgd", steps=STEPS, **options):  # options：例如 eps=1e-7 / e.g. eps=1e-7
    model = torch_mlp()
    optimizer = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[name](
        model.parameters(), lr=LR[name], **options)
    loss_fn = nn.MSELoss()
    inputs, targets = torch.from_numpy(x), torch.from_numpy(y)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)  # (预测, 目标) / (prediction, target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())  # 本步更新之前的损失 / the loss before this step's update
    return losses
# --8<-- [end:code]
