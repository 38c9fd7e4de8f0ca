"""The PyTorch side of gradient clipping: one SGD step after torch.nn.utils.clip_grad_norm_, which
clips all gradients together by their global norm (or, to compare with Keras's clipnorm, each
parameter's gradient on its own). Definitions only, nothing printed: clip_check.py imports them
(jobs `clip_check` and `clip_check_data`)."""

# --8<-- [start:code]
import torch
from torch import nn

MAX_NORM = 1.0  # 梯度范数的上限 / the cap on the gradient norm
LR = 0.1


def torch_step(model, x, y, per_parameter=False):
    """一步 SGD：求梯度、裁剪、更新；返回裁剪前的全局范数 / one SGD step: gradients, clipping,
    update; returns the global norm before clipping"""
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    optimizer.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    norm = nn.utils.get_total_norm([p.grad for p in model.parameters()])
    if per_parameter:  # 每个参数各自裁剪，相当于 Keras 的 clipnorm / each parameter on its own, like Keras's clipnorm
        for p in model.parameters():
            nn.utils.clip_grad_norm_([p], MAX_NORM)
    else:  # 所有梯度合成一个向量求范数，超过上限时一起缩小 / one norm over all gradients, all scaled down together
        nn.utils.clip_grad_norm_(model.parameters(), MAX_NORM)
    optimizer.step()
    return norm.item()
# --8<-- [end:code]
