"""The benchmark harness: it runs, and it records what it measured.

One narrow `pvt/bench --quick` run (PyTorch eager, TensorFlow eager, tf.function, tuned Keras fit;
linear regression and the MLP) serves most tests here: it covers the statistics, the pairing,
the ceilings, the FLOPs, the compile evidence, the provenance and the report. That every
configuration runs on every workload is `test_every_configuration_runs` (marked `bench`): the
stored full run already proves it for the inputs and versions it names, so the test runs when
that run is stale, and always under `make bench-quick`. The tests check behaviour, never how
fast anything is.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ["-m", "pvt.bench"]  # the benchmark, as `make bench` runs it
STORE = ROOT / "docs" / "results"
NARROW = "torch_eager,tf_eager,tf_function,keras_fit_tuned,linreg,mlp"

from pvt import provenance  # noqa: E402
from pvt.bench import configs, inputs, report, runner  # noqa: E402

pytestmark = pytest.mark.bench


def store_state():
    if not STORE.exists():
        return {}
    return {p: p.stat().st_mtime_ns for p in STORE.rglob("*") if p.is_file()}


def quick_run(out, only=None, env=None, timeout=1200):
    before = store_state()
    proc = subprocess.run([sys.executable, *BENCH, "--quick", "--out", str(out),
                           *(["--only", only] if only else [])],
                          capture_output=True, text=True, timeout=timeout, env=env)
    path = out / "bench.json"
    if not path.exists():
        path = out / "bench.failed.json"
    assert path.exists(), (f"pvt/bench --quick wrote nothing (status {proc.returncode})\n"
                           f"{proc.stdout}\n{proc.stderr[-4000:]}")
    return {"proc": proc, "data": json.loads(path.read_text()), "out": out,
            "store_untouched": store_state() == before}


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    return quick_run(tmp_path_factory.mktemp("bench-quick"), NARROW)


def measured_problems(data, names, workloads):
    rows = {(r["workload"], r["task"], r["config"]): r for r in data["results"]}
    problems = []
    for workload in workloads:
        for task in configs.TASKS[workload]:
            for config in [c.name for c in configs.configs_for(workload) if c.name in names]:
                where = f"{workload}/{task}/{config}"
                r = rows.get((workload, task, config))
                if r is None:
                    problems.append(f"{where}: missing")
                    continue
                if "error" in r:
                    problems.append(f"{where}: {r['error'][:500]}")
                    continue
                med, p25, p75 = r["median_ms"], r["p25_ms"], r["p75_ms"]
                if not all(isinstance(v, float) and v > 0 for v in (med, p25, p75)):
                    problems.append(f"{where}: non-positive {r}")
                if not r["best_ms"] <= p25 <= med <= p75:
                    problems.append(f"{where}: best {r['best_ms']} p25 {p25} median {med} p75 {p75} out of order")
                if not r["first_call_s"] > 0:
                    problems.append(f"{where}: no first-call time")
                if len(r["round_medians_ms"]) != data["provenance"]["rounds"]:
                    problems.append(f"{where}: not one median per round")
    return problems


def test_quick_run_measures_what_it_was_asked(quick):
    proc = quick["proc"]
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr[-4000:]}"
    names = NARROW.split(",")
    assert not measured_problems(quick["data"], names[:4], names[4:])
    assert quick["store_untouched"]


def test_every_configuration_runs(tmp_path):
    """The whole matrix, in quick mode. Skipped while the stored full run is fresh: it was
    published only because every configuration ran, at these inputs and these versions."""
    doc = json.loads((STORE / "bench.json").read_text(encoding="utf-8"))
    fresh = inputs.stale_reason(doc, "docs/results/bench.json") is None and \
        doc["provenance"]["versions"] == provenance.versions()
    if fresh and not os.environ.get("BENCH_MATRIX"):
        pytest.skip("docs/results/bench.json is fresh: its run measured every configuration at these "
                    "inputs and versions (`make bench-quick` runs this test anyway)")
    run = quick_run(tmp_path)
    assert run["proc"].returncode == 0, f"{run['proc'].stdout}\n{run['proc'].stderr[-4000:]}"
    assert not measured_problems(run["data"], list(configs.BY_NAME), list(configs.TASKS))


def test_ceilings_bound_every_row(quick):
    data = quick["data"]
    assert set(data["ceilings"]) == set(configs.CEILINGS)
    best = max(c["gflops_best"] for c in data["ceilings"].values())
    assert data["machine_ceiling"]["gflops"] == best
    for lib, c in data["ceilings"].items():
        assert c["measured_by"] == configs.CEILINGS[lib]
        assert set(c["sizes"]) == {str(n) for n in runner.MODES["quick"]["ceiling_sizes"]}
        assert all(s["gflops_best"] >= s["gflops_median"] > 0 for s in c["sizes"].values())
    for r in data["results"]:
        if r["workload"] in ("linreg", "pipeline"):  # 16 FLOP a step; no model: no GFLOP/s claimed
            assert "gflops" not in r and "flops_per_step" not in r
            continue
        assert r["flops_per_step"] == data["flops"][r["workload"]][r["task"]]
        assert r["pct_of_ceiling"] == pytest.approx(r["gflops"] / best * 100)


def test_compiled_rows_carry_their_evidence(quick):
    rows = [r for r in quick["data"]["results"] if r["config"] == "tf_function"]
    assert rows and all(r["compiled"]["traces"] >= 1 for r in rows)
    assert not runner.compile_failures(quick["data"]["results"])


def test_idle_workers_are_measured(quick):
    idle = quick["data"]["idle_worker_cores"]
    assert set(idle) == set(NARROW.split(",")[:4]) and all(x >= 0 for x in idle.values())
    assert quick["data"]["provenance"]["settings"]["wait_policy"] == "passive"


def test_provenance_and_backends(quick):
    data = quick["data"]
    prov = data["provenance"]
    for key in ("cpu", "threads", "os", "versions", "fingerprint", "commit", "date"):
        assert prov.get(key), key
    assert prov["mode"] == "quick" and prov["intra_op_threads"] == prov["threads"]
    assert prov["inter_op_threads"] == 1
    backends = data["backends"]
    assert "torch_config" in backends and "torch_mkldnn_available" in backends
    assert backends["numpy_blas"]
    assert "TF_ENABLE_ONEDNN_OPTS" in backends["tensorflow"] and "build_info" in backends["tensorflow"]
    assert data["input_hash"] == inputs.input_hash(prov["versions"])


def test_crosscheck_is_paired_round_by_round(quick):
    xc = quick["data"]["crosscheck"]
    assert xc["workload"] == "mlp" and xc["config"] == "torch_eager"
    assert len(xc["rounds"]) == quick["data"]["provenance"]["rounds"]
    ratios = [x["median_ms"] / x["harness_ms"] for x in xc["rounds"]]
    assert xc["ratio_min"] == min(ratios) and xc["ratio_max"] == max(ratios)


def numbers_in_table_rows(text):
    import re

    body = [ln for ln in text.splitlines() if ln.startswith("| ")][1:]  # skip the header row
    return [re.findall(r"\d+(?:\.\d+)?", "|".join(ln.split("|")[3:])) for ln in body]


def test_report_renders_both_languages_with_the_same_numbers(quick, tmp_path):
    runs = [quick["data"]]
    written = report.render(runs=runs, tables_dir=tmp_path / "t", plots_dir=tmp_path / "p")
    assert len(written) == len(set(written))
    for workload in ("linreg", "mlp"):
        zh = (tmp_path / "t" / f"bench_{workload}.zh.md").read_text(encoding="utf-8")
        en = (tmp_path / "t" / f"bench_{workload}.en.md").read_text(encoding="utf-8")
        assert "中位数" in zh and "median" in en
        assert "规则至少需要" in zh and "the rule needs" in en  # quick mode: too few rounds
        zh_rows, en_rows = numbers_in_table_rows(zh), numbers_in_table_rows(en)
        assert zh_rows and zh_rows == en_rows
        svgs = {lang: (tmp_path / "p" / f"bench_{workload}.{lang}.svg").read_text(encoding="utf-8")
                for lang in ("zh", "en")}
        assert "<svg" in svgs["en"] and svgs["zh"] != svgs["en"]
    for lang in ("zh", "en"):
        assert (tmp_path / "t" / f"bench_summary.{lang}.md").read_text(encoding="utf-8").count("\n| ") >= 4
    first = {p: p.read_bytes() for p in written}  # byte-reproducible: rendering again gives the same files
    report.render(runs=runs, tables_dir=tmp_path / "t", plots_dir=tmp_path / "p")
    assert {p: p.read_bytes() for p in written} == first


def test_bad_only_value_exits_nonzero_with_a_message(tmp_path):
    proc = subprocess.run([sys.executable, *BENCH, "--quick", "--only", "no_such_thing",
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "--only" in proc.stderr and "no_such_thing" in proc.stderr
    assert not any(tmp_path.iterdir())


def test_a_failing_or_uncompiled_configuration_never_replaces_good_results(tmp_path):
    """A worker whose setup fails, and a compiled configuration that shows no compilation
    (a fake: its evidence zeroed), both stop the run before anything is written."""
    good = tmp_path / "bench.json"
    good.write_text('{"good": true}\n')
    env = {**os.environ, "BENCH_INJECT_FAILURE": "torch_eager", "BENCH_INJECT_NO_COMPILE": "tf_function"}
    proc = subprocess.run([sys.executable, *BENCH, "--quick", "--only",
                           "torch_eager,tf_function,linreg", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode != 0
    assert "FAILED torch_eager linreg" in proc.stderr
    assert "NOT COMPILED tf_function linreg/step" in proc.stderr, proc.stderr[-3000:]
    assert good.read_text() == '{"good": true}\n'
    failed = json.loads((tmp_path / "bench.failed.json").read_text())
    assert any("injected" in r.get("error", "") for r in failed["results"])
    assert not list(tmp_path.glob("*.tmp"))


def test_transformer_flops_match_the_closed_form():
    """Every matrix product of the encoder layer, attention's QKᵀ and AV included: on CPU
    they run in an operator FlopCounterMode has no formula for, so bench_workloads lends it one."""
    import bench_workloads as w

    b, s, d, f, h = w.BATCH["transformer"], w.SEQ, w.D_MODEL, w.D_FF, w.HEADS
    tokens = b * s
    qkv, out, ff = 2 * tokens * d * 3 * d, 2 * tokens * d * d, 2 * 2 * tokens * d * f
    scores = values = 2 * b * h * s * s * (d // h)  # QKᵀ and AV
    forward = qkv + out + ff + scores + values
    # backward: weight gradients of every linear layer, input gradients of all but the first
    # (its input needs none); attention recomputes QKᵀ and computes dP, dV, dQ, dK
    linear_backward = 2 * (qkv + out + ff) - qkv
    attention_backward = 5 * scores
    assert w.torch_flops("transformer") == {"infer": forward,
                                            "train": forward + linear_backward + attention_backward}


def test_mlp_flops_are_counted_not_assumed():
    """FlopCounterMode counts no input gradient for the first layer: for the MLP a training
    step is 2 x forward + the second layer's input gradient, not 3 x forward."""
    import bench_workloads as w

    b = w.BATCH["mlp"]
    forward = 2 * b * (784 * 256 + 256 * 10)
    assert w.torch_flops("mlp") == {"infer": forward, "train": 2 * forward + 2 * b * 256 * 10}
    stored = json.loads((STORE / "bench.json").read_text(encoding="utf-8"))["flops"]
    assert stored == {name: w.torch_flops(name) for name in stored}
