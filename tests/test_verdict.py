"""The verdict rule: which sentence a set of per-round ratios earns, in both languages."""


import pytest


from bench import verdict
from bench.verdict import MARGIN, MIN_ROUNDS, rule

pytestmark = pytest.mark.fast  # `make test-fast`


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
    # speed-ups per round: 7.14, 7.33, 7.24, 7.29, 7.10; the median is 7.24
    assert verdict.render(v, "en") == "tf.function is 7.24× faster than TF eager (per-round range 7.10–7.33×)"
    assert verdict.render(v, "zh") == "tf.function 比 TF 即时执行快，速度是后者的 7.24 倍（各测量轮 7.10–7.33 倍）"
    slow = verdict.compare(RUN, "mlp/train", "tf_eager", "tf_function")
    assert verdict.render(slow, "en") == ("TF eager is 7.24× slower than tf.function (takes 7.24× as long; "
                                          "per-round range 7.10–7.33×)")
    assert verdict.render(slow, "zh") == "TF 即时执行比 tf.function 慢，耗时是后者的 7.24 倍（各测量轮 7.10–7.33 倍）"
    noisy = verdict.compare(RUN, "mlp/train", "torch_eager", "tf_function")
    assert noisy.kind == "unstable"
    assert verdict.render(noisy, "en") == ("no stable difference between PyTorch eager and tf.function "
                                           "(per-round ratios 0.86–1.20)")
    assert verdict.render(noisy, "zh") == ("PyTorch 即时执行与 tf.function 之间没有稳定的差异"
                                           "（各测量轮耗时比 0.86–1.20）")


def test_about_the_same_and_too_few_rounds():
    same = verdict.Verdict("mlp/train", "tf_xla", "tf_function", "tf_xla", "tf_function",
                           (0.95, 1.04, 0.99, 1.02, 0.97))
    assert verdict.render(same, "en") == ("tf.function + XLA and tf.function are within 10 % of each other "
                                          "in every round (per-round ratios 0.95–1.04)")
    assert verdict.render(same, "zh") == ("tf.function + XLA 与 tf.function 在每个测量轮都相差不到 10%"
                                          "（各测量轮耗时比 0.95–1.04）")
    few = verdict.Verdict("mlp/train", "tf_xla", "tf_function", "tf_xla", "tf_function", (0.5, 0.5))
    assert verdict.render(few, "en") == ("no verdict on tf.function + XLA against tf.function: 2 round(s) "
                                         f"measured, the rule needs {MIN_ROUNDS}")


def test_both_directions_give_the_same_factor_with_an_even_number_of_rounds():
    ratios = (2.0, 2.1, 2.2, 2.3, 2.4, 2.5)
    ab = verdict.Verdict("mlp/train", "tf_eager", "tf_function", "tf_eager", "tf_function", ratios)
    ba = verdict.Verdict("mlp/train", "tf_function", "tf_eager", "tf_function", "tf_eager",
                         tuple(1 / r for r in ratios))
    assert verdict.render(ab, "en").split("×")[0].endswith("2.25")  # sqrt(2.2 * 2.3): the log-scale middle
    assert verdict.render(ab, "en").split("×")[0][-4:] == verdict.render(ba, "en").split("×")[0][-4:]


def test_a_range_never_mixes_precisions():
    assert verdict.fmt(8.71, 9.2, 12.4) == ["9", "9", "12"]
    assert verdict.fmt(1.456, 2.1) == ["1.46", "2.10"]
    assert verdict.fmt(9.996) == ["10"]


def test_the_margin_in_the_sentences_comes_from_the_code(monkeypatch):
    monkeypatch.setattr(verdict, "MARGIN", 1.2)
    same = verdict.Verdict("mlp/train", "tf_xla", "tf_function", "tf_xla", "tf_function", (0.9, 1.1) * 3)
    assert "within 20 %" in verdict.render(same, "en") and "相差不到 20%" in verdict.render(same, "zh")


def test_selectors_pick_the_fastest_configuration_of_a_framework():
    best = verdict.compare(RUN, "mlp/train", "best:torch", "best:tf")
    assert (best.a, best.b) == ("torch_eager", "tf_function")
    graph = verdict.compare(RUN, "mlp/train", "graph:torch", "graph:tf")
    assert (graph.a, graph.b) == ("torch_compile", "tf_function")
    en, zh = verdict.render(graph, "en"), verdict.render(graph, "zh")
    assert en.startswith("the fastest PyTorch graph-mode configuration (torch.compile) is ")
    assert zh.startswith("PyTorch 最快的图模式配置 torch.compile 比 TensorFlow 最快的图模式配置 tf.function 慢")


def test_unmeasured_and_unknown_configurations():
    assert verdict.compare(RUN, "mlp/train", "tf_xla", "tf_eager") is None
    assert verdict.render(None, "en", "best:tf", "tf_eager") == (
        "no verdict: the fastest TensorFlow configuration or TF eager was not measured")
    with pytest.raises(KeyError, match="unknown configuration 'tf_eagre'"):
        verdict.compare(RUN, "mlp/train", "tf_eagre", "tf_eager")
    for bad in ("fastest:tf", "best:tf:x", "best:jax"):
        with pytest.raises(KeyError, match="unknown selector"):
            verdict.compare(RUN, "mlp/train", bad, "tf_eager")


def test_the_rule_stated_on_the_page_carries_the_code_constants():
    for lang in ("en", "zh"):
        text = verdict.rule_text(lang)
        assert f"{MIN_ROUNDS}" in text and f"{round((MARGIN - 1) * 100)}" in text
