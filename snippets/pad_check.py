"""The check of the stride-2 padding trap: with the same random kernel, Keras's padding="same"
and PyTorch's padding=1 differ on an even-sized input; padding only the bottom and right
(nn.ZeroPad2d((0, 1, 0, 1)), then padding=0) matches Keras. Run alone it prints the check
(job `pad_check`); `results()` gives the measured values and tolerances (job `pad_check_data`)."""

# --8<-- [start:code]
import keras
import numpy as np
import torch
from torch import nn

TOL = 1e-5
rng = np.random.default_rng(0)
kernel = rng.standard_normal((3, 3, 2, 4)).astype(np.float32)  # HWIO
x_nhwc = rng.standard_normal((1, 8, 8, 2)).astype(np.float32)  # 偶数边长 / even height and width

k_conv = keras.layers.Conv2D(4, 3, strides=2, padding="same", use_bias=False)
k_conv.build(x_nhwc.shape)
k_conv.set_weights([kernel])
expected = keras.ops.convert_to_numpy(k_conv(x_nhwc)).transpose(0, 3, 1, 2)  # → NCHW


def torch_conv(padding, pad_first=None):
    conv = nn.Conv2d(2, 4, 3, stride=2, padding=padding, bias=False)
    with torch.no_grad():
        conv.weight.copy_(torch.from_numpy(kernel.transpose(3, 2, 0, 1)))  # HWIO → OIHW
    return nn.Sequential(pad_first, conv) if pad_first else conv


def max_diff(model):
    with torch.no_grad():
        got = model(torch.from_numpy(x_nhwc.transpose(0, 3, 1, 2).copy())).numpy()
    return float(np.abs(got - expected).max())


trap = max_diff(torch_conv(padding=1))
fix = max_diff(torch_conv(padding=0, pad_first=nn.ZeroPad2d((0, 1, 0, 1))))  # 左、右、上、下 / left, right, top, bottom
print(f"padding=1:                   max |Δ| = {trap:.1e} ≤ {TOL:.0e}: {trap <= TOL}")
print(f"ZeroPad2d((0, 1, 0, 1)) + 0: max |Δ| = {fix:.1e} ≤ {TOL:.0e}: {fix <= TOL}")
# --8<-- [end:code]


def results():
    compared = "stride-2 3×3 convolution of one 8×8 input with 2 channels, 4 output channels, same kernel"
    return {"symmetric_padding": {"measured": trap, "tolerance": TOL, "compared": compared},
            "bottom_right_padding": {"measured": fix, "tolerance": TOL, "compared": compared}}
