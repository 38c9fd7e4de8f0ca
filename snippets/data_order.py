"""The check of the input-pipeline page: DataLoader and tf.data over the same 10 samples in batches
of 4. With shuffling off they deliver the same sequence of batches, the last partial batch
included, and the same two full batches when drop_last / drop_remainder are both True; with
shuffling on, every epoch holds the same multiset of samples, in another order. A mismatched
drop_last is shown failing. Run alone it prints the check (job `data_order`); `results()` gives
the measured values (job `data_order_check`). No timing: speed belongs to the benchmark."""

# --8<-- [start:code]
from collections import Counter

import numpy as np

from data_order_keras import tf_epochs
from data_order_torch import torch_epochs

N, BATCH = 10, 4  # 10 个样本，每批 4 个：最后一批只有 2 个 / the last batch holds only 2
x = np.arange(N * 3, dtype=np.float32).reshape(N, 3)
y = np.arange(N)


def differing_batches(a, b):
    """位置相同而内容不同的批次数，缺少的批次也算 / batches that differ at the same position, missing ones included"""
    same = sum(np.array_equal(xa, xb) and np.array_equal(ya, yb) for (xa, ya), (xb, yb) in zip(a, b))
    return max(len(a), len(b)) - same


def samples(batches):
    """一轮中样本的多重集合 / the multiset of samples in one epoch"""
    return Counter((tuple(row), int(label)) for xb, yb in batches for row, label in zip(xb.tolist(), yb))


def order_check(drop_last, drop_remainder):
    a = torch_epochs(x, y, BATCH, shuffle=False, drop_last=drop_last)[0]
    b = tf_epochs(x, y, BATCH, shuffle=False, drop_remainder=drop_remainder)[0]
    return differing_batches(a, b), [len(yb) for _, yb in a], [len(yb) for _, yb in b]


checks = {}
for name, drop_last, drop_remainder in (("keep_last", False, False), ("drop_last", True, True),
                                        ("mismatched", True, False)):
    n, sizes_a, sizes_b = order_check(drop_last, drop_remainder)
    checks[name] = n
    print(f"shuffle off, drop_last={drop_last!s:5} drop_remainder={drop_remainder!s:5} batch sizes {sizes_a} and "
          f"{sizes_b}: batches that differ = {n} ≤ 0: {n == 0}")
torch_shuffled = torch_epochs(x, y, BATCH, shuffle=True, drop_last=False, epochs=2)
tf_shuffled = tf_epochs(x, y, BATCH, shuffle=True, drop_remainder=False, epochs=2)
for epoch, (a, b) in enumerate(zip(torch_shuffled, tf_shuffled), 1):
    only_one = (samples(a) - samples(b)) + (samples(b) - samples(a))  # 只在一边出现的样本 / on one side only
    missing = sum(only_one.values())
    checks[f"epoch_{epoch}"] = missing
    order_a, order_b = [int(v) for _, yb in a for v in yb], [int(v) for _, yb in b for v in yb]
    print(f"shuffle on, epoch {epoch}: orders {order_a} and {order_b}, samples not in both = {missing} ≤ 0: "
          f"{missing == 0}")
# --8<-- [end:code]


def results():
    compared = {"keep_last": "batches (of 10 samples in batches of 4, shuffling off) that differ between DataLoader "
                             "and tf.data, drop_last=False and drop_remainder=False",
                "drop_last": "the same, drop_last=True and drop_remainder=True",
                "mismatched": "the same, drop_last=True against drop_remainder=False (the trap)",
                "epoch_1": "samples found in only one of the two pipelines' first epoch, shuffling on "
                           "(multiset comparison)",
                "epoch_2": "the same for the second epoch, each pipeline reshuffling"}
    return {k: {"measured": float(v), "tolerance": 0.0, "compared": compared[k]} for k, v in checks.items()}
