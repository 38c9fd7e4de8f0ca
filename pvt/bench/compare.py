"""How far two benchmark runs agree: every verdict of the chapter, run against run.

    python -m pvt.bench.compare OLD/bench.json NEW/bench.json

Prints each question whose verdict differs, then the agreement (the share of verdicts that
are the same in both runs). Verdicts compare by outcome (faster, within 10 %, ...) and by which
configuration a selector picked; the factors may differ. Last, the contradictions: questions
where one run finds A ahead (in every round) and the other finds B ahead.
"""

import argparse
import json
import sys
from pathlib import Path

from pvt.bench import verdict
from pvt.bench.configs import TASKS


def verdicts(run):
    """{(task, question): (outcome, A, B)} for every question the run answers."""
    found = {}
    for workload, tasks in TASKS.items():
        for task in tasks:
            for question, a, b in verdict.questions(workload):
                v = verdict.compare(run, f"{workload}/{task}", a, b)
                if v is not None:
                    found[(f"{workload}/{task}", question)] = (v.kind, v.a, v.b)
    return found


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
    return 0


if __name__ == "__main__":
    sys.exit(main())
