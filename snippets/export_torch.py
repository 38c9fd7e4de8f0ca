"""Export for deployment in PyTorch: torch.export to a .pt2 file reloaded with torch.export.load,
and ONNX through the dynamo-based exporter run in onnxruntime; each against eager. Run alone it
prints the checks (job `export_torch`); `results()` gives the values (job `export_torch_check`)."""

# --8<-- [start:code]
import tempfile

import numpy as np
import onnxruntime
import torch

from port_models_torch import torch_cnn  # 权重迁移一页的 CNN / the CNN of the porting-weights page

TOL = 1e-5
torch.manual_seed(0)
model, x = torch_cnn(), torch.randn(16, 3, 8, 8)
model(x)  # 更新 BatchNorm 的统计量 / updates BatchNorm's statistics
model.eval()
with torch.no_grad():
    eager = model(x).numpy()

with tempfile.TemporaryDirectory() as folder:
    program = torch.export.export(model, (x,))
    torch.export.save(program, f"{folder}/cnn.pt2")
    with torch.no_grad():
        pt2 = torch.export.load(f"{folder}/cnn.pt2").module()(x).numpy()

    torch.onnx.export(model, (x,), f"{folder}/cnn.onnx", dynamo=True, verbose=False)
    session = onnxruntime.InferenceSession(f"{folder}/cnn.onnx")
    onnx = session.run(None, {session.get_inputs()[0].name: x.numpy()})[0]

diffs = {"torch_export_pt2": float(np.abs(pt2 - eager).max()), "onnx_onnxruntime": float(np.abs(onnx - eager).max())}
for name, diff in diffs.items():
    print(f"{name:17} max |Δ| = {diff:.1e} ≤ {TOL:.0e}: {diff <= TOL}")
# --8<-- [end:code]


def results():
    compared = "CNN outputs (16, 10): the exported artefact against eager PyTorch on the same input"
    return {name: {"measured": diff, "tolerance": TOL, "compared": compared} for name, diff in diffs.items()}
