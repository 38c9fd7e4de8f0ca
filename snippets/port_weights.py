"""The check of the weight-porting page: PyTorch → Keras and Keras → PyTorch for the MLP and the
CNN give the same outputs on the same input, within a float32 tolerance, and a round trip
PyTorch → Keras → PyTorch returns every tensor bit for bit. Run alone it prints the check
(job `port_weights`); `results()` gives the measured values and tolerances (job `port_weights_check`)."""

# --8<-- [start:code]
import keras
import numpy as np
import torch

from port_helpers import keras_to_torch, torch_to_keras
from port_models_keras import keras_cnn, keras_mlp
from port_models_torch import torch_cnn, torch_mlp

TOL = 1e-5  # float32 输出的绝对容差 / absolute tolerance on float32 outputs
FLAT = (8, 4, 4)  # CNN 中 Flatten 之前的 (C, H, W) / the CNN's (C, H, W) before Flatten
rng = np.random.default_rng(0)
x_mlp = rng.standard_normal((4, 20)).astype(np.float32)
x_nchw = rng.standard_normal((4, 3, 8, 8)).astype(np.float32)
x_nhwc = x_nchw.transpose(0, 2, 3, 1)  # 同一批图像，通道在后 / the same images, channels last


def randomize_bn(model):  # 让滑动统计量不是 0 和 1 / running statistics other than 0 and 1
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            with torch.no_grad():
                for t in (m.weight, m.bias, m.running_mean):
                    t.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
    return model.eval()


def max_diff(torch_model, keras_model, x_torch, x_keras):
    with torch.no_grad():
        a = torch_model(torch.from_numpy(x_torch)).numpy()
    b = keras.ops.convert_to_numpy(keras_model(x_keras, training=False))
    return float(np.abs(a - b).max())


def pt_to_keras(build_torch, build_keras, x_torch, x_keras, flat=None):
    src, dst = randomize_bn(build_torch()), build_keras()
    torch_to_keras(src.state_dict(), dst, flat)
    return max_diff(src, dst, x_torch, x_keras)


def keras_to_pt(build_keras, build_torch, x_torch, x_keras, flat=None):
    src, dst = build_keras(), build_torch().eval()
    for layer in src.layers:  # Keras 的 BatchNorm 也用非平凡统计量 / non-trivial statistics here too
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.set_weights([rng.uniform(-0.5, 0.5, 8), rng.uniform(-0.5, 0.5, 8),
                               rng.uniform(-0.5, 0.5, 8), rng.uniform(0.5, 2.0, 8)])
    keras_to_torch(src, dst, flat)
    return max_diff(dst, src, x_torch, x_keras)


def round_trip(build_torch, build_keras, flat=None):
    first, second = randomize_bn(build_torch()), build_torch()
    middle = build_keras()
    torch_to_keras(first.state_dict(), middle, flat)
    keras_to_torch(middle, second, flat)
    a, b = first.state_dict(), second.state_dict()
    return max(float((a[k] - b[k]).abs().max()) for k in a if not k.endswith("num_batches_tracked"))


torch.manual_seed(0)
keras.utils.set_random_seed(0)
checks = {
    "mlp_torch_to_keras": pt_to_keras(torch_mlp, keras_mlp, x_mlp, x_mlp),
    "mlp_keras_to_torch": keras_to_pt(keras_mlp, torch_mlp, x_mlp, x_mlp),
    "cnn_torch_to_keras": pt_to_keras(torch_cnn, keras_cnn, x_nchw, x_nhwc, FLAT),
    "cnn_keras_to_torch": keras_to_pt(keras_cnn, torch_cnn, x_nchw, x_nhwc, FLAT),
}
for name, diff in checks.items():
    print(f"{name:20} outputs: max |Δ| = {diff:.1e} ≤ {TOL:.0e}: {diff <= TOL}")
exact = round_trip(torch_cnn, keras_cnn, FLAT)
print(f"CNN PyTorch → Keras → PyTorch, every tensor: max |Δ| = {exact} ≤ 0: {exact == 0}")
# --8<-- [end:code]


def results():
    compared = {"mlp": "logits (4, 10) of the MLP on one float32 batch (4, 20)",
                "cnn": "logits (4, 10) of the CNN in eval mode on one float32 batch of 8×8 RGB images"}
    found = {name: {"measured": diff, "tolerance": TOL, "compared": compared[name[:3]]}
             for name, diff in checks.items()}
    found["cnn_round_trip"] = {"measured": exact, "tolerance": 0.0,
                               "compared": "every parameter and buffer of the CNN after PyTorch → Keras → PyTorch"}
    return found
