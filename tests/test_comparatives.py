"""No comparison of measured speed is typed by hand on a page that cites the benchmark.

Sentences that say which configuration is faster, slower, about the same or "N times" are
rendered from the results by `{{ compare ... }}` (pvt/bench/verdict.py), so a rerun that
changes a result changes the page. This lint reads the page sources, drops what is generated
or quoted (macros, code, quotations of the article or of documentation, link targets), and
fails on a comparative word left in the prose. ALLOWED lists the few remaining uses, each
with the reason it is not a claim about this benchmark's measurements.
"""

import re

import pytest
from pages import ROOT, pages

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
