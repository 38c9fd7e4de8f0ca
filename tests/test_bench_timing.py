"""The timing core, driven by a fake clock: first call apart, calibration, per-step times."""


import pytest

from pvt.bench.timing import SLOW_BLOCK_S, Task, quantiles

pytestmark = pytest.mark.fast  # `make test-fast`


class FakeWork:
    """Steps that cost `step_s` each on a fake clock; the first call also pays `compile_s`."""

    def __init__(self, step_s, compile_s=0.0):
        self.now, self.step_s, self.compile_s, self.calls = 0.0, step_s, compile_s, []

    def clock(self):
        return self.now

    def make_block(self, n):
        def block():
            self.now += n * self.step_s + (self.compile_s if not self.calls else 0.0)
            self.calls.append(n)
        return block


def test_first_call_is_timed_apart_and_blocks_reach_the_target():
    work = FakeWork(step_s=0.001, compile_s=3.0)
    task = Task(work.make_block, clock=work.clock)
    assert task.first_call() == pytest.approx(3.001)
    n = task.calibrate(target_s=0.05)
    assert n * 0.001 >= 0.05 and task.block_s == pytest.approx(n * 0.001)
    assert [task.sample() for _ in range(3)] == pytest.approx([1.0, 1.0, 1.0])  # ms per step
    assert work.calls[-3:] == [n] * 3


def test_steps_per_block_stay_a_multiple():
    work = FakeWork(step_s=0.0003)
    task = Task(work.make_block, multiple=10, clock=work.clock)
    task.first_call()
    n = task.calibrate(target_s=0.05)
    assert n % 10 == 0 and n * 0.0003 >= 0.05


def test_a_slow_block_is_calibrated_from_one_timing():
    work = FakeWork(step_s=SLOW_BLOCK_S * 2)
    task = Task(work.make_block, clock=work.clock)
    task.first_call()
    before = len(work.calls)
    assert task.calibrate(target_s=0.05) == 1
    assert len(work.calls) == before + 1
    assert task.sample() == pytest.approx(SLOW_BLOCK_S * 2 * 1e3)


def test_quantiles_stay_within_the_data():
    assert quantiles([5.0]) == (5.0, 5.0, 5.0)
    p25, med, p75 = quantiles([1.0, 2.0, 3.0, 4.0, 100.0])
    assert (p25, med, p75) == (2.0, 3.0, 4.0)
