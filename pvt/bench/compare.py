"""How far two benchmark runs agree: every verdict of the chapter, run against run.

    python -m pvt.bench.compare OLD/bench.json NEW/bench.json

Prints each question whose verdict differs, then the agreement (the share of verdicts that
are the same in both runs). Verdicts compare by outcome (faster, within 10 %, ...) and by which
configuration a selector picked; the factors may differ. Then the contradictions: questions
where one run finds A ahead (in every round) and the other finds B ahead. Last, why outcomes
move: how far the median ratios shifted from run to run, and how many verdicts of the old run
have their fastest or slowest round closer than that shift to one of the rule's boundaries
(1/MARGIN, 1, MARGIN), where a shift of that size can change the outcome.
"""

import argparse
import json
import math
import statistics
import sys
from pathlib import Path

from pvt.bench import verdict
from pvt.bench.configs import TASKS


def compared(run):
    """{(task, question): Verdict} for every question the run answers."""
    found = {}
    for workload, tasks in TASKS.items():
        for task in tasks:
            for question, a, b in verdict.questions(workload):
                v = verdict.compare(run, f"{workload}/{task}", a, b)
                if v is not None:
                    found[(f"{workload}/{task}", question)] = v
    return found


def verdicts(run):
    """{(task, question): (outcome, A, B)} for every question the run answers."""
    return {k: (v.kind, v.a, v.b) for k, v in compared(run).items()}


def drift(old, new):
    """(median, 75th percentile) of how far a question's median ratio moved between the runs,
    as a fraction (0.05: 5 %), over the questions where both runs compare the same pair."""
    a, b = compared(old), compared(new)
    moved = sorted(abs(math.log(b[k].median / a[k].median)) for k in set(a) & set(b)
                   if (a[k].a, a[k].b) == (b[k].a, b[k].b))
    if len(moved) < 2:
        return None
    p50, p75 = statistics.quantiles(moved, n=4, method="inclusive")[1:]
    return math.expm1(p50), math.expm1(p75)


def near_boundary(run, shift):
    """How many verdicts have their fastest or slowest round within `shift` (a fraction) of
    one of the rule's boundaries."""
    bounds = [-math.log(verdict.MARGIN), 0.0, math.log(verdict.MARGIN)]
    tol = math.log1p(shift)
    return sum(any(abs(math.log(r) - x) < tol for r in (min(v.ratios), max(v.ratios)) for x in bounds)
               for v in compared(run).values())


def agreement(old, new):
    """(share of common verdicts that agree, the ones that differ: [(key, old, new)])."""
    a, b = verdicts(old), verdicts(new)
    common = sorted(set(a) & set(b))
    differ = [(k, a[k], b[k]) for k in common if a[k] != b[k]]
    return (1 - len(differ) / len(common) if common else None), differ, len(common)


AHEAD = {"faster": "A", "edge_faster": "A", "slower": "B", "edge_slower": "B"}  # who is ahead in every round


def contradictions(old, new):
    """The questions on which one run finds A ahead and the other B."""
    a, b = verdicts(old), verdicts(new)
    return sorted(k for k in set(a) & set(b) if {AHEAD.get(a[k][0]), AHEAD.get(b[k][0])} == {"A", "B"})


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    args = ap.parse_args(argv)
    runs = [json.loads(p.read_text(encoding="utf-8")) for p in (args.old, args.new)]
    share, differ, n = agreement(*runs)
    for (task, question), was, now in differ:
        print(f"{task:22s} {question:14s} {' '.join(was)}  ->  {' '.join(now)}")
    if share is None:
        print("no verdict in common")
        return 1
    print(f"{n - len(differ)} of {n} verdicts agree ({share:.1%})")
    same_outcome = n - sum(was[0] != now[0] for _, was, now in differ)
    print(f"{same_outcome} of {n} have the same outcome, whichever configuration a selector picked "
          f"({same_outcome / n:.1%})")
    opposite = contradictions(*runs)
    print(f"{len(opposite)} of {n} contradict (one run finds A ahead in every round, the other B)"
          + "".join(f"\n  {task} {question}" for task, question in opposite))
    moved = drift(*runs)
    if moved:
        near = near_boundary(runs[0], moved[0])
        print(f"median ratios moved by {moved[0]:.1%} from run to run (75th percentile {moved[1]:.1%}); "
              f"{near} of the old run's verdicts have their fastest or slowest round within "
              f"{moved[0]:.1%} of a boundary of the rule, where a move that size can change the outcome")
    return 0


if __name__ == "__main__":
    sys.exit(main())
