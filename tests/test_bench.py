"""The benchmark harness: it runs every configuration and records what it measured.

One `scripts/bench.py --quick` run into a temporary folder serves every test here. The
tests check behaviour (everything present, statistics consistent, provenance recorded,
report rendered, errors handled), never how fast anything is.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "scripts" / "bench.py"
STORE = ROOT / "docs" / "results"
sys.path.insert(0, str(ROOT / "scripts"))

import bench  # noqa: E402
import bench_report  # noqa: E402


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
    assert path.exists(), (f"bench.py --quick wrote nothing (status {proc.returncode})\n"
                           f"{proc.stdout}\n{proc.stderr[-4000:]}")
    return {"proc": proc, "data": json.loads(path.read_text()), "out": out,
            "store_untouched": store_state() == before}


def test_quick_run_succeeds(quick):
    proc = quick["proc"]
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr[-4000:]}"
    assert (quick["out"] / "bench.json").exists()
    for config in bench.CONFIGS:  # progress names every configuration it ran
        assert config in proc.stdout


def test_quick_mode_leaves_the_results_store_alone(quick):
    assert quick["store_untouched"]


def test_every_configuration_and_workload_is_measured(quick):
    rows = {(r["workload"], r["task"], r["config"]): r for r in quick["data"]["results"]}
    problems = []
    for workload, tasks in bench.TASKS.items():
        for task in tasks:
            for config in bench.CONFIGS:
                r = rows.get((workload, task, config))
                if r is None:
                    problems.append(f"{workload}/{task}/{config}: missing")
                elif "error" in r:
                    # the one accepted failure: torch.compile itself cannot compile here,
                    # recorded with its error string and an explanation
                    if not (config == "torch_compile" and r.get("note") and r["error"]):
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
                    if not all(fc > 0 for fc in r["first_call_s"]):
                        problems.append(f"{workload}/{task}/{config}: no first-call time")
    assert not problems, "\n".join(problems)


def test_ratios_and_flops(quick):
    data = quick["data"]
    assert data["peak"]["torch"]["gflops_median"] > 0
    assert data["peak"]["numpy"]["gflops_median"] > 0
    for r in data["results"]:
        if "error" in r:
            continue
        if r["config"] == "torch_eager":
            assert r["ratio_vs_torch_eager"] == pytest.approx(1.0)
        else:
            assert r["ratio_vs_torch_eager"] > 0
        if r["workload"] != "linreg":
            assert r["gflops"] > 0 and r["pct_of_peak"] > 0
            assert r["flops_per_step"] > 0


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
    assert "build_info" in backends["tensorflow"]


def test_crosscheck_with_torch_utils_benchmark(quick):
    (xc,) = quick["data"]["crosscheck"]
    assert xc["workload"] == "mlp" and xc["config"] == "torch_eager"
    assert xc["median_ms"] > 0 and xc["harness_median_ms"] > 0


def numbers_in_table_rows(text):
    body = [ln for ln in text.splitlines() if ln.startswith("| ")][1:]  # skip the header row
    return [re.findall(r"\d+(?:\.\d+)?", "|".join(ln.split("|")[3:])) for ln in body]


def test_report_renders_both_languages_with_the_same_numbers(quick, tmp_path):
    runs = [quick["data"]]
    written = bench_report.render(runs=runs, tables_dir=tmp_path / "t", plots_dir=tmp_path / "p")
    assert len(written) == len(set(written))
    for workload in bench.TASKS:
        zh = (tmp_path / "t" / f"bench_{workload}.zh.md").read_text(encoding="utf-8")
        en = (tmp_path / "t" / f"bench_{workload}.en.md").read_text(encoding="utf-8")
        assert "中位数" in zh and "median" in en
        zh_rows, en_rows = numbers_in_table_rows(zh), numbers_in_table_rows(en)
        assert zh_rows and zh_rows == en_rows
        svg = (tmp_path / "p" / f"bench_{workload}.svg").read_text(encoding="utf-8")
        assert "<svg" in svg
    # byte-reproducible: rendering again gives the same files
    first = {p: p.read_bytes() for p in written}
    bench_report.render(runs=runs, tables_dir=tmp_path / "t", plots_dir=tmp_path / "p")
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
    for option in ("--quick", "--out", "--device", "--rounds", "--only"):
        assert option in proc.stdout


def test_workloads_snippet_runs_alone_and_counts_match_both_frameworks():
    script = ROOT / "snippets" / "bench_workloads.py"
    runs = [subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                           timeout=60) for _ in range(2)]
    assert all(r.returncode == 0 for r in runs)
    assert runs[0].stdout == runs[1].stdout and "parameters" in runs[0].stdout
    check = (
        "import sys; sys.path.insert(0, 'snippets')\n"
        "import bench_workloads as w\n"
        "for name in w.BATCH:\n"
        "    t = sum(p.numel() for p in w.torch_model(name).parameters())\n"
        "    k = w.keras_model(name).count_params()\n"
        "    assert t == k == w.parameters(name), (name, t, k)\n"
        "print('ok')\n")
    proc = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip().endswith("ok"), proc.stderr[-3000:]
