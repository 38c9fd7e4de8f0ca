"""The verdict rule: which sentence a set of per-round ratios earns, in both languages."""

import re

import pytest

from pvt.bench import verdict
from pvt.bench.verdict import MARGIN, MIN_ROUNDS, rule

pytestmark = pytest.mark.fast  # `make test-fast`


def test_a_clear_win_and_a_clear_loss():
    assert rule([0.13, 0.14, 0.135, 0.14, 0.13]) == "faster"
    assert rule([2.0, 2.1, 1.9, 2.3, 2.05]) == "slower"


def test_every_round_must_clear_the_margin():
    assert rule([1 / MARGIN] * MIN_ROUNDS) == "faster"  # exactly at the margin counts
    assert rule([0.5, 0.5, 0.5, 0.5, 0.95]) == "edge_faster"  # one round inside the band
    assert rule([MARGIN, 1.5, 1.5, 1.5, 1.09]) == "edge_slower"


def test_one_side_in_every_round_but_not_always_by_the_margin():
    """CNN training, best against best, in an earlier run: PyTorch faster in 10 of 10 rounds,
    by less than 10 % in some. That is not "no consistent direction"."""
    ratios = [0.73, 0.81, 0.96, 0.88, 0.79, 0.85, 0.92, 0.77, 0.83, 0.90]
    assert rule(ratios) == "edge_faster"
    assert rule([1 / r for r in ratios]) == "edge_slower"


def test_a_noisy_pair_has_no_consistent_winner():
    assert rule([0.91, 1.12, 0.97, 1.05, 0.93]) == "mixed"


def test_rounds_that_disagree_have_no_consistent_winner():
    assert rule([0.5, 0.6, 2.0, 0.55, 0.5]) == "mixed"


def test_within_the_band_in_every_round_is_about_the_same():
    assert rule([0.95, 1.04, 0.99, 1.02, 0.97]) == "same"


def test_too_few_rounds_give_no_verdict():
    assert rule([0.1] * (MIN_ROUNDS - 1)) == "too_few"


