"""The verdict rule: which sentence a set of per-round ratios earns, in both languages."""

import sys

import pytest

from pages import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from bench import verdict  # noqa: E402
from bench.verdict import MARGIN, MIN_ROUNDS, rule  # noqa: E402


def test_a_clear_win_and_a_clear_loss():
    assert rule([0.13, 0.14, 0.135, 0.14, 0.13]) == "faster"
    assert rule([2.0, 2.1, 1.9, 2.3, 2.05]) == "slower"


def test_every_round_must_clear_the_margin():
    assert rule([1 / MARGIN] * MIN_ROUNDS) == "faster"  # exactly at the margin counts
    assert rule([0.5, 0.5, 0.5, 0.5, 0.95]) == "unstable"  # one round inside the band
    assert rule([MARGIN, 1.5, 1.5, 1.5, 1.09]) == "unstable"


def test_a_noisy_pair_gets_no_verdict():
    assert rule([0.91, 1.12, 0.97, 1.05, 0.93]) == "unstable"


def test_rounds_that_disagree_get_no_verdict():
    assert rule([0.5, 0.6, 2.0, 0.55, 0.5]) == "unstable"


def test_within_the_band_in_every_round_is_about_the_same():
    assert rule([0.95, 1.04, 0.99, 1.02, 0.97]) == "same"


def test_too_few_rounds_give_no_verdict():
    assert rule([0.1] * (MIN_ROUNDS - 1)) == "too_few"


def data(times):
    """Results for one task: {config: per-round medians}."""
    return {"results": [{"workload": "mlp", "task": "train", "config": c, "median_ms": sorted(t)[len(t) // 2],
                         "round_medians_ms": t} for c, t in times.items()]}


RUN = data({"tf_eager": [10.0, 11.0, 10.5, 10.2, 9.8], "tf_function": [1.4, 1.5, 1.45, 1.4, 1.38],
            "torch_eager": [1.2, 1.8, 1.3, 1.25, 1.6], "torch_compile": [2.0, 2.1, 2.2, 2.0, 2.1]})


def test_ratios_are_paired_round_by_round():
    v = verdict.compare(RUN, "mlp/train", "tf_function", "tf_eager")
    assert v.ratios == pytest.approx([1.4 / 10, 1.5 / 11, 1.45 / 10.5, 1.4 / 10.2, 1.38 / 9.8])
    assert v.kind == "faster"


def test_sentences_in_both_languages():
    v = verdict.compare(RUN, "mlp/train", "tf_function", "tf_eager")
    speedups = sorted(1 / r for r in v.ratios)
    en, zh = verdict.render(v, "en"), verdict.render(v, "zh")
    assert en == (f"tf.function is {verdict.fmt(1 / v.median)}× faster than TF eager "
                  f"(per-round range {verdict.fmt(speedups[0])}–{verdict.fmt(speedups[-1])}×)")
    assert zh.startswith("tf.function 比 TF 即时执行快，速度是后者的 ")
    slow = verdict.compare(RUN, "mlp/train", "tf_eager", "tf_function")
    assert verdict.render(slow, "en").startswith("TF eager is ") and "slower" in verdict.render(slow, "en")
    assert "慢" in verdict.render(slow, "zh")
    noisy = verdict.compare(RUN, "mlp/train", "torch_eager", "tf_function")
    assert noisy.kind == "unstable"
    assert verdict.render(noisy, "en").startswith("no stable difference between PyTorch eager and tf.function")
    assert "没有稳定的差异" in verdict.render(noisy, "zh")


def test_selectors_pick_the_fastest_configuration_of_a_framework():
    best = verdict.compare(RUN, "mlp/train", "best:torch", "best:tf")
    assert (best.a, best.b) == ("torch_eager", "tf_function")
    graph = verdict.compare(RUN, "mlp/train", "graph:torch", "graph:tf")
    assert (graph.a, graph.b) == ("torch_compile", "tf_function")
    assert "(torch.compile)" in verdict.render(graph, "en") and "（torch.compile）" in verdict.render(graph, "zh")


def test_unmeasured_and_unknown_configurations():
    assert verdict.compare(RUN, "mlp/train", "tf_xla", "tf_eager") is None
    assert "not measured" in verdict.render(None, "en", "tf_xla", "tf_eager")
    with pytest.raises(KeyError, match="unknown configuration 'tf_eagre'"):
        verdict.compare(RUN, "mlp/train", "tf_eagre", "tf_eager")
    with pytest.raises(KeyError, match="unknown selector"):
        verdict.compare(RUN, "mlp/train", "fastest:tf", "tf_eager")


def test_the_rule_stated_on_the_page_carries_the_code_constants():
    for lang in ("en", "zh"):
        text = verdict.rule_text(lang)
        assert f"{MIN_ROUNDS}" in text and f"{round((MARGIN - 1) * 100)}" in text
