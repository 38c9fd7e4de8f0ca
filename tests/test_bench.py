"""The benchmark harness: it runs every configuration and records what it measured.

One `scripts/bench --quick` run into a temporary folder serves most tests here. The tests
check behaviour (everything present, statistics consistent, rounds paired, FLOPs counted,
provenance recorded, report rendered, errors handled), never how fast anything is.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "scripts" / "bench"
STORE = ROOT / "docs" / "results"

from bench import configs, report, runner, verdict  # noqa: E402


def store_state():
    if not STORE.exists():
        return {}
    return {p: p.stat().st_mtime_ns for p in STORE.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench-quick")
    before = store_state()
    proc = subprocess.run([sys.executable, str(BENCH), "--quick", "--out", str(out)],
                          capture_output=True, text=True, timeout=1200)
    path = out / "bench.json"
    if not path.exists():
        path = out / "bench.failed.json"
    assert path.exists(), (f"scripts/bench --quick wrote nothing (status {proc.returncode})\n"
                           f"{proc.stdout}\n{proc.stderr[-4000:]}")
    return {"proc": proc, "data": json.loads(path.read_text()), "out": out,
            "store_untouched": store_state() == before}


def test_quick_run_succeeds(quick):
    proc = quick["proc"]
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr[-4000:]}"
    assert (quick["out"] / "bench.json").exists()
    measured = {row["config"] for row in quick["data"]["results"] if row["median_ms"] > 0}
    assert measured == set(configs.BY_NAME), f"no timing for {sorted(set(configs.BY_NAME) - measured)}"


def test_quick_mode_leaves_the_results_store_alone(quick):
    assert quick["store_untouched"]


def test_every_configuration_and_workload_is_measured(quick):
    rows = {(r["workload"], r["task"], r["config"]): r for r in quick["data"]["results"]}
    problems = []
    for workload, tasks in configs.TASKS.items():
        for task in tasks:
            for config in (c.name for c in configs.configs_for(workload)):
                r = rows.get((workload, task, config))
                if r is None:
                    problems.append(f"{workload}/{task}/{config}: missing")
                elif "error" in r:
                    problems.append(f"{workload}/{task}/{config}: {r['error'][:500]}")
                else:
                    med, p25, p75 = r["median_ms"], r["p25_ms"], r["p75_ms"]
                    if not all(isinstance(v, float) and v > 0 for v in (med, p25, p75)):
                        problems.append(f"{workload}/{task}/{config}: non-positive {r}")
                    if not p25 <= med <= p75:
                        problems.append(f"{workload}/{task}/{config}: p25 {p25} median {med} "
                                        f"p75 {p75} out of order")
                    if not all(t > 0 for rnd in r["samples_ms"] for t in rnd):
                        problems.append(f"{workload}/{task}/{config}: a sample is not positive")
                    if not r["first_call_s"] > 0:
                        problems.append(f"{workload}/{task}/{config}: no first-call time")
                    if len(r["round_medians_ms"]) != quick["data"]["provenance"]["rounds"]:
                        problems.append(f"{workload}/{task}/{config}: not one median per round")
    assert not problems, "\n".join(problems)


def test_ceilings_flops_and_share_of_own_ceiling(quick):
    data = quick["data"]
    assert set(data["ceilings"]) == set(configs.CEILINGS)
    for lib, c in data["ceilings"].items():
        assert c["gflops_median"] > 0 and c["measured_by"] == configs.CEILINGS[lib]
    for r in data["results"]:
        if r["workload"] in ("linreg", "pipeline"):  # 16 FLOP a step; no model: no GFLOP/s claimed
            assert "gflops" not in r and "flops_per_step" not in r
            continue
        own = data["ceilings"][configs.BY_NAME[r["config"]].framework]["gflops_median"]
        assert r["flops_per_step"] == data["flops"][r["workload"]][r["task"]]
        assert r["pct_of_ceiling"] == pytest.approx(r["gflops"] / own * 100)


def test_flops_are_counted_not_assumed():
    """FlopCounterMode counts no input gradient for the first layer: for the MLP a training
    step is 2 x forward + the second layer's input gradient, not 3 x forward."""
    import bench_workloads as w

    b = w.BATCH["mlp"]
    forward = 2 * b * (784 * 256 + 256 * 10)
    assert w.torch_flops("mlp") == {"infer": forward, "train": 2 * forward + 2 * b * 256 * 10}
    stored = json.loads((STORE / "bench.json").read_text(encoding="utf-8"))["flops"]
    assert stored == {name: w.torch_flops(name) for name in stored}


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
    assert "TF_ENABLE_ONEDNN_OPTS" in backends["tensorflow"]
    assert data["input_hash"] == runner.input_hash(prov["versions"])
    assert "build_info" in backends["tensorflow"]


