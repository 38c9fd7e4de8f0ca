"""PyTorch refuses padding="same" with a stride above 1 (job `pad_same_torch`, kind error)."""

# --8<-- [start:code]
from torch import nn

nn.Conv2d(1, 1, kernel_size=3, stride=2, padding="same")
# --8<-- [end:code]