def data(times):
    """Results for one task: {config: per-round medians}."""
    return {"results": [{"workload": "mlp", "task": "train", "config": c, "median_ms": sorted(t)[len(t) // 2],
                         "round_medians_ms": t} for c, t in times.items()]}


RUN_TIMES = {"tf_eager": [10.0, 11.0, 10.5, 10.2, 9.8], "tf_function": [1.4, 1.5, 1.45, 1.4, 1.38],
             "torch_eager": [1.2, 1.8, 1.3, 1.25, 1.6], "torch_compile": [2.0, 2.1, 2.2, 2.0, 2.1]}
RUN = data(RUN_TIMES)


def test_ratios_are_paired_round_by_round():
    v = verdict.compare(RUN, "mlp/train", "tf_function", "tf_eager")
    assert v.ratios == pytest.approx([1.4 / 10, 1.5 / 11, 1.45 / 10.5, 1.4 / 10.2, 1.38 / 9.8])
    assert v.kind == "faster"


def test_sentences_in_both_languages():
    v = verdict.compare(RUN, "mlp/train", "tf_function", "tf_eager")
    # speed-ups per round: 7.14, 7.33, 7.24, 7.29, 7.10; the median is 7.24
    assert verdict.render(v, "en") == "tf.function is 7.24× as fast as TensorFlow eager (per round 7.10–7.33×)"
    assert verdict.render(v, "zh") == "tf.function 的速度是 TensorFlow 即时执行的 7.24 倍（各轮 7.10–7.33 倍）"
    slow = verdict.compare(RUN, "mlp/train", "tf_eager", "tf_function")
    assert verdict.render(slow, "en") == "TensorFlow eager takes 7.24× as long as tf.function (per round 7.10–7.33×)"
    assert verdict.render(slow, "zh") == "TensorFlow 即时执行的耗时是 tf.function 的 7.24 倍（各轮 7.10–7.33 倍）"
    noisy = verdict.compare(RUN, "mlp/train", "torch_eager", "tf_function")
    assert noisy.kind == "mixed"
    assert verdict.render(noisy, "en") == ("no consistent winner between PyTorch eager and tf.function "
                                           "(time ratio per round 0.86–1.20)")
    assert verdict.render(noisy, "zh") == ("PyTorch 即时执行与 tf.function 互有快慢，没有稳定的差异"
                                           "（各轮耗时比 0.86–1.20）")
    edge = verdict.Verdict("cnn/train", "torch_eager", "tf_function", "best:torch", "best:tf",
                           (0.73, 0.81, 0.96, 0.88, 0.79))
    assert verdict.render(edge, "en") == (
        "PyTorch's fastest configuration (PyTorch eager) was faster than TensorFlow's fastest "
        "configuration (tf.function) in every round, but by less than 10% in some (time ratio per "
        "round 0.73–0.96)")
    assert verdict.render(edge, "zh") == (
        "每一轮都是 PyTorch 最快的配置（PyTorch 即时执行）比 TensorFlow 最快的配置（tf.function）快，"
        "但有的轮次快不到 10%（各轮耗时比 0.73–0.96）")


def test_about_the_same_and_too_few_rounds():
    same = verdict.Verdict("mlp/train", "tf_xla", "tf_function", "tf_xla", "tf_function",
                           (0.95, 1.04, 0.99, 1.02, 0.97))
    assert verdict.render(same, "en") == ("tf.function + XLA and tf.function are within 10% of each other "
                                          "in every round (time ratio per round 0.95–1.04)")
    assert verdict.render(same, "zh") == ("tf.function + XLA 与 tf.function 在每一轮都相差不到 10%"
                                          "（各轮耗时比 0.95–1.04）")
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
    assert "within 20%" in verdict.render(same, "en") and "相差不到 20%" in verdict.render(same, "zh")


def test_selectors_pick_the_fastest_configuration_of_a_framework():
    best = verdict.compare(RUN, "mlp/train", "best:torch", "best:tf")
    assert (best.a, best.b) == ("torch_eager", "tf_function")
    graph = verdict.compare(RUN, "mlp/train", "graph:torch", "graph:tf")
    assert (graph.a, graph.b) == ("torch_compile", "tf_function")
    en, zh = verdict.render(graph, "en"), verdict.render(graph, "zh")
    assert en.startswith("PyTorch's fastest graph-mode configuration (torch.compile) takes ")
    assert zh.startswith("PyTorch 最快的图模式配置（torch.compile）的耗时是"
                         " TensorFlow 最快的图模式配置（tf.function）的")


def test_unmeasured_and_unknown_configurations():
    assert verdict.compare(RUN, "mlp/train", "tf_xla", "tf_eager") is None
    assert verdict.render(None, "en", "best:tf", "tf_eager") == (
        "no verdict: TensorFlow's fastest configuration or TensorFlow eager was not measured")
    with pytest.raises(KeyError, match="unknown configuration 'tf_eagre'"):
        verdict.compare(RUN, "mlp/train", "tf_eagre", "tf_eager")
    for bad in ("fastest:tf", "best:tf:x", "best:jax"):
        with pytest.raises(KeyError, match="unknown selector"):
            verdict.compare(RUN, "mlp/train", bad, "tf_eager")


def test_the_rule_stated_on_the_page_carries_the_code_constants():
    for lang in ("en", "zh"):
        text = verdict.rule_text(lang)
        assert f"{MIN_ROUNDS}" in text and f"{round((MARGIN - 1) * 100)}" in text


def test_framework_questions_name_pytorch_first():
    """Framework against framework, A is PyTorch: every ratio reads PyTorch ÷ TensorFlow."""
    from pvt.bench.configs import BY_NAME

    def framework(selector):
        kind, name = verdict.parse(selector)
        return name if kind else BY_NAME[name].framework

    for workload in ("mlp", "pipeline"):
        for _, a, b in verdict.questions(workload):
            if {framework(a), framework(b)} == {"torch", "tf"}:
                assert (framework(a), framework(b)) == ("torch", "tf"), (a, b)


def test_pages_name_pytorch_first_framework_against_framework():
    """Every `compare` and `verdicts` on a page that sets one framework against the other
    names PyTorch first, so that every ratio on the site reads PyTorch ÷ TensorFlow."""
    import re

    from pages import DOCS

    from pvt.bench.configs import BY_NAME

    def framework(selector):
        kind, name = verdict.parse(selector)
        return name if kind else BY_NAME[name].framework

    bad = []
    for page in sorted(DOCS.rglob("*.md")):
        directives = re.findall(r"\{\{\s*(?:compare\s+\w+/\w+|verdicts\s+\w+)\s+([\w:]+)\s+([\w:]+)",
                                page.read_text("utf-8"))
        for a, b in directives:
            if (framework(a), framework(b)) == ("tf", "torch"):
                bad.append(f"{page.relative_to(DOCS)}: {a} {b}")
    assert not bad, "name PyTorch first: " + "; ".join(bad)


MODEL_COUNT = re.compile(r"(?:[两二三四五六]|\d+) ?个(?:小)?模型"
                         r"|\b(?:two|three|four|five|six|\d+) (?:small )?models\b")


def test_pages_cite_the_benchmark_for_every_workload_it_measured():
    """A sentence that cites the benchmark for some workloads of a question must cite all that the
    results hold (`{{ verdicts ... }}` does so by construction), and no page types how many models
    were measured: "two small models" outlived the two models it counted."""
    import json
    import re

    from pages import DOCS, prose

    data = json.loads((DOCS / "results" / "bench.json").read_text(encoding="utf-8"))
    measured = {}
    for r in data["results"]:
        measured.setdefault(r["task"], set()).add(r["workload"])
    bad = []
    for page in sorted(DOCS.rglob("*.md")):
        if "results" in page.relative_to(DOCS).parts:
            continue
        for number, line in enumerate(prose(page), 1):
            cited = {}
            for workload, task, a, b in re.findall(r"\{\{\s*compare\s+(\w+)/(\w+)\s+([\w:]+)\s+([\w:]+)", line):
                cited.setdefault((task, a, b), set()).add(workload)
            for (task, a, b), workloads in cited.items():
                if len(workloads) > 1 and workloads != measured.get(task, set()):
                    bad.append(f"{page.relative_to(DOCS)}:{number}: {a} against {b} on {task} for "
                               f"{sorted(workloads)}, but the results have {sorted(measured.get(task, ()))}; "
                               "use {{ verdicts ... }}")
            if re.search(r"基准测试|benchmark", line, re.I):
                bad += [f"{page.relative_to(DOCS)}:{number}: a typed model count '{m.group(0)}'"
                        for m in MODEL_COUNT.finditer(re.sub(r"\{\{.*?\}\}", "", line))]
    assert not bad, "\n".join(bad)


def test_the_workload_check_finds_a_partial_list():
    assert MODEL_COUNT.search("本站的基准测试在两个小模型、一台 CPU 机器上")
    assert MODEL_COUNT.search("on two small models")
    assert not MODEL_COUNT.search("a model with two layers")


def test_two_runs_are_compared_question_by_question():
    from pvt.bench import compare
    other = data({"tf_eager": [10.0, 11.0, 10.5, 10.2, 9.8], "tf_function": [1.4, 1.5, 1.45, 1.4, 1.38],
                  "torch_eager": [2.2, 2.8, 2.3, 2.25, 2.6],  # now slower than torch_compile
                  "torch_compile": [2.0, 2.1, 2.2, 2.0, 2.1]})
    share, differ, n = compare.agreement(RUN, RUN)
    assert (share, differ) == (1.0, []) and compare.contradictions(RUN, RUN) == []
    share, differ, n = compare.agreement(RUN, other)
    changed = {question for (_, question), *_ in differ}
    assert "torch_compile" in changed and share == pytest.approx(1 - len(differ) / n)
    assert ("mlp/train", "torch_compile") in compare.contradictions(RUN, other)


def test_the_comparison_measures_how_far_ratios_moved_and_who_sits_near_a_boundary():
    from pvt.bench import compare
    slower = data({c: [t * (1.2 if c == "tf_eager" else 1.0) for t in times]
                   for c, times in RUN_TIMES.items()})  # tf_eager 20 % slower in every round
    assert compare.drift(RUN, RUN) == (0.0, 0.0)
    # 2 of the 5 questions involve tf_eager: they moved by 20 %, the other 3 not at all
    assert compare.drift(RUN, slower) == (0.0, pytest.approx(0.2))
    # torch_compile / torch_eager is 1.17 in its closest round: 6 % from the boundary at 1.1;
    # every other question is further from 1/1.1, 1 and 1.1
    v = verdict.compare(RUN, "mlp/train", "torch_compile", "torch_eager")
    lowest = min(v.ratios)
    assert compare.near_boundary(data({"torch_compile": [1.0] * 5, "torch_eager": [1.0] * 5}), 0.01) == 1
    assert compare.near_boundary(RUN, lowest / MARGIN - 1 + 0.001) >= 1
    assert compare.near_boundary(RUN, 0.001) == 0


def max_depth(sentence):
    """How deep parentheses nest in a sentence, half- and full-width alike, code spans left out."""
    depth = deepest = 0
    for ch in re.sub(r"`[^`]*`", "", sentence):
        depth += ch in "(（"
        depth -= ch in ")）"
        deepest = max(deepest, depth)
    return deepest


def every_rendered_verdict():
    """Every verdict sentence the published run gives, in both languages."""
    import json

    from pvt.common import ROOT
    run = json.loads((ROOT / "docs/results/bench.json").read_text(encoding="utf-8"))
    for workload, tasks in verdict.TASKS.items():
        for task in tasks:
            for _, a, b in verdict.questions(workload):
                v = verdict.compare(run, f"{workload}/{task}", a, b)
                for lang in ("zh", "en"):
                    yield lang, verdict.render(v, lang, a, b)
        for lang in ("zh", "en"):
            sentence = verdict.across(run, "train", "best:torch", "best:tf", lang, list(verdict.TASKS))
            if sentence:
                yield lang, sentence


def test_generated_verdicts_read_as_sentences():
    """The review's G-1: no parentheses inside parentheses, and frameworks by their names, not 'TF'."""
    found = list(every_rendered_verdict())
    assert len(found) > 100
    for lang, sentence in found:
        assert max_depth(sentence) <= 1, f"{lang}: nested parentheses: {sentence}"
        assert not re.search(r"\bTF\b", re.sub(r"`[^`]*`", "", sentence)), f"{lang}: 'TF' in a sentence: {sentence}"


def test_across_groups_the_models_by_outcome_and_names_each_once():
    """The sentence that cites the benchmark for every model: models grouped by the rule's outcome,
    in the order faster, ..., slower; a factor beside each clear one; an unmeasured model left out."""
    rounds = {("mlp", "torch_eager"): [1.0] * 5, ("mlp", "tf_eager"): [2.0] * 5,            # faster, 2.00×
              ("cnn", "torch_eager"): [1.0, 2.0, 1.0, 2.0, 1.0], ("cnn", "tf_eager"): [1.5] * 5,  # mixed
              ("resnet", "torch_eager"): [3.0] * 5, ("resnet", "tf_eager"): [2.0] * 5}      # slower, 1.50×
    run = {"results": [{"workload": w, "task": "train", "config": c, "median_ms": sorted(t)[2], "round_medians_ms": t}
                       for (w, c), t in rounds.items()]}
    en = verdict.across(run, "train", "torch_eager", "tf_eager", "en", ["mlp", "cnn", "resnet", "transformer"])
    assert en == ("PyTorch eager against TensorFlow eager: PyTorch eager faster on MLP (2.00× as fast); "
                  "no consistent winner on CNN; PyTorch eager slower on ResNet-18 (1.50× the time)")
    zh = verdict.across(run, "train", "torch_eager", "tf_eager", "zh", ["mlp", "cnn", "resnet", "transformer"])
    assert "MLP（速度是 2.00 倍）" in zh and "ResNet-18（耗时是 1.50 倍）" in zh and "Transformer" not in zh
    assert verdict.across(run, "infer", "torch_eager", "tf_eager", "en", ["mlp"]) is None
