"""The one rule that turns paired timings into a sentence, in both languages.

Every round times each configuration of a task within seconds of the others, so a round
gives one ratio per pair: r = time(A) / time(B). Over the rounds:

* **faster / slower**: every round agrees, by at least MARGIN (10 %): all r <= 1/MARGIN
  (A faster) or all r >= MARGIN (A slower). The factor reported is the median of the
  per-round ratios, with their min–max beside it;
* **about the same**: every round lies within that band (1/MARGIN < r < MARGIN);
* **no stable difference**: anything else — rounds that disagree, or a range that
  reaches into the band from one side;
* fewer than MIN_ROUNDS rounds give no verdict at all.

The build imports this module (no torch, no TensorFlow); so do the report and the tests.
"""

import math
import re
import statistics
from dataclasses import dataclass

from bench.configs import BY_NAME, CONFIGS

MARGIN = 1.10
MIN_ROUNDS = 5
FRAMEWORK = {"torch": {"en": "PyTorch", "zh": "PyTorch"},
             "tf": {"en": "TensorFlow", "zh": "TensorFlow"}}


def rule(ratios):
    """'faster', 'slower', 'same', 'unstable' or 'too_few' for per-round ratios A/B."""
    if len(ratios) < MIN_ROUNDS:
        return "too_few"
    if all(r <= 1 / MARGIN for r in ratios):
        return "faster"
    if all(r >= MARGIN for r in ratios):
        return "slower"
    if all(1 / MARGIN < r < MARGIN for r in ratios):
        return "same"
    return "unstable"


@dataclass(frozen=True)
class Verdict:
    task: str
    a: str  # configuration names, after a selector such as "best:tf" was resolved
    b: str
    a_selector: str
    b_selector: str
    ratios: tuple

    @property
    def kind(self):
        return rule(self.ratios)

    @property
    def median(self):
        """The median per-round ratio, taken on a log scale so that A against B and B
        against A give exactly reciprocal factors (with an even number of rounds too)."""
        return math.exp(statistics.median(math.log(r) for r in self.ratios))


def rows(data, task):
    workload, name = task.split("/")
    return {r["config"]: r for r in data["results"]
            if (r["workload"], r["task"]) == (workload, name) and "round_medians_ms" in r}


def parse(selector):
    """(kind, framework) of 'best:tf' / 'graph:torch', or (None, name) for a configuration."""
    if ":" not in selector:
        if selector not in BY_NAME:
            raise KeyError(f"unknown configuration '{selector}'; known: {', '.join(BY_NAME)}")
        return None, selector
    kind, _, framework = selector.partition(":")
    if kind not in ("best", "graph") or framework not in FRAMEWORK:
        raise KeyError(f"unknown selector '{selector}'; use best:torch, best:tf, graph:torch "
                       "or graph:tf")
    return kind, framework


def resolve(selector, measured):
    """A configuration name, or 'best:FW' / 'graph:FW': the fastest (median over all rounds)
    of that framework's configurations / of its graph-compiling ones; None if not measured."""
    kind, name = parse(selector)
    if kind is None:
        return name if name in measured else None
    pool = [c.name for c in CONFIGS if c.framework == name and c.name in measured
            and (kind == "best" or c.graph)]
    return min(pool, key=lambda c: measured[c]["median_ms"], default=None)


def compare(data, task, a, b):
    """The verdict for `task` ('mlp/train'), A against B; None when either was not measured."""
    measured = rows(data, task)
    ra, rb = resolve(a, measured), resolve(b, measured)
    if ra is None or rb is None:
        return None
    pairs = zip(measured[ra]["round_medians_ms"], measured[rb]["round_medians_ms"], strict=True)
    return Verdict(task, ra, rb, a, b, tuple(x / y for x, y in pairs if x and y))


def fmt(*values):
    """Ratios to two decimals (the 10 % margin must be readable); when the largest of them
    rounds to ten or more, all of them whole, so that a range never mixes precisions."""
    digits = 0 if max(values) >= 9.995 else 2
    return [f"{x:.{digits}f}" for x in values]


def name(selector, resolved, lang):
    """How a sentence names a configuration: its label, or for a selector what was selected."""
    kind, framework = parse(selector)
    label = BY_NAME[resolved].label[lang] if resolved else None
    if kind is None:
        return BY_NAME[framework].label[lang]
    fw = FRAMEWORK[framework][lang]
    if lang == "zh":
        what = f"{fw} 最快的{'图模式' if kind == 'graph' else ''}配置"
        return f"{what} {label}" if label else what
    what = f"the fastest {fw}{' graph-mode' if kind == 'graph' else ''} configuration"
    return f"{what} ({label})" if label else what


