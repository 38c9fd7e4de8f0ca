"""No comparison of measured speed is typed by hand on a page that cites the benchmark.

Sentences that say which configuration is faster, slower, about the same or "N times" are
rendered from the results by `{{ compare ... }}` (pvt/bench/verdict.py), so a rerun that
changes a result changes the page. This lint reads the page sources, drops what is generated
or quoted (macros, code, quotations of the article or of documentation, link targets), and
fails on a comparative word left in the prose. ALLOWED lists the few remaining uses, each
with the reason it is not a claim about this benchmark's measurements.

The second check here keeps the two languages' hedges equal: where the Chinese limits a claim
(只对…成立, 仅适用于, 稳定版本, 手写), the English twin must say so too (see HEDGES below).
"""

import re

import pytest
from pages import ROOT, outside_fences, pages, twin

pytestmark = pytest.mark.fast  # `make test-fast`

NUMBER_WORDS = "two|three|four|five|six|seven|eight|nine|ten|twice|half"
WORDS = re.compile(
    r"\b(faster|fastest|slower|slowest|quicker|speed-?ups?|outperform\w*|ahead|lags?|beats?|wins?|"
    r"better performance|performs? better|more efficient|less time|"
    rf"times as (?:long|fast|much)|\d+(?:\.\d+)? ?times|(?:{NUMBER_WORDS}) (?:times|as fast|as long)|"
    r"\d+(?:\.\d+)?x)\b|\d\s*×(?!\s*\d)|[快慢倍]|更优|占优|领先|优于|胜过|落后|性能更好|性能更高|效率更高|用时更少|耗时更少|用时更短|耗时更短",
    re.IGNORECASE)
DROP = [
    re.compile(r"\{\{.*?\}\}"),               # generated: glue, compare, measured, verdict_rule
    re.compile(r"`[^`]*`"),                   # code
    re.compile(r"“[^”]*”|‘[^’]*’|「[^」]*」"),  # quotations (of the article, of documentation)
    re.compile(r'(?<![\w])"[^"\n]*"'),        # quotations in English prose
    re.compile(r"\]\([^)]*\)"),               # link targets
    re.compile(r"<!--.*?-->"),                # comments and pytest markers
]
# phrase -> why it is not a typed verdict; a comparative word inside one of these is allowed
ALLOWED = {
    "最快的图模式对最快的图模式、最快的配置对最快的配置": "names the questions the rule answers "
        "(best graph mode against best graph mode, best against best)",
    "各取每个框架最快的配置": "introduces the rule's best:torch / best:tf selectors; the verdict "
        "follows from {{ compare }}",
    "“最快”指所有测量轮合并后中位数最小的配置": "defines the selector",
    "which configuration took less time": "says what a timing can show at all, not a result",
    "哪种配置用时更少": "the same sentence in Chinese",
    "快速模式": "the name of the benchmark's quick mode (--quick), not a speed claim",
    "ahead of time": "ahead-of-time compilation, a term of art (torch.export)",
    "ahead-of-time": "the same term, hyphenated",
    "fastest timed block": "defines the machine's ceiling (the best block of any GEMM), not a verdict",
    "fastest block": "the same definition, shorter",
    "最快的一个计时块": "the same definition in Chinese",
    "最快的块": "the same, shorter",
    "快速路径": "the name of PyTorch's multi-head attention fast path, not a speed claim",
    "More efficient algorithms": "8.2's list of research trends, from the article: the efficiency of "
        "algorithms, not a comparison of the frameworks",
    "more efficient deep learning algorithms": "the same item's sentence",
}
ADMONITION = re.compile(r'^(\s*)(?:\?\?\?\+?|!!!)\s+\w+\s+"(.*)"\s*$')  # its title is prose
CORRECTION_ROW = re.compile(r"^\|\s*C\d+\.\d+\s*\|")  # errata rows: cell 3 is the article's claim


def cites_the_benchmark(path):
    return path.name.startswith("benchmarks.") or "benchmarks.md" in path.read_text(encoding="utf-8")


def prose(path):
    """(line number, text) of the page outside code fences and include lines, with DROP applied."""
    fence = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        marker = re.match(r"(`{3,}|~{3,})", stripped)
        if fence:
            fence = None if stripped == fence else fence
            continue
        if marker:
            fence = marker.group(1)
            continue
        if re.match(r'-{1,}8<-{1,}\s', stripped):
            continue
        title = ADMONITION.match(line)
        if title:
            line = title.group(1) + title.group(2)
        if CORRECTION_ROW.match(line):
            cells = line.split("|")
            line = "|".join(cells[:3] + [" "] + cells[4:])
        for pattern in DROP:
            line = pattern.sub(" ", line)
        yield number, line


def typed_comparisons(path):
    found = []
    for number, line in prose(path):
        spared = [(a.start(), a.end()) for phrase in ALLOWED for a in re.finditer(re.escape(phrase), line)]
        for m in WORDS.finditer(line):
            context = line[max(0, m.start() - 30):m.end() + 30].strip()
            if not any(start <= m.start() and m.end() <= end for start, end in spared):
                where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
                found.append(f"{where}:{number}: '{m.group(0)}' in “…{context}…”")
    return found


CITING = [p for p in pages() if cites_the_benchmark(p)]


@pytest.mark.parametrize("page", CITING, ids=lambda p: p.name)
def test_no_typed_speed_comparison(page):
    found = typed_comparisons(page)
    assert not found, (
        "comparisons typed by hand on a page that cites the benchmark; render them with "
        "{{ compare <workload>/<task> <A> <B> }} (see hooks/glue.py), quote the article, or add "
        "the phrase to ALLOWED in tests/test_comparatives.py with the reason:\n" + "\n".join(found))


