"""The results store: fresh, cached, atomic, and glued into prose."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from types import SimpleNamespace

import glue
import pytest
from pages import DOCS, includes, pages

from pvt.common import ROOT
from pvt.pipeline import results

pytestmark = pytest.mark.fast  # `make test-fast`


@pytest.mark.parametrize("job", results.JOBS, ids=lambda j: j.name)
def test_result_is_fresh(job):
    reason = results.stale_reason(job)
    assert reason is None, f"stale result: {reason}; regenerate it with `make results`"


def test_every_included_result_has_a_job():
    names = {j.name for j in results.JOBS}
    orphans = {t for p in pages() for t in includes(p)
               if t.startswith("docs/results/") and t.endswith(".out")
               and t.removeprefix("docs/results/").removesuffix(".out") not in names}
    assert not orphans, f"pages include results that no job in pvt/pipeline/results.py produces: {sorted(orphans)}"


def test_provenance_is_complete():
    for job in results.JOBS:
        meta = results.read_meta(job)
        record = meta["provenance"]
        for key in ("cpu", "threads", "os", "commit", "date", "seed", "fingerprint", "versions"):
            assert record.get(key) not in (None, ""), f"docs/results/{job.name}.meta.json lacks {key}"
        assert {"python", "torch", "tensorflow-cpu", "keras", "numpy"} <= record["versions"].keys()


@pytest.fixture
def store(tmp_path, monkeypatch):
    """An empty results store and two jobs: one that works, one that raises."""
    (tmp_path / "good.py").write_text("print('fresh')\n")
    (tmp_path / "bad.py").write_text("raise ValueError('broken on purpose')\n")
    jobs = [results.Job("good", str(tmp_path / "good.py")), results.Job("bad", str(tmp_path / "bad.py"))]
    monkeypatch.setattr(results, "STORE", tmp_path / "store")
    monkeypatch.setattr(results, "JOBS", jobs)
    # these snippets live outside the checkout: record a made-up commit for them
    monkeypatch.setattr(results.provenance, "commit_for", lambda inputs, allow_dirty=False: "0" * 12)
    return tmp_path / "store"


def test_failing_job_keeps_previous_result_and_exits_nonzero(store, capsys):
    store.mkdir()
    (store / "bad.out").write_text("previous result\n")
    assert results.main([]) == 1
    err = capsys.readouterr().err
    assert "bad.py" in err and "ValueError: broken on purpose" in err and "previous files are kept" in err
    assert (store / "bad.out").read_text() == "previous result\n"
    assert (store / "good.out").read_text() == "fresh\n"
    assert not list(store.glob("*.tmp"))


def test_unchanged_inputs_are_not_rerun(store, capsys):
    assert results.main(["--only", "good"]) == 0
    first = (store / "good.meta.json").read_text()
    assert results.main(["--only", "good"]) == 0
    assert "cached" in capsys.readouterr().out
    assert (store / "good.meta.json").read_text() == first
    (store / "good.out").write_text("stale\n")
    assert results.main(["--only", "good", "--force"]) == 0
    assert "running" in capsys.readouterr().out
    assert (store / "good.out").read_text() == "fresh\n"


def test_changed_snippet_is_reported_stale(store, tmp_path):
    assert results.main(["--only", "good"]) == 0
    (tmp_path / "good.py").write_text("print('changed')\n")
    reason = results.stale_reason(results.JOBS[0])
    assert reason and "good.py" in reason
    assert results.main(["--check", "--only", "good"]) == 1


def test_unknown_job_is_a_clear_error(capsys):
    with pytest.raises(SystemExit):
        results.main(["--only", "no-such-job"])
    assert "unknown job" in capsys.readouterr().err


def page(src_uri):
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri))


def plain(markdown):
    """The text without the provenance links glue wraps each value in."""
    return re.sub(r'\[([^\[\]]*)\]\([^ )]* "[^"]*"\)\{ \.glued \}', r"\1", markdown)


CONFIG = {"docs_dir": str(DOCS)}


def test_glue_fills_numbers_from_the_store():
    data = json.loads((DOCS / "results/linreg_study.json").read_text())
    text = glue.on_page_markdown("x {{ glue linreg_study/frameworks/pytorch/pred_at_5 .4f }} y",
                                 page("practice.en.md"), CONFIG, None)
    assert plain(text) == f"x {data['frameworks']['pytorch']['pred_at_5']:.4f} y"
    # the tooltip: when and where first, then the source file and key, then the commit (review G-2)
    assert re.fullmatch(r'x \[[\d.]+\]\(provenance\.md#linreg-study "Measured \d{4}-\d\d-\d\d on .+; '
                        r'torch .+\. Source: linreg_study\.json \(frameworks/pytorch/pred_at_5\), commit [0-9a-f]{7}"'
                        r'\)\{ \.glued \} y', text), text


def test_glue_names_the_page_and_key_when_missing():
    with pytest.raises(Exception, match=r"docs/practice.zh.md.*linreg_study/nope"):
        glue.on_page_markdown("{{ glue linreg_study/nope }}", page("practice.zh.md"), CONFIG, None)


def test_measured_line_is_written_in_the_page_language():
    zh = glue.on_page_markdown("{{ measured linreg_study }}", page("practice.zh.md"), CONFIG, None)
    en = glue.on_page_markdown("{{ measured linreg_study }}", page("practice.en.md"), CONFIG, None)
    assert zh.startswith("测量环境") and en.startswith("Measured on")
    torch = results.read_meta(results.Job("linreg_study", ""))["provenance"]["versions"]["torch"]
    assert f"torch {torch}" in zh and f"torch {torch}" in en


def test_glue_picks_one_list_element_by_its_fields(tmp_path):
    (tmp_path / "results").mkdir()
    (tmp_path / "results/demo.json").write_text(json.dumps(
        {"rows": [{"name": "a", "ms": 1.5}, {"name": "b", "ms": 2.25}, {"name": "b", "ms": 3.0}]}))
    config = {"docs_dir": str(tmp_path)}
    assert plain(glue.on_page_markdown("{{ glue demo/rows/name=a/ms .1f }}", page("x.en.md"), config, None)) == "1.5"
    with pytest.raises(Exception, match="2 entries"):
        glue.on_page_markdown("{{ glue demo/rows/name=b/ms }}", page("x.en.md"), config, None)


def test_compare_renders_the_verdict_rule_in_the_page_language(tmp_path):
    from pvt.bench import verdict

    rows = [{"workload": "mlp", "task": "train", "config": c, "median_ms": t[0], "round_medians_ms": t}
            for c, t in {"tf_eager": [10.0] * 5, "tf_function": [1.4, 1.5, 1.45, 1.4, 1.38]}.items()]
    (tmp_path / "results").mkdir()
    (tmp_path / "results/bench.json").write_text(json.dumps({"results": rows}))
    config = {"docs_dir": str(tmp_path)}
    macro = "{{ compare mlp/train tf_function tf_eager }}"
    v = verdict.compare({"results": rows}, "mlp/train", "tf_function", "tf_eager")
    for lang in ("en", "zh"):
        out = glue.on_page_markdown(f"x {macro} y", page(f"benchmarks.{lang}.md"), config, None)
        assert plain(out) == f"x {verdict.render(v, lang)} y"
    assert glue.on_page_markdown("{{ verdict_rule }}", page("b.zh.md"), config, None) == verdict.rule_text("zh")
    with pytest.raises(Exception, match=r"docs/b\.en\.md.*unknown configuration 'tf_eagre'"):
        glue.on_page_markdown("{{ compare mlp/train tf_eagre tf_eager }}", page("b.en.md"), config, None)
    with pytest.raises(Exception, match=r"docs/b\.en\.md.*no task 'cnn/train'"):
        glue.on_page_markdown("{{ compare cnn/train tf_function tf_eager }}", page("b.en.md"), config, None)
    with pytest.raises(Exception, match=r"docs/b\.en\.md.*unknown selector 'best:tf:x'"):
        glue.on_page_markdown("{{ compare mlp/train best:tf:x tf_eager }}", page("b.en.md"), config, None)
    assert plain(glue.on_page_markdown("{{ compare mlp/train tf_xla tf_eager }}", page("b.en.md"), config, None)) == (
        "no verdict: tf.function + XLA or TensorFlow eager was not measured")
    (tmp_path / "results/machines/m2").mkdir(parents=True)
    other = {"results": [{**r, "round_medians_ms": [t * 2 for t in r["round_medians_ms"]]}
                         if r["config"] == "tf_function" else r for r in rows]}
    (tmp_path / "results/machines/m2/bench.json").write_text(json.dumps(other))
    v2 = verdict.compare(other, "mlp/train", "tf_function", "tf_eager")
    out = glue.on_page_markdown(f"{macro[:-3]} @m2 }}}}", page("b.en.md"), config, None)
    assert plain(out) == verdict.render(v2, "en") != verdict.render(v, "en")


def test_measured_line_says_when_the_inputs_were_not_committed(tmp_path):
    record = json.loads((DOCS / "results/linreg_study.meta.json").read_text())["provenance"]
    (tmp_path / "results").mkdir()
    for commit, said in ((record["commit"], False), (record["commit"] + "-dirty", True)):
        meta = {"provenance": {**record, "commit": commit}}
        (tmp_path / "results/demo.meta.json").write_text(json.dumps(meta))
        for lang, notice in (("en", "inputs not committed"), ("zh", "输入未提交")):
            line = glue.on_page_markdown("{{ measured demo }}", page(f"x.{lang}.md"),
                                         {"docs_dir": str(tmp_path)}, None)
            assert (notice in line) is said, line


def test_an_interrupted_run_prints_one_line_exits_130_and_keeps_the_store(tmp_path):
    store, slow = tmp_path / "store", tmp_path / "slow.py"
    slow.write_text("import time\nprint('started', flush=True)\ntime.sleep(120)\n")
    store.mkdir()
    (store / "slow.out").write_text("previous result\n")
    (store / "slow.meta.json").write_text('{"input_hash": "old"}\n')
    before = {p.name: p.read_bytes() for p in store.iterdir()}
    # A shell that starts jobs in the background makes them ignore SIGINT: restore Ctrl-C's handler.
    driver = ("import pathlib, signal, sys\nsignal.signal(signal.SIGINT, signal.default_int_handler)\n"
              "from pvt.pipeline import results\n"
              f"results.STORE = pathlib.Path({str(store)!r})\n"
              f"results.JOBS = [results.Job('slow', {str(slow)!r})]\n"
              "sys.exit(results.main(['--force', '--allow-dirty']))\n")
    proc = subprocess.Popen([sys.executable, "-c", driver], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env=os.environ)
    assert "running" in proc.stdout.readline()  # the job has started
    time.sleep(1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip() == "interrupted; previous job files kept", err
    assert {p.name: p.read_bytes() for p in store.iterdir()} == before
