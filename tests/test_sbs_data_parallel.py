"""The data-parallel page: two worker processes on 127.0.0.1 end with the weights of one process
trained on the whole batch, in PyTorch (DDP, gloo) and TensorFlow (MultiWorkerMirroredStrategy).
Each rule the check proves is broken once on purpose (a summed loss in PyTorch, a per-worker mean
in TensorFlow, both workers on the same half of the batch) and the check then fails. The launcher
leaves no worker process and no listening port behind, on success, on failure, on a timeout and on
Ctrl-C, and a worker that dies makes it fail with the worker's own error instead of hanging."""

import _thread
import json
import os
import signal
import threading
import time
import types

import numpy as np
import pytest

from pvt.pipeline import results

STORE = results.STORE
CHECK = "data_parallel_check"


@pytest.mark.fast
def test_stored_checks_hold():
    data = json.loads((STORE / f"{CHECK}.json").read_text(encoding="utf-8"))
    assert sorted(data) == ["ddp_vs_single_process", "ddp_workers_identical",
                            "mwms_vs_single_process", "mwms_workers_identical"]
    for key, check in data.items():
        assert {"measured", "tolerance", "compared"} <= check.keys(), f"{CHECK}.json › {key}: {check}"
        assert isinstance(check["measured"], float) and isinstance(check["tolerance"], float)
        assert check["measured"] <= check["tolerance"], (key, check)
    assert data["ddp_workers_identical"]["tolerance"] == data["mwms_workers_identical"]["tolerance"] == 0.0


# Live runs: each starts two worker processes (torch or TensorFlow) from this process.

@pytest.fixture(scope="module")
def dp():
    """The launcher (snippets/dp_launch.py), and the check's tolerance as the results store holds
    it; the check itself runs once per test run, in tests/test_snippets.py."""
    import dp_launch
    stored = json.loads((STORE / f"{CHECK}.json").read_text(encoding="utf-8"))
    dp_launch.TOL = stored["ddp_vs_single_process"]["tolerance"]
    return dp_launch


# Every broken variant went red once when it was written; `make test` runs the cheap ones (PyTorch
# workers start in seconds), `make test-sbs-all` (SBS_ALL=1) also those that start TensorFlow workers.
every_variant = pytest.mark.skipif(not os.environ.get("SBS_ALL"), reason="TensorFlow workers: `make test-sbs-all`")


class Recorder:
    """Records the workers' pids, the ports the launcher picked and the addresses the workers
    listen on, while `launch` runs; only the module under test sees the recording Popen."""

    def __init__(self, dp, monkeypatch):
        import subprocess

        import psutil

        self.pids, self.ports, self.listening = [], [], set()
        recorder = self

        class Popen(subprocess.Popen):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                recorder.pids.append(self.pid)

        def free_ports(n, _real=dp.free_ports):
            ports = _real(n)
            recorder.ports.extend(ports)
            return ports

        monkeypatch.setattr(dp, "subprocess", types.SimpleNamespace(
            Popen=Popen, STDOUT=subprocess.STDOUT, TimeoutExpired=subprocess.TimeoutExpired))
        monkeypatch.setattr(dp, "free_ports", free_ports)
        self.psutil, self.done = psutil, threading.Event()
        self.sampler = threading.Thread(target=self.sample, daemon=True)
        self.sampler.start()

    def sample(self):
        while not self.done.is_set():
            for pid in list(self.pids):
                try:
                    for c in self.psutil.Process(pid).net_connections(kind="tcp"):
                        if c.status == self.psutil.CONN_LISTEN:
                            self.listening.add(c.laddr.ip)
                except self.psutil.Error:
                    pass
            time.sleep(0.05)

    def stop(self):
        self.done.set()
        self.sampler.join()

    def assert_nothing_left(self):
        """No process of the workers' sessions (a worker and anything it started) is alive, and
        nothing listens on the ports the launcher picked."""
        self.stop()
        assert len(self.pids) == 2, self.pids
        left = []
        for p in self.psutil.process_iter(["pid"]):
            try:
                if os.getsid(p.info["pid"]) in self.pids:
                    left.append(p.info["pid"])
            except (ProcessLookupError, PermissionError):
                pass
        assert not left, f"processes of the workers' sessions still running: {left}"
        bound = [c for c in self.psutil.net_connections(kind="tcp")
                 if c.status == self.psutil.CONN_LISTEN and c.laddr.port in self.ports]
        assert not bound, f"ports still listening after the run: {bound}"


def broken_copy(tmp_path, module, old, new):
    """A copy of a worker snippet with one line changed, next to the launcher's temporary files."""
    source = open(module.__file__, encoding="utf-8").read()
    assert source.count(old) == 1, f"{old!r} is not (once) in {module.__file__}"
    path = tmp_path / os.path.basename(module.__file__)
    path.write_text(source.replace(old, new), encoding="utf-8")
    return str(path)


