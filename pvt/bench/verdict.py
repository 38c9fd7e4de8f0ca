"""The one rule that turns paired timings into a sentence, in both languages.

Every round times each configuration of a task within seconds of the others, so a round
gives one ratio per pair: r = time(A) / time(B). Over the rounds:

* **faster / slower**: every round agrees, by at least MARGIN (10 %): all r <= 1/MARGIN
  (A faster) or all r >= MARGIN (A slower). The factor reported is the median of the
  per-round ratios, with their min–max beside it;
* **within 10 %**: every round lies within that band (1/MARGIN < r < MARGIN);
* **faster (slower) in every round, not always by 10 %**: all r < 1 (all r > 1), some of
  them inside the band;
* **no consistent winner**: rounds that disagree on the direction;
* fewer than MIN_ROUNDS rounds give no verdict at all.

Framework against framework, A is PyTorch (QUESTIONS), so a ratio reads PyTorch ÷ TensorFlow.
The build imports this module (no torch, no TensorFlow); so do the report and the tests. Its
sentences are templates in pvt/strings.toml (`verdict.*`).
"""

import math
import statistics
from dataclasses import dataclass

from pvt.bench.configs import BY_NAME, CONFIGS, TASKS  # noqa: F401 (TASKS: for the site build)
from pvt.strings import listing, text

MARGIN = 1.10
MIN_ROUNDS = 5
FRAMEWORKS = ("torch", "tf")  # what best: and graph: select from


def rule(ratios):
    """'faster', 'slower', 'same', 'edge_faster', 'edge_slower', 'mixed' or 'too_few' for
    per-round ratios A/B."""
    if len(ratios) < MIN_ROUNDS:
        return "too_few"
    if all(r <= 1 / MARGIN for r in ratios):
        return "faster"
    if all(r >= MARGIN for r in ratios):
        return "slower"
    if all(1 / MARGIN < r < MARGIN for r in ratios):
        return "same"
    if all(r < 1 for r in ratios):
        return "edge_faster"
    if all(r > 1 for r in ratios):
        return "edge_slower"
    return "mixed"


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
    if kind not in ("best", "graph") or framework not in FRAMEWORKS:
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


def label(config, lang):
    return text(lang, f"config.{config}.label")


def name(selector, resolved, lang):
    """How a sentence names a configuration: its label, or for a selector what was selected."""
    kind, which = parse(selector)
    if kind is None:
        return label(which, lang)
    what = text(lang, f"verdict.{kind}", fw=text(lang, f"framework.{which}"))
    return text(lang, "verdict.picked", what=what, label=label(resolved, lang)) if resolved else what


def render(v, lang, a=None, b=None):
    """The sentence for a Verdict, or for None: the pair `a`, `b` that was not measured."""
    if v is None:
        return text(lang, "verdict.missing", A=name(a, None, lang), B=name(b, None, lang))
    kind, r = v.kind, v.ratios
    fields = {"A": name(v.a_selector, v.a, lang), "B": name(v.b_selector, v.b, lang),
              "n": len(r), "need": MIN_ROUNDS, "pct": round((MARGIN - 1) * 100)}
    if kind == "faster":  # speed-ups: B's time over A's
        fields.update(zip(("x", "lo", "hi"), fmt(1 / v.median, 1 / max(r), 1 / min(r)), strict=True))
    elif r:
        fields.update(zip(("x", "lo", "hi"), fmt(v.median, min(r), max(r)), strict=True))
    return text(lang, f"verdict.{kind}", **fields)


def kind_label(v, lang):
    """The verdict's outcome in a few words, for a summary table."""
    return text(lang, f"verdict.kind.{v.kind}", pct=round((MARGIN - 1) * 100))


def short(selector, lang):
    """A configuration's label, or a selector's framework: the names a ratio 'A ÷ B' uses."""
    kind, which = parse(selector)
    return text(lang, f"framework.{which}") if kind else label(which, lang)


OUTCOMES = ["faster", "edge_faster", "same", "mixed", "edge_slower", "slower", "too_few"]  # as a summary lists them


def across(data, task, a, b, lang, workloads):
    """One sentence: A against B on `task` ('train', 'infer') for every workload in `workloads`
    that was measured, the workloads grouped by the rule's outcome; a clear one ("faster",
    "slower") gives each workload its factor (the median per-round ratio)."""
    groups = {}
    for workload in workloads:
        v = compare(data, f"{workload}/{task}", a, b)
        if v is None:
            continue
        model = text(lang, f"workload_in_text.{workload}")
        if v.kind in ("faster", "slower"):
            (x,) = fmt(1 / v.median if v.kind == "faster" else v.median)
            model = text(lang, f"verdict.part_{v.kind}", workload=model, x=x)
        groups.setdefault(v.kind, []).append(model)
    if not groups:
        return None
    clauses = [text(lang, f"verdict.group.{kind}", models=listing(lang, groups[kind]), a=short(a, lang),
                    pct=round((MARGIN - 1) * 100)) for kind in OUTCOMES if kind in groups]
    return text(lang, "verdict.across", A=name(a, None, lang), B=name(b, None, lang),
                groups=text(lang, "punct.clauses").join(clauses))


# The questions the benchmark chapter answers for every task, each with the rule above.
QUESTIONS = [
    ("eager", "torch_eager", "tf_eager"),
    ("graph", "graph:torch", "graph:tf"),
    ("best", "best:torch", "best:tf"),
    ("torch_compile", "torch_compile", "torch_eager"),
    ("tf_function", "tf_function", "tf_eager"),
    ("tf_xla", "tf_xla", "tf_eager"),
    ("keras_tuned", "keras_fit_tuned", "keras_fit"),
    ("keras_backend", "keras_torch_fit", "keras_fit"),
    ("keras_torch", "keras_torch_fit", "torch_eager"),
]
PIPELINE_QUESTIONS = [("pipeline", "torch_dataloader", "tf_data")]


def questions(workload):
    """The questions asked of a workload's tasks: the input pipeline has its own configurations."""
    return PIPELINE_QUESTIONS if workload == "pipeline" else QUESTIONS


def question_label(question, lang):
    return text(lang, f"question.{question}")


def rule_text(lang):
    """The rule as the benchmark chapter states it, with this module's constants."""
    return text(lang, "verdict.rule", pct=round((MARGIN - 1) * 100), m=f"{MARGIN:g}", need=MIN_ROUNDS)