def test_the_lint_finds_a_typed_verdict_and_spares_generated_ones(tmp_path):
    page = tmp_path / "benchmarks.en.md"
    page.write_text('??? bug "Correction C9.9: TF is 2× as quick"\n'
                    "A typed verdict: tf.function is 7 times faster.\n"
                    "A generated one: {{ compare mlp/train tf_function tf_eager }}.\n"
                    "The article says “PyTorch is faster”.\n"
                    "```python\nfaster = 1\n```\n", encoding="utf-8")
    found = typed_comparisons(page)
    assert [f.split(": ")[0].rsplit(":", 1)[1] for f in found] == ["1", "2", "2"], found  # 2×; 7 times, faster
    for typed in ("it is 7x quicker", "twice as fast", "seven times", "better performance", "less time"):
        page.write_text(typed + "\n", encoding="utf-8")
        assert typed_comparisons(page), typed
    zh = tmp_path / "benchmarks.zh.md"
    zh.write_text("tf.function 比即时执行快 7 倍。\n原文说“PyTorch 更快”。各取每个框架最快的配置。"
                  "TF 是最快的配置。用时更少。\n", encoding="utf-8")
    assert [f.split(": '")[1].split("'")[0] for f in typed_comparisons(zh)] == ["快", "倍", "快", "用时更少"]
    errata = tmp_path / "errata.en.md"
    errata.write_text("| C3.4 | [x](algorithms.md) | PyTorch may be slower. | It is 2× faster. | e |\n",
                      encoding="utf-8")
    assert [f.split(": '")[1].split("'")[0] for f in typed_comparisons(errata)] == ["2×", "faster"]


# --- Hedges kept across the two languages -------------------------------------------------------
# A hedge that limits a claim in the Chinese must survive in the English: the language review of
# 2026-12-03 found the English dropping "only" (G-3: 这些结论只对……成立 ⇄ "These verdicts hold for
# …"), "stable" (ER-4: 最后一个稳定版本 ⇄ "its last release") and "hand-written" (CO-8: 手写训练循环 ⇄
# "training loop"). The twins are compared unit by unit (a paragraph or list outside code fences, or
# one table row), which the two languages keep in the same order; a unit whose Chinese has more of
# a hedge than its English fails. Each entry: (name, the Chinese forms, the English forms).
HEDGES = [
    ("only", re.compile(r"(?:只|仅)(?:对|适用于?|在一台|覆盖|统计|计入|属于)"),
     re.compile(r"\b(?:only|alone|solely|exclusively)\b", re.I)),
    ("stable release", re.compile(r"稳定版本"), re.compile(r"\bstable (?:release|version)s?\b", re.I)),
    ("hand-written", re.compile(r"手写"), re.compile(r"\bhand-?written\b|\bby hand\b|\btyped\b", re.I)),
]
UNIT_DROP = [DROP[0], DROP[1], DROP[4], DROP[5]]  # macros, code, link targets, comments


def units(path):
    """The page's paragraphs (and list blocks) and table rows outside code fences, in order."""
    found, current = [], []
    for _, line in outside_fences(path):
        stripped = line.strip()
        if stripped.startswith("|") or not stripped:
            if current:
                found.append(" ".join(current))
                current = []
            if stripped:
                found.append(stripped)
        else:
            current.append(stripped)
    if current:
        found.append(" ".join(current))
    for pattern in UNIT_DROP:
        found = [pattern.sub(" ", unit) for unit in found]
    return found


def dropped_hedges(zh, en):
    a, b = units(zh), units(en)
    if len(a) != len(b):  # not aligned: compare the whole pages instead
        a, b = [" ".join(a)], [" ".join(b)]
    found = []
    for number, (x, y) in enumerate(zip(a, b, strict=True), 1):
        for name, zh_form, en_form in HEDGES:
            if len(zh_form.findall(x)) > len(en_form.findall(y)):
                found.append(f"{zh.name} ⇄ {en.name}, unit {number}: the Chinese says "
                             f"{zh_form.search(x).group(0)!r} ({name}) and the English "
                             f"drops it:\n    zh: {x[:160]}\n    en: {y[:160]}")
    return found


TWINS = [p for p in pages() if p.name.endswith(".zh.md")]


@pytest.mark.parametrize("zh", TWINS, ids=lambda p: p.name)
def test_english_keeps_the_chinese_hedges(zh):
    found = dropped_hedges(zh, twin(zh))
    assert not found, ("a hedge of the Chinese is missing from the English (add it to the English, or "
                       "drop it from both if it is wrong):\n" + "\n".join(found))


def test_the_hedge_check_finds_a_dropped_hedge(tmp_path):
    zh, en = tmp_path / "x.zh.md", tmp_path / "x.en.md"
    zh.write_text("这些结论只对这两个模型成立。\n\n| C6.2 | 最后一个稳定版本是 0.18 |\n\n输出不是手写的。\n",
                  encoding="utf-8")
    en.write_text("These verdicts hold for those models.\n\n| C6.2 | its last release is 0.18 |\n\n"
                  "Output is not typed by hand.\n", encoding="utf-8")
    assert [f.split("(")[1].split(")")[0] for f in dropped_hedges(zh, en)] == ["only", "stable release"]
    en.write_text("These verdicts hold only for those models.\n\n| C6.2 | its last stable release is 0.18 |\n\n"
                  "Output is not typed by hand.\n", encoding="utf-8")
    assert dropped_hedges(zh, en) == []
    zh.write_text("```python\n# 只对代码成立\n```\n`只对`\n", encoding="utf-8")  # code is not prose
    en.write_text("```python\n# code\n```\n`x`\n", encoding="utf-8")
    assert dropped_hedges(zh, en) == []