def run(dp, monkeypatch, tmp_path, commands, timeout=None):
    """Launch two workers; return (weights, recorder) after checking nothing was left behind."""
    recorder = Recorder(dp, monkeypatch)
    folder = tmp_path / "run"
    folder.mkdir()
    try:
        return dp.launch(commands(str(folder)), str(folder), timeout=timeout or dp.TIMEOUT), recorder
    finally:  # also after a failed run: the launcher must have ended its workers before raising
        recorder.assert_nothing_left()


@pytest.mark.bench
def test_ddp_leaves_nothing_behind_and_listens_on_loopback_only(dp, monkeypatch, tmp_path):
    """A fresh PyTorch run: the same weights as the page's run, no worker or port left, and every
    listening socket of the workers (TCPStore, gloo) on 127.0.0.1."""
    (first, second), recorder = run(dp, monkeypatch, tmp_path, dp.ddp_commands)
    assert np.abs(first - dp.ddp_worker.single_process()).max() <= dp.TOL
    assert np.array_equal(first, second)
    assert recorder.listening == {"127.0.0.1"}, recorder.listening


SHORT_FORM = (
    '    listener = socket.create_server(("127.0.0.1", port)) if rank == 0 else None\n'
    '    store = dist.TCPStore("127.0.0.1", port, WORLD, is_master=rank == 0,\n'
    '                          master_listen_fd=listener.fileno() if listener else None)\n'
    '    dist.init_process_group("gloo", store=store, rank=rank, world_size=WORLD)\n',
    '    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=WORLD)\n')


@pytest.mark.bench
@every_variant
def test_the_short_init_method_listens_on_every_interface(dp, monkeypatch, tmp_path):
    """Why the worker builds its TCPStore itself: with init_method="tcp://127.0.0.1:PORT" the
    training is the same, but rank 0's store listens on every interface, not on 127.0.0.1 only."""
    script = broken_copy(tmp_path, dp.ddp_worker, *SHORT_FORM)
    (first, second), recorder = run(dp, monkeypatch, tmp_path, lambda folder: dp.ddp_commands(folder, script))
    assert np.array_equal(first, second) and np.abs(first - dp.ddp_worker.single_process()).max() <= dp.TOL
    assert recorder.listening & {"::", "0.0.0.0"}, recorder.listening


@pytest.mark.bench
@pytest.mark.parametrize("old, new", [
    # a summed loss: DDP averages the two sums, BATCH times the mean gradient
    ("loss_fn = nn.MSELoss()", 'loss_fn = nn.MSELoss(reduction="sum")'),
    ("part = slice(rank * BATCH, (rank + 1) * BATCH)", "part = slice(0, BATCH)"),  # both on the first half
], ids=["summed-loss", "same-half"])
def test_a_broken_ddp_worker_fails_the_check(dp, monkeypatch, tmp_path, old, new):
    script = broken_copy(tmp_path, dp.ddp_worker, old, new)
    (first, second), _ = run(dp, monkeypatch, tmp_path, lambda folder: dp.ddp_commands(folder, script))
    assert np.array_equal(first, second)  # still in step with each other, both wrong
    assert np.abs(first - dp.ddp_worker.single_process()).max() > dp.TOL


@pytest.mark.bench
@every_variant
@pytest.mark.parametrize("old, new", [
    # a mean over the worker's own samples: the optimizer sums the workers' gradients, so twice the step
    ("tf.nn.compute_average_loss(per_example, global_batch_size=WORLD * BATCH)", "tf.reduce_mean(per_example)"),
    ("slice(context.replica_id_in_sync_group * BATCH, (context.replica_id_in_sync_group + 1) * BATCH)",
     "slice(0, BATCH)"),  # both on the first half
], ids=["per-worker-mean", "same-half"])
def test_a_broken_mwms_worker_fails_the_check(dp, monkeypatch, tmp_path, old, new):
    script = broken_copy(tmp_path, dp.mwms_worker, old, new)
    (first, second), recorder = run(dp, monkeypatch, tmp_path, lambda folder: dp.mwms_commands(folder, script))
    assert np.array_equal(first, second)
    assert np.abs(first - dp.mwms_worker.single_process()).max() > dp.TOL
    # TensorFlow's gRPC server listens on every interface whatever TF_CONFIG says (as the page states)
    assert recorder.listening and recorder.listening <= {"::", "0.0.0.0"}, recorder.listening


def injected_copy(tmp_path, module, anchor, code):
    """A copy of a worker snippet with `code` inserted after the one line that starts with
    `anchor` (leading spaces ignored), at that line's indentation."""
    lines = open(module.__file__, encoding="utf-8").read().split("\n")
    found = [i for i, line in enumerate(lines) if line.lstrip().startswith(anchor)]
    assert len(found) == 1, f"{anchor!r} starts {len(found)} lines of {module.__file__}"
    indent = lines[found[0]][:len(lines[found[0]]) - len(lines[found[0]].lstrip())]
    lines[found[0] + 1:found[0] + 1] = [indent + line for line in code.split("\n")]
    path = tmp_path / os.path.basename(module.__file__)
    path.write_text("\n".join(lines), encoding="utf-8")
    return str(path)


