"""The timing core: one task, its first call, calibration, and the blocks timed in a turn.

`make_block(n)` returns a callable that runs n steps. The first call (where tracing and
compiling happen) is timed on its own; then the steps per block are calibrated so that a
block lasts at least `target_s`; each `sample()` then times one block. A step's time is
block time / n.
Nothing here knows about frameworks: the tests drive it with a fake clock.
"""

import math
import statistics
import time

SLOW_BLOCK_S = 0.5  # a block this long is calibrated from one timing and timed once a round
MAX_STEPS = 1 << 22


def round_up(n, k):
    return -(-n // k) * k


def loop(fn, n):
    def block():
        for _ in range(n):
            fn()
    return block


def quantiles(values):
    """p25, median, p75 (inclusive method: stays within the data)."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    p25, p50, p75 = statistics.quantiles(values, n=4, method="inclusive")
    return p25, p50, p75


class Task:
    def __init__(self, make_block, sync=None, multiple=1, clock=time.perf_counter):
        self.make_block, self.sync, self.multiple, self.clock = make_block, sync, multiple, clock
        self.n, self.block, self.block_s = multiple, None, None

    def timed(self, block):
        if self.sync:
            self.sync()
        start = self.clock()
        block()
        if self.sync:
            self.sync()
        return self.clock() - start

    def first_call(self):
        """Seconds for the very first block of `multiple` steps: tracing and compiling."""
        self.block = self.make_block(self.multiple)
        return self.timed(self.block)

    def calibrate(self, target_s, warmup_s=0.0):
        """Grow n until a block lasts at least target_s; returns n."""
        spent = 0.0
        while spent < warmup_s:
            spent += self.timed(self.block)

        def shortest():  # of two timings, so that one preemption cannot cut n
            t = self.timed(self.block)
            return t if t >= SLOW_BLOCK_S else min(t, self.timed(self.block))

        t = shortest()
        while t < target_s and self.n < MAX_STEPS:
            n = max(2 * self.n, math.ceil(self.n * 1.2 * target_s / max(t, 1e-9)))
            self.n = round_up(min(MAX_STEPS, n), self.multiple)
            self.block = self.make_block(self.n)
            self.timed(self.block)  # a new block may build new data or fill a cache
            t = shortest()
        self.block_s = t
        return self.n

    def sample(self):
        """Milliseconds per step of one timed block."""
        return self.timed(self.block) / self.n * 1e3
