"""The PyTorch side of the weight-porting page: the CNN's parameters and buffers, their shapes."""

from port_models_torch import torch_cnn

# --8<-- [start:code]
model = torch_cnn()
for name, tensor in model.state_dict().items():
    print(f"{name:22} {tuple(tensor.shape)}")
# --8<-- [end:code]
