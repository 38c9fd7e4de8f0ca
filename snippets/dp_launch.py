"""The launcher of the data-parallel page: free ports on 127.0.0.1 chosen at run time, one process
per worker in a session of its own, a bounded run that fails fast with the dead worker's own
error, and every worker ended on success, on failure and on Ctrl-C. snippets/data_parallel.py
runs the check with it; tests/test_sbs_data_parallel.py drives it with broken workers."""

# --8<-- [start:code]
import json
import os
import signal
import socket
import subprocess
import sys
import time

import numpy as np

import ddp_worker
import mwms_worker

TIMEOUT = 120  # 每个框架整个运行的上限（秒）/ bound on a whole run per framework, in seconds


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))  # 只用回环地址，端口由系统挑 / loopback only, the system picks the port
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def ddp_commands(folder, script=ddp_worker.__file__):
    (port,) = free_ports(1)  # 0 号进程在这个端口上等另一个进程 / rank 0 waits for the other worker on this port
    env = {"GLOO_SOCKET_IFNAME": "lo"}  # gloo 只用回环网卡 / gloo on the loopback interface only
    return [([script, str(rank), str(port), f"{folder}/{rank}.npy"], env) for rank in range(2)]


def mwms_commands(folder, script=mwms_worker.__file__):
    cluster = {"worker": [f"127.0.0.1:{port}" for port in free_ports(2)]}  # 每个进程一个端口 / one port per worker
    return [([script, f"{folder}/{index}.npy"],
             {"TF_CONFIG": json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})})
            for index in range(2)]


def last_lines(path, n=8):
    with open(path, errors="replace") as f:
        return "".join(f.readlines()[-n:])


def launch(commands, folder, timeout=TIMEOUT):
    """Run one worker per (argv, env); return their saved weights, or raise when one fails."""
    workers = []
    try:
        for rank, (argv, env) in enumerate(commands):
            with open(f"{folder}/{rank}.log", "wb") as log:  # 子进程继承这个文件 / the child inherits the file
                workers.append(subprocess.Popen(  # 自成一个会话和进程组 / a session and process group of its own
                    [sys.executable, *argv], env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True))
        deadline = time.monotonic() + timeout
        while not all(w.poll() == 0 for w in workers):
            for rank, w in enumerate(workers):
                # 一个进程死了，另一个可能正在等它 / one died; the other may be waiting for it
                if w.poll() not in (None, 0):
                    raise RuntimeError(f"worker {rank} exited with status {w.returncode}; its last lines:\n"
                                       + last_lines(f"{folder}/{rank}.log"))
            if time.monotonic() > deadline:
                raise TimeoutError(f"the workers did not finish within {timeout} s")
            time.sleep(0.1)
        return [np.load(f"{folder}/{rank}.npy") for rank in range(len(workers))]
    finally:  # 成功、失败、Ctrl-C 都走到这里 / reached on success, on failure and on Ctrl-C
        for w in workers:
            if w.poll() is None:
                w.terminate()
        for w in workers:
            try:
                w.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(w.pid, signal.SIGKILL)  # 连同它启动的进程 / with anything it started
            except ProcessLookupError:
                pass
            w.wait()
# --8<-- [end:code]
