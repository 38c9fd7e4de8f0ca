"""The PyTorch side of the stride-2 padding trap: a 3×3 convolution of ones over a 4×4 image of
ones, stride 2, padding=1. Each output counts the input pixels its window covers."""

# --8<-- [start:code]
import torch
from torch import nn

conv = nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1, bias=False)
nn.init.ones_(conv.weight)
with torch.no_grad():
    print(conv(torch.ones(1, 1, 4, 4))[0, 0])  # 上下左右各补 1 行/列 / one row and column on every side
# --8<-- [end:code]
