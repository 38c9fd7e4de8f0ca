"""The PyTorch side of the cosine learning-rate schedule: CosineAnnealingLR advances once per
scheduler.step() call, towards the absolute floor eta_min; the learning rate each optimizer step
applies is read off the update of a parameter whose gradient is 1. Definitions only, nothing
printed: schedule_check.py imports them (jobs `schedule_check` and `schedule_check_data`)."""

# --8<-- [start:code]
import torch

LR, ETA_MIN = 0.1, 0.001  # 初始学习率；下限是绝对值 / initial rate; the floor is an absolute rate
STEPS = 100  # 优化器步数 / optimizer steps


def torch_lrs(steps=STEPS, t_max=STEPS, eta_min=ETA_MIN, scheduler_every=1):
    """每个优化器步实际用的学习率；每 scheduler_every 步调用一次 scheduler.step()
    / the rate each optimizer step applies; scheduler.step() once every scheduler_every steps"""
    w = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=LR)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=t_max, eta_min=eta_min)
    used = []
    for step in range(steps):
        with torch.no_grad():
            w.zero_()
        w.grad = torch.ones(1)  # 梯度为 1：w 的变化就是学习率 / gradient 1: the change of w is the rate
        optimizer.step()
        used.append(-w.item())
        if (step + 1) % scheduler_every == 0:
            scheduler.step()
    return used
# --8<-- [end:code]
