"""The PyTorch side of early stopping: PyTorch has no built-in, so a short explicit loop applies the
rule of Keras's EarlyStopping(monitor="val_loss", patience, restore_best_weights=True) and keeps a
copy of the best epoch's state_dict. Definitions only, nothing printed: early_check.py imports them
(jobs `early_check` and `early_check_data`)."""

# --8<-- [start:code]
import copy

import torch
from torch import nn

PATIENCE, LR = 3, 0.1


def train_epoch(model, optimizer, x, y):  # 全批量：一轮一步 / full batch: one step per epoch
    optimizer.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    optimizer.step()


def fit_early_stopping(model, x, y, val_losses, patience=PATIENCE, restore_best=True):
    """返回跑了几轮、最好的是第几轮（从 1 数起）/ returns the epochs run and the best epoch (from 1)"""
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    best, best_epoch, best_state, wait = float("inf"), 0, None, 0
    for epoch, val_loss in enumerate(val_losses):  # 实际训练中来自验证集 / in real training: from a validation set
        train_epoch(model, optimizer, x, y)
        if val_loss < best:  # 严格变小才算改进，即 min_delta=0 / only a strict decrease counts: min_delta=0
            best, best_epoch, wait = val_loss, epoch, 0
            best_state = copy.deepcopy(model.state_dict())  # 最佳检查点 / the best checkpoint
        else:
            wait += 1
            if wait >= patience:  # 连续 patience 轮没有改进 / patience epochs without improvement
                break
    if restore_best:  # 不论是否提前停止 / whether or not it stopped early
        model.load_state_dict(best_state)
    return epoch + 1, best_epoch + 1
# --8<-- [end:code]
