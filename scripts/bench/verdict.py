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
        return statistics.median(self.ratios)


def rows(data, task):
    workload, name = task.split("/")
    return {r["config"]: r for r in data["results"]
            if (r["workload"], r["task"]) == (workload, name) and "round_medians_ms" in r}


def resolve(selector, measured):
    """A configuration name, or 'best:FW' / 'graph:FW': the fastest (median over all rounds)
    of that framework's configurations / of its graph-compiling ones."""
    if ":" not in selector:
        if selector not in BY_NAME:
            raise KeyError(f"unknown configuration '{selector}'; known: {', '.join(BY_NAME)}")
        return selector if selector in measured else None
    kind, framework = selector.split(":")
    if kind not in ("best", "graph") or framework not in FRAMEWORK:
        raise KeyError(f"unknown selector '{selector}'; use best:torch, best:tf, graph:torch "
                       "or graph:tf")
    pool = [c.name for c in CONFIGS if c.framework == framework and c.name in measured
            and (kind == "best" or c.graph)]
    return min(pool, key=lambda c: measured[c]["median_ms"], default=None)


def compare(data, task, a, b):
    """The verdict for `task` ('mlp/train'), A against B; None when either was not measured."""
    measured = rows(data, task)
    ra, rb = resolve(a, measured), resolve(b, measured)
    if ra is None or rb is None:
        return None
    pairs = zip(measured[ra]["round_medians_ms"], measured[rb]["round_medians_ms"])
    return Verdict(task, ra, rb, a, b, tuple(x / y for x, y in pairs if x and y))


def fmt(x):
    """Ratios to two decimals (the 10 % margin must be readable), factors of ten or more whole."""
    return f"{x:.0f}" if x >= 10 else f"{x:.2f}"


def name(selector, resolved, lang):
    label = BY_NAME[resolved].label[lang]
    if ":" not in selector:
        return label
    kind, framework = selector.split(":")
    fw = FRAMEWORK[framework][lang]
    if lang == "zh":
        return f"{fw} 最快的{'图模式' if kind == 'graph' else ''}配置（{label}）"
    return f"the fastest {fw}{' graph-mode' if kind == 'graph' else ''} configuration ({label})"


TEXT = {
    "en": {"faster": "{A} is {x}× faster than {B} (per-round range {lo}–{hi}×)",
           "slower": "{A} is {x}× slower than {B} (takes {x}× as long; per-round range {lo}–{hi}×)",
           "same": "{A} and {B} are within 10 % of each other in every round (per-round ratios "
                   "{lo}–{hi})",
           "unstable": "no stable difference between {A} and {B} (per-round ratios {lo}–{hi})",
           "too_few": "no verdict on {A} against {B}: {n} round(s) measured, the rule needs "
                      "{need}",
           "missing": "no verdict: {A} or {B} was not measured"},
    "zh": {"faster": "{A} 比 {B} 快，速度是后者的 {x} 倍（各轮 {lo}–{hi} 倍）",
           "slower": "{A} 比 {B} 慢，耗时是后者的 {x} 倍（各轮 {lo}–{hi} 倍）",
           "same": "{A} 与 {B} 每一轮都相差不到 10%（各轮耗时比 {lo}–{hi}）",
           "unstable": "{A} 与 {B} 之间没有稳定的差异（各轮耗时比 {lo}–{hi}）",
           "too_few": "{A} 对 {B} 没有结论：只测了 {n} 轮，规则至少需要 {need} 轮",
           "missing": "没有结论：{A} 或 {B} 没有测得结果"},
}


def render(v, lang, a=None, b=None):
    """The sentence for a Verdict (or for None: a pair that was not measured)."""
    if v is None:
        return TEXT[lang]["missing"].format(A=a, B=b)
    kind, r = v.kind, v.ratios
    fields = {"A": name(v.a_selector, v.a, lang), "B": name(v.b_selector, v.b, lang),
              "n": len(r), "need": MIN_ROUNDS}
    if kind == "faster":  # speed-ups: B's time over A's
        fields.update(x=fmt(1 / v.median), lo=fmt(1 / max(r)), hi=fmt(1 / min(r)))
    elif r:
        fields.update(x=fmt(v.median), lo=fmt(min(r)), hi=fmt(max(r)))
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
QUESTION_LABELS = {
    "en": {"eager": "framework against framework: eager against eager",
           "graph": "framework against framework: best graph mode against best graph mode",
           "best": "framework against framework: best against best",
           "torch_compile": "within PyTorch: torch.compile against eager",
           "tf_function": "within TensorFlow: tf.function against eager",
           "tf_xla": "within TensorFlow: XLA against eager",
           "keras_tuned": "within Keras: tuned fit against default fit"},
    "zh": {"eager": "框架对框架：即时执行对即时执行",
           "graph": "框架对框架：最快的图模式对最快的图模式",
           "best": "框架对框架：最快的配置对最快的配置",
           "torch_compile": "PyTorch 内部：torch.compile 对即时执行",
           "tf_function": "TensorFlow 内部：tf.function 对即时执行",
           "tf_xla": "TensorFlow 内部：XLA 对即时执行",
           "keras_tuned": "Keras 内部：调优的 fit 对默认的 fit"},
}


def rule_text(lang):
    """The rule as the benchmark chapter states it, with this module's constants."""
    pct = round((MARGIN - 1) * 100)
    if lang == "zh":
        return (f"每一轮都给出一个耗时比 r = A 的耗时 / B 的耗时。只有**每一轮**都指向同一方向、"
                f"且差距至少 {pct}%（所有 r ≤ 1/{MARGIN:g}，或所有 r ≥ {MARGIN:g}）时，才说 A 比 B "
                f"快或慢，给出的倍数是各轮比值的中位数，旁边列出各轮的最小–最大值；每一轮都在这个范围"
                f"之内（1/{MARGIN:g} < r < {MARGIN:g}）时，说两者相差不到 {pct}%；其余情况（各轮方向"
                f"不一致，或一部分轮次落在 {pct}% 之内）一律说“没有稳定的差异”。少于 {MIN_ROUNDS} 轮"
                f"不下结论。")
    return (f"every round gives one time ratio r = time of A / time of B. A is called faster or "
            f"slower than B only when **every** round points the same way by at least {pct} % "
            f"(all r ≤ 1/{MARGIN:g}, or all r ≥ {MARGIN:g}); the factor given is the median of the "
            f"per-round ratios, with their min–max beside it. When every round lies inside that "
            f"band (1/{MARGIN:g} < r < {MARGIN:g}), the two are called within {pct} % of each "
            f"other. Anything else (rounds that disagree, or some rounds inside the band) is "
            f"reported as \"no stable difference\". With fewer than {MIN_ROUNDS} rounds there is "
            f"no verdict.")
