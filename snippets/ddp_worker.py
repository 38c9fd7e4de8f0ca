"""One worker of PyTorch data-parallel training: DistributedDataParallel over the gloo backend on
127.0.0.1, K steps on its own half of the global batch; it saves its final weights. The check
program snippets/data_parallel.py starts two of them (jobs `data_parallel` and
`data_parallel_check`) and imports `single_process()`, the same training in one process on the
whole batch. Run by the launcher: `python ddp_worker.py RANK PORT OUT.npy`."""

# --8<-- [start:code]
import socket
import sys

import numpy as np
import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

WORLD, BATCH, STEPS = 2, 4, 3  # 2 个进程，每个进程 B = 4 个样本，K = 3 步 / 2 workers, B = 4 samples each, K = 3 steps
rng = np.random.default_rng(0)
X = rng.standard_normal((WORLD * BATCH, 4)).astype(np.float32)  # 全局批量 2B / the global batch 2B
Y = rng.standard_normal((WORLD * BATCH, 1)).astype(np.float32)


def make_model():
    torch.manual_seed(0)  # 两个进程的初始权重相同 / the same initial weights in every process
    return nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))


def train(model, x, y):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.MSELoss()  # 本进程样本上的平均 / the mean over this process's samples
    for _ in range(STEPS):
        optimizer.zero_grad()
        # DDP 在 backward 中平均各进程的梯度 / DDP averages the workers' gradients during backward
        loss_fn(model(torch.from_numpy(x)), torch.from_numpy(y)).backward()
        optimizer.step()
    return model


def weights(model):
    return np.concatenate([p.detach().numpy().ravel() for p in model.parameters()])


def single_process():  # 参照：一个进程，整个批量 2B / the reference: one process, the whole batch 2B
    return weights(train(make_model(), X, Y))


def worker(rank, port, out):
    # 0 号进程的 TCPStore 默认监听所有网卡；交给它一个只绑 127.0.0.1 的套接字
    # / rank 0's TCPStore listens on every interface by default; hand it a socket bound to 127.0.0.1 only
    listener = socket.create_server(("127.0.0.1", port)) if rank == 0 else None
    store = dist.TCPStore("127.0.0.1", port, WORLD, is_master=rank == 0,
                          master_listen_fd=listener.fileno() if listener else None)
    dist.init_process_group("gloo", store=store, rank=rank, world_size=WORLD)
    try:
        part = slice(rank * BATCH, (rank + 1) * BATCH)  # 本进程的一半 / this worker's half
        model = train(DistributedDataParallel(make_model()), X[part], Y[part])
        np.save(out, weights(model.module))
        # 等两个进程都做完再拆除：0 号进程一退出，它的 TCPStore 就没了
        # / wait until both are done before tearing down: rank 0's TCPStore goes when rank 0 exits
        dist.barrier()
    finally:
        dist.destroy_process_group()


if __name__ == "__main__":
    worker(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
# --8<-- [end:code]
