"""The PyTorch side of the input-pipeline check: torch.utils.data.DataLoader over an in-memory
dataset, returning every epoch's batches as NumPy arrays. A builder only; it prints nothing
(data_order.py compares it with tf.data, jobs `data_order` and `data_order_check`)."""

# --8<-- [start:code]
import torch
from torch.utils.data import DataLoader, TensorDataset


def torch_epochs(x, y, batch_size, shuffle, drop_last, epochs=1, seed=0):
    dataset = TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last,
                        generator=torch.Generator().manual_seed(seed))  # 打乱顺序用的生成器 / drives the shuffling
    # 每轮重新打乱 / reshuffled each epoch
    return [[(xb.numpy(), yb.numpy()) for xb, yb in loader] for _ in range(epochs)]
# --8<-- [end:code]
