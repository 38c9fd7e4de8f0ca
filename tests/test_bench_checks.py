"""The checks that stop a benchmark run from being published, on made-up data (no framework)."""

import pytest

from pvt.bench import runner

pytestmark = pytest.mark.fast


def row(config, workload="mlp", task="train", **extra):
    return {"config": config, "workload": workload, "task": task, **extra}


def test_a_compiled_row_without_evidence_stops_the_run():
    rows = [row("torch_compile", compiled={"graphs": 1, "kernels": 0}),
            row("tf_xla", compiled={"traces": 1, "hlo_instructions": 120}),
            row("tf_function"),  # no record at all
            row("torch_eager")]  # not a compiled configuration: nothing to show
    bad = runner.compile_failures(rows)
    assert len(bad) == 2 and bad[0].startswith("torch_compile mlp/train") and "no record" in bad[1]


def test_a_row_above_the_ceiling_stops_the_run():
    rows = [row("tf_xla", pct_of_ceiling=110.0), row("torch_eager", pct_of_ceiling=99.9), row("keras_fit")]
    assert runner.over_ceiling(rows) == ["tf_xla mlp/train: 110 % of the ceiling"]
    doc = {"results": rows}
    assert any(p.startswith("ABOVE THE CEILING") for p in runner.problems(doc))


def test_the_machine_ceiling_is_the_best_block_of_any_library_and_size():
    ready = {"torch_eager": {"ceiling_flops": {"ceiling/torch/1024": 2e9, "ceiling/numpy/1024": 2e9}},
             "tf_eager": {"ceiling_flops": {"ceiling/tf/1024": 2e9}}}
    samples = {"ceiling/torch/1024": {"torch_eager": [[20.0, 25.0], [21.0]]},  # ms per product
               "ceiling/numpy/1024": {"torch_eager": [[40.0], [40.0]]},
               "ceiling/tf/1024": {"tf_eager": [[19.0, 30.0], [30.0]]}}
    libs, machine = runner.ceilings_of(ready, samples)
    assert machine == {"gflops": pytest.approx(2e9 / 0.019 / 1e9), "library": "tf", "size": 1024}
    assert libs["torch"]["gflops_best"] == pytest.approx(100.0)
    assert libs["tf"]["sizes"]["1024"]["gflops_median"] == pytest.approx(2e9 / 0.030 / 1e9)


def test_idle_workers_are_charged_with_what_they_use_during_others_turns():
    class Fake:
        def __init__(self, cpu):
            self.cpu = cpu

        def cpu_s(self):
            return self.cpu.pop(0)

    procs = {"a": Fake([0.0]), "b": Fake([1.0, 1.5])}  # b spins 0.5 s of CPU during a's turn
    meter = runner.IdleMeter(procs)
    assert meter.turn("a", lambda: "answer") == "answer"
    assert meter.cpu_s == {"a": 0.0, "b": 0.5} and meter.wall_s["a"] == 0.0 and meter.wall_s["b"] > 0
    assert set(meter.cores()) == {"b"}
