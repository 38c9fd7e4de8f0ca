"""The two small models of the weight-porting page in PyTorch: an MLP and a CNN with BatchNorm.
Builders only; they print nothing (port_torch.py shows them, port_weights.py ports them)."""

# --8<-- [start:code]
from torch import nn


def torch_mlp():
    return nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 10))


def torch_cnn():  # 输入 (N, 3, 8, 8)，通道在前 / input (N, 3, 8, 8), channels first
    return nn.Sequential(
        nn.Conv2d(3, 8, kernel_size=3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(8 * 4 * 4, 10))
# --8<-- [end:code]
