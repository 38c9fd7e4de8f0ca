"""Save and load in PyTorch: a state_dict through torch.save / torch.load(weights_only=True)
reloads bit for bit; a whole pickled model no longer loads by default. Run alone it prints both
(job `save_torch`); `results()` gives the check (job `save_torch_check`)."""

# --8<-- [start:code]
import pickle
import tempfile

import torch

from port_models_torch import torch_cnn  # 权重迁移一页的 CNN / the CNN of the porting-weights page

torch.manual_seed(0)
model, x = torch_cnn(), torch.randn(16, 3, 8, 8)
model(x)  # 训练模式下的一次前向传播更新 BatchNorm 的统计量 / one training-mode pass updates BatchNorm's statistics
model.eval()

with tempfile.TemporaryDirectory() as folder:
    torch.save(model.state_dict(), f"{folder}/cnn.pt")
    again = torch_cnn().eval()
    again.load_state_dict(torch.load(f"{folder}/cnn.pt", weights_only=True))
    with torch.no_grad():
        diff = (model(x) - again(x)).abs().max().item()
    print(f"state_dict reloaded: max |Δ| = {diff} ≤ 0: {diff == 0}")

    torch.save(model, f"{folder}/whole.pt")  # 整个模型对象，用 pickle / the whole object, pickled
    try:
        torch.load(f"{folder}/whole.pt")  # weights_only 默认为 True / weights_only defaults to True
    except pickle.UnpicklingError as error:
        lines = str(error).splitlines()
        print(f"{type(error).__name__}: {lines[0].split('. ')[0]}.")
        print(lines[1].strip().split(". ")[0] + ".")
# --8<-- [end:code]


def results():
    compared = "CNN outputs (16, 10) before saving and after torch.load(weights_only=True)"
    return {"state_dict_reload": {"measured": diff, "tolerance": 0.0, "compared": compared}}