def test_crosscheck_is_paired_round_by_round(quick):
    xc = quick["data"]["crosscheck"]
    assert xc["workload"] == "mlp" and xc["config"] == "torch_eager"
    assert len(xc["rounds"]) == quick["data"]["provenance"]["rounds"]
    ratios = [x["median_ms"] / x["harness_ms"] for x in xc["rounds"]]
    assert xc["ratio_min"] == min(ratios) and xc["ratio_max"] == max(ratios)


def test_runner_and_report_share_one_configuration_list():
    assert report.CONFIGS is configs.CONFIGS and verdict.CONFIGS is configs.CONFIGS
    assert not hasattr(runner, "CONFIGS") and not hasattr(report, "WORKLOADS")


def numbers_in_table_rows(text):
    body = [ln for ln in text.splitlines() if ln.startswith("| ")][1:]  # skip the header row
    return [re.findall(r"\d+(?:\.\d+)?", "|".join(ln.split("|")[3:])) for ln in body]


def test_report_renders_both_languages_with_the_same_numbers(quick, tmp_path):
    runs = [quick["data"]]
    written = report.render(runs=runs, tables_dir=tmp_path / "t", plots_dir=tmp_path / "p")
    assert len(written) == len(set(written))
    for workload in configs.TASKS:
        zh = (tmp_path / "t" / f"bench_{workload}.zh.md").read_text(encoding="utf-8")
        en = (tmp_path / "t" / f"bench_{workload}.en.md").read_text(encoding="utf-8")
        assert "中位数" in zh and "median" in en
        assert "规则至少需要" in zh and "the rule needs" in en  # quick mode: too few rounds
        zh_rows, en_rows = numbers_in_table_rows(zh), numbers_in_table_rows(en)
        assert zh_rows and zh_rows == en_rows
        svgs = {lang: (tmp_path / "p" / f"bench_{workload}.{lang}.svg").read_text(encoding="utf-8")
                for lang in ("zh", "en")}
        assert "<svg" in svgs["en"] and svgs["zh"] != svgs["en"]
        assert "中位数" in svgs["zh"] and "median" in svgs["en"]  # the labels, kept as comments
    # byte-reproducible: rendering again gives the same files
    first = {p: p.read_bytes() for p in written}
    report.render(runs=runs, tables_dir=tmp_path / "t", plots_dir=tmp_path / "p")
    assert {p: p.read_bytes() for p in written} == first


def test_bad_only_value_exits_nonzero_with_a_message(tmp_path):
    proc = subprocess.run([sys.executable, str(BENCH), "--quick", "--only", "no_such_thing",
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "--only" in proc.stderr and "no_such_thing" in proc.stderr
    assert not any(tmp_path.iterdir())


def test_a_failing_configuration_never_replaces_good_results(tmp_path):
    good = tmp_path / "bench.json"
    good.write_text('{"good": true}\n')
    env = {**os.environ, "BENCH_INJECT_FAILURE": "torch_eager"}
    proc = subprocess.run([sys.executable, str(BENCH), "--quick", "--only",
                           "torch_eager,linreg", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode != 0
    assert "FAILED" in proc.stderr
    assert good.read_text() == '{"good": true}\n'
    failed = json.loads((tmp_path / "bench.failed.json").read_text())
    assert any("injected" in r.get("error", "") for r in failed["results"])
    assert not list(tmp_path.glob("*.tmp"))


def test_help():
    proc = subprocess.run([sys.executable, str(BENCH), "--help"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0
    for option in ("--quick", "--out", "--device", "--rounds", "--only", "--commit", "--allow-dirty"):
        assert option in proc.stdout


def test_workloads_snippet_runs_alone_and_counts_match_both_frameworks():
    script = ROOT / "snippets" / "bench_workloads.py"
    runs = [subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                           timeout=60) for _ in range(2)]
    assert all(r.returncode == 0 for r in runs)
    assert runs[0].stdout == runs[1].stdout and "parameters" in runs[0].stdout
    # snippets/bench_flops.py asserts, for every workload, equal parameter counts (by hand,
    # PyTorch, Keras) and equal parameter shapes (but for the Transformer's packed Q, K, V)
    proc = subprocess.run([sys.executable, "snippets/bench_flops.py"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    listed = {line.split()[0] for line in proc.stdout.splitlines() if "parameters" in line}
    assert listed == set(configs.MODEL_WORKLOADS), proc.stdout