RAISE = '    raise RuntimeError("injected failure in worker 1")'
DIE = {  # where rank 1 raises: right after it starts, or once both workers have met
    ("ddp", "at-start"): ("import sys", 'if sys.argv[1] == "1":\n' + RAISE),
    ("ddp", "after-rendezvous"): ('dist.init_process_group("gloo"', "if rank == 1:\n" + RAISE),
    ("mwms", "at-start"): ("import sys", 'import json, os\n'
                                         'if json.loads(os.environ["TF_CONFIG"])["task"]["index"] == 1:\n' + RAISE),
    ("mwms", "after-rendezvous"): ("strategy = tf.distribute.MultiWorkerMirroredStrategy()",
                                   "if strategy.cluster_resolver.task_id == 1:\n" + RAISE),
}


@pytest.mark.bench
@pytest.mark.parametrize("framework, when", [pytest.param(*k, marks=[] if k[1] == "after-rendezvous" else every_variant)
                                             for k in sorted(DIE)], ids=["-".join(k) for k in sorted(DIE)])
def test_a_dead_worker_fails_the_launcher_with_its_error(dp, monkeypatch, tmp_path, framework, when):
    """Worker 0 would wait for worker 1 for minutes (in the rendezvous, or in a collective once
    both have met, until the framework's own timeout); the launcher raises the dead worker's error
    at once, not a TimeoutError, and ends worker 0."""
    anchor, code = DIE[framework, when]
    script = injected_copy(tmp_path, getattr(dp, f"{framework}_worker"), anchor, code)
    commands = getattr(dp, f"{framework}_commands")
    with pytest.raises(RuntimeError) as failure:
        run(dp, monkeypatch, tmp_path, lambda folder: commands(folder, script), timeout=90)
    message = str(failure.value)
    assert message.startswith("worker 1 exited with status 1"), message
    assert "RuntimeError: injected failure in worker 1" in message, message


def hanging_ddp_worker(dp, tmp_path):  # rank 1 sleeps before it ever meets rank 0
    return injected_copy(tmp_path, dp.ddp_worker, "import sys",
                         'import time\nif sys.argv[1] == "1":\n    time.sleep(600)')


@pytest.mark.bench
def test_a_hanging_run_ends_at_the_timeout(dp, monkeypatch, tmp_path):
    script = hanging_ddp_worker(dp, tmp_path)
    with pytest.raises(TimeoutError, match="did not finish within 5 s"):
        run(dp, monkeypatch, tmp_path, lambda folder: dp.ddp_commands(folder, script), timeout=5)


@pytest.mark.bench
def test_ctrl_c_ends_the_workers(dp, monkeypatch, tmp_path):
    """KeyboardInterrupt in the launcher (Ctrl-C) while both workers run: the workers sit in their
    own sessions, so the terminal's SIGINT would not reach them; the launcher's finally ends them."""
    script = hanging_ddp_worker(dp, tmp_path)
    recorder = Recorder(dp, monkeypatch)

    def interrupt():
        while len(recorder.pids) < 2:
            time.sleep(0.05)
        time.sleep(1.0)
        _thread.interrupt_main()

    folder = tmp_path / "run"
    folder.mkdir()
    # interrupt_main does nothing while SIGINT is ignored, as it is in a job a shell started in the background
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Thread(target=interrupt, daemon=True).start()
        with pytest.raises(KeyboardInterrupt):
            dp.launch(dp.ddp_commands(str(folder), script), str(folder), timeout=120)
    finally:
        signal.signal(signal.SIGINT, previous)
    recorder.assert_nothing_left()


FIT_WORKER = """
import sys
sys.path.insert(0, {snippets!r})
import keras
import numpy as np
import tensorflow as tf

strategy = tf.distribute.MultiWorkerMirroredStrategy()
import mwms_worker as m

with strategy.scope():
    model = m.make_model()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
data = tf.data.Dataset.from_tensor_slices((m.X, m.Y)).batch(m.WORLD * m.BATCH).repeat(m.STEPS)
options = tf.data.Options()
options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
model.fit(data.with_options(options), epochs=1, steps_per_epoch=m.STEPS, verbose=0)
np.save(sys.argv[1], m.weights(model))
"""


@pytest.mark.bench
@every_variant
def test_keras_fit_under_multi_worker_mirrored_strategy_still_fails(dp, monkeypatch, tmp_path):
    """Why the page uses a custom training step: Keras 3's model.fit under
    MultiWorkerMirroredStrategy fails (keras-team/keras#20585). When it starts to work, this test
    fails and the page must be revised."""
    script = tmp_path / "fit_worker.py"
    script.write_text(FIT_WORKER.format(snippets=os.path.dirname(dp.mwms_worker.__file__)), encoding="utf-8")
    with pytest.raises(RuntimeError) as failure:
        run(dp, monkeypatch, tmp_path, lambda folder: dp.mwms_commands(folder, str(script)), timeout=120)
    assert "PerReplica" in str(failure.value) and "to a Tensor" in str(failure.value), failure.value
