"""What a benchmark measurement depends on, and whether a stored one still matches it.

The harness and the workloads are hashed by content under logical names, with the versions the
run recorded: moving a file does not make a result stale, and neither does rewording a label
(the words are in pvt/strings.toml). The report and the verdict rule only read the data,
so they are not inputs. The site build imports this module; it imports no framework and
nothing that runs or measures.
"""

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
INPUTS = {  # logical name -> file
    "bench/configs": "pvt/bench/configs.py",
    "bench/timing": "pvt/bench/timing.py",
    "bench/workers": "pvt/bench/workers.py",
    "bench/runner": "pvt/bench/runner.py",
    "workloads/models": "snippets/bench_workloads.py",
    "workloads/input_pipeline": "snippets/input_pipeline.py",
}


def input_hash(versions, root=ROOT):
    digest = hashlib.sha256()
    for name, rel in sorted(INPUTS.items()):
        digest.update(name.encode())
        digest.update((root / rel).read_bytes())
    digest.update(json.dumps(versions, sort_keys=True).encode())
    return digest.hexdigest()


def stale_reason(doc, where, root=ROOT):
    """Why a stored bench.json no longer matches the harness and workloads (None if fresh).
    Hashed with the versions it recorded: a GPU machine's are not the ones installed here."""
    if doc.get("input_hash") != input_hash(doc["provenance"]["versions"], root):
        return (f"{where}: the harness or the workloads ({', '.join(INPUTS.values())}) changed "
                "since it was measured; commit them and run `make bench`")
    return None
