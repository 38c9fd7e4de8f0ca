"""A weight file both frameworks read: PyTorch writes its state_dict with safetensors; PyTorch
reloads it bit for bit, and Keras reads it with NumPy alone and applies the porting rules. Run
alone it prints the check (job `save_neutral`); `results()` gives the values (job `save_neutral_check`)."""

# --8<-- [start:code]
import tempfile

import numpy as np
import safetensors.numpy
import safetensors.torch
import torch

from port_helpers import torch_to_keras
from port_models_keras import keras_cnn
from port_models_torch import torch_cnn

TOL = 1e-5
torch.manual_seed(0)
model, x = torch_cnn(), torch.randn(16, 3, 8, 8)
model(x)  # 更新 BatchNorm 的统计量 / updates BatchNorm's statistics
model.eval()

with tempfile.TemporaryDirectory() as folder:
    safetensors.torch.save_file(model.state_dict(), f"{folder}/cnn.safetensors")
    again = torch_cnn().eval()
    again.load_state_dict(safetensors.torch.load_file(f"{folder}/cnn.safetensors"))
    arrays = safetensors.numpy.load_file(f"{folder}/cnn.safetensors")  # 不需要 torch / no torch needed

keras_model = keras_cnn()
torch_to_keras(arrays, keras_model, flat=(8, 4, 4))
with torch.no_grad():
    expected, reloaded = model(x).numpy(), again(x).numpy()
ported = np.asarray(keras_model(x.numpy().transpose(0, 2, 3, 1), training=False))
same = float(np.abs(reloaded - expected).max())
cross = float(np.abs(ported - expected).max())
print("tensors in the file:", {name: a.shape for name, a in arrays.items() if a.ndim > 1})
print(f"PyTorch reloaded:         max |Δ| = {same} ≤ 0: {same == 0}")
print(f"Keras from the same file: max |Δ| = {cross:.1e} ≤ {TOL:.0e}: {cross <= TOL}")
# --8<-- [end:code]


def results():
    return {"torch_reload": {"measured": same, "tolerance": 0.0,
                             "compared": "CNN outputs (16, 10) before saving and after loading the .safetensors file"},
            "keras_from_file": {"measured": cross, "tolerance": TOL,
                                "compared": "the PyTorch CNN's outputs (16, 10) and the Keras CNN's after reading "
                                            "the same .safetensors file"}}