TEXT = {
    "en": {"faster": "{A} is {x}× faster than {B} (per-round range {lo}–{hi}×)",
           "slower": "{A} is {x}× slower than {B} (takes {x}× as long; per-round range {lo}–{hi}×)",
           "same": "{A} and {B} are within {pct} % of each other in every round (per-round "
                   "ratios {lo}–{hi})",
           "unstable": "no stable difference between {A} and {B} (per-round ratios {lo}–{hi})",
           "too_few": "no verdict on {A} against {B}: {n} round(s) measured, the rule needs "
                      "{need}",
           "missing": "no verdict: {A} or {B} was not measured"},
    "zh": {"faster": "{A} 比 {B} 快，速度是后者的 {x} 倍（各测量轮 {lo}–{hi} 倍）",
           "slower": "{A} 比 {B} 慢，耗时是后者的 {x} 倍（各测量轮 {lo}–{hi} 倍）",
           "same": "{A} 与 {B} 在每个测量轮都相差不到 {pct}%（各测量轮耗时比 {lo}–{hi}）",
           "unstable": "{A} 与 {B} 之间没有稳定的差异（各测量轮耗时比 {lo}–{hi}）",
           "too_few": "{A} 对 {B} 没有结论：只测了 {n} 个测量轮，规则至少需要 {need} 个",
           "missing": "没有结论：{A} 或 {B} 没有测得结果"},
}


def render(v, lang, a=None, b=None):
    """The sentence for a Verdict, or for None: the pair `a`, `b` that was not measured."""
    if v is None:
        return TEXT[lang]["missing"].format(A=name(a, None, lang), B=name(b, None, lang))
    kind, r = v.kind, v.ratios
    fields = {"A": name(v.a_selector, v.a, lang), "B": name(v.b_selector, v.b, lang),
              "n": len(r), "need": MIN_ROUNDS, "pct": round((MARGIN - 1) * 100)}
    if kind == "faster":  # speed-ups: B's time over A's
        fields.update(zip(("x", "lo", "hi"), fmt(1 / v.median, 1 / max(r), 1 / min(r)), strict=True))
    elif r:
        fields.update(zip(("x", "lo", "hi"), fmt(v.median, min(r), max(r)), strict=True))
    text = TEXT[lang][kind].format(**fields)
    # no space between two Chinese characters ("TF 即时执行快"); one stays beside Latin text
    return re.sub(r"(?<=[\u4e00-\u9fff）]) (?=[\u4e00-\u9fff（])", "", text) if lang == "zh" else text


# The questions the benchmark chapter answers for every task, each with the rule above.
QUESTIONS = [
    ("eager", "torch_eager", "tf_eager"),
    ("graph", "graph:torch", "graph:tf"),
    ("best", "best:torch", "best:tf"),
    ("torch_compile", "torch_compile", "torch_eager"),
    ("tf_function", "tf_function", "tf_eager"),
    ("tf_xla", "tf_xla", "tf_eager"),
    ("keras_tuned", "keras_fit_tuned", "keras_fit"),
]
PIPELINE_QUESTIONS = [("pipeline", "torch_dataloader", "tf_data")]


def questions(workload):
    """The questions asked of a workload's tasks: the input pipeline has its own configurations."""
    return PIPELINE_QUESTIONS if workload == "pipeline" else QUESTIONS


QUESTION_LABELS = {
    "en": {"pipeline": "framework against framework: DataLoader against tf.data",
           "eager": "framework against framework: eager against eager",
           "graph": "framework against framework: best graph mode against best graph mode",
           "best": "framework against framework: best against best",
           "torch_compile": "within PyTorch: torch.compile against eager",
           "tf_function": "within TensorFlow: tf.function against eager",
           "tf_xla": "within TensorFlow: XLA against eager",
           "keras_tuned": "within Keras: tuned fit against default fit"},
    "zh": {"pipeline": "框架对框架：DataLoader 对 tf.data",
           "eager": "框架对框架：即时执行对即时执行",
           "graph": "框架对框架：最快的图模式对最快的图模式",
           "best": "框架对框架：最快的配置对最快的配置",
           "torch_compile": "PyTorch 内部：torch.compile 对即时执行",
           "tf_function": "TensorFlow 内部：tf.function 对即时执行",
           "tf_xla": "TensorFlow 内部：XLA 对即时执行",
           "keras_tuned": "Keras 内部：调优的 fit 对默认的 fit"},
}


def rule_text(lang):
    """The rule as the benchmark chapter states it, with this module's constants."""
    pct, m = round((MARGIN - 1) * 100), f"{MARGIN:g}"
    if lang == "zh":
        return (f"每个测量轮给出一个耗时比 r = A 的耗时 / B 的耗时。只有**每一个**测量轮都指向同一"
                f"方向，且差距至少 {pct}%（所有 r ≤ 1/{m}，或所有 r ≥ {m}）时，才说 A 比 B 快或慢；"
                f"给出的倍数是各测量轮比值的中位数（在对数尺度上取，A 更快时换算成 A 的加速倍数），"
                f"旁边列出各测量轮的最小–最大值。所有 r 都落在 1/{m} 与 {m} 之间时，说两者相差不到 "
                f"{pct}%。其余情况（各测量轮方向不一致，或一部分落在 {pct}% 之内）一律说“没有稳定的"
                f"差异”。少于 {MIN_ROUNDS} 个测量轮不下结论。")
    return (f"every round gives one time ratio r = time of A / time of B. A is called faster or "
            f"slower than B only when **every** round points the same way by at least {pct} % "
            f"(all r ≤ 1/{m}, or all r ≥ {m}); the factor given is the median of the per-round "
            f"ratios (taken on a log scale, and turned into A's speed-up when A is faster), with "
            f"their min–max beside it. When every r lies between 1/{m} and {m}, the two are "
            f"called within {pct} % of each other. Anything else (rounds that disagree, or some "
            f"rounds inside that band) is reported as \"no stable difference\". With fewer than "
            f"{MIN_ROUNDS} rounds there is no verdict.")
