"""Chinese typography in the page sources and the generated Chinese tables: full-width
punctuation and “ ” quotes in prose; code, identifiers, math and numbers stay half-width.
In English pages, the sentence after a box's **Fact**: or **Evidence**: label starts with a
capital, as most of them did (one convention, review G-8).

Read from the Markdown (outside code fences, code spans, math, link targets, HTML comments and
glue placeholders); every finding names the file and line.
"""

import re

import pytest
from pages import DISPLAY, DOCS, INLINE, ROOT, outside_fences, pages

CJK = r"[\u3400-\u4dbf\u4e00-\u9fff]"
ZH_PAGES = [p for p in pages() if p.name.endswith(".zh.md")]
ZH_TABLES = sorted((DOCS / "results" / "tables").glob("*.zh.md"))
# What is not prose; each is replaced by a Latin placeholder, so that a code span next to a
# Chinese character does not hide (or fake) a half-width mark beside it.
NOT_PROSE = [
    (re.compile(r"<!--.*?-->"), " X "),                      # HTML comments: pytest marks, notes
    (re.compile(r'^\s*-+8<-+\s+"[^"]*"\s*$'), " X "),          # includes: --8<-- "file"
    (re.compile(r'^(\s*)=== "(.*)"\s*$'), r"\1=== X \2 X"),    # tab syntax: === "PyTorch"
    (re.compile(r'^(\s*(?:\?\?\?\+?|!!!)\s+[\w-]+\s+)"(.*)"\s*$'), r"\1 X \2 X"),  # ??? bug "title"
    (re.compile(r"\{\{.*?\}\}"), " X "),                      # glue placeholders, filled at build time
    (re.compile(r"^\s*\[\^[^\]]+\]:"), " X "),                  # a footnote's definition: [^name]:
    (re.compile(r"\[\^[^\]]+\]"), " X "),                       # a footnote reference: [^name]
    (re.compile(r"(`+).+?\1"), " X "),                       # code spans
    (DISPLAY, " X "), (INLINE, " X "),                       # math
    (re.compile(r"\]\([^)\s]*\)"), "] X "),                   # link targets: [text](url)
    (re.compile(r"<[^>]+>"), " X "),                         # HTML tags, e.g. <br>
    (re.compile(r"https?://\S+"), " X "),                    # bare URLs
]
RULES = [
    (re.compile(r'"'), 'ASCII quote in Chinese prose: write “…”'),
    (re.compile(rf"(?<={CJK})\s*[,.:;]"), "half-width punctuation after a Chinese character: use ，。：；"),
    (re.compile(rf"[,:;]\s*(?={CJK})"), "half-width punctuation before a Chinese character: use ，：；"),
    (re.compile(rf"(?<={CJK})\s*[()]|[()]\s*(?={CJK})"), "half-width parenthesis next to Chinese text: use （）"),
    (re.compile(r"&"), "ASCII & in Chinese text: write 与 or 和"),
    (re.compile(rf"{CJK}[A-Za-z0-9]|[A-Za-z0-9]{CJK}"), "no space between Chinese and Latin text or a number"),
]
# Reasoned exceptions: (file name, text on the line, why). Keep this list short.
ALLOWED = [
    ("practice.zh.md", "每个epoch后", "a quote of the original article, kept exactly as printed"),
    ("errata.zh.md", "均方误差是 (1/n) Σ (yᵢ − f(xᵢ;θ))²",
     "a formula written out in a table cell: the parentheses belong to the formula"),
]


numbered = outside_fences  # (line number, line) outside code fences


def findings(path):
    found = []
    for number, line in numbered(path):
        text = line
        for pattern, replacement in NOT_PROSE:
            text = pattern.sub(replacement, text)
        for rule, message in RULES:
            for m in rule.finditer(text):
                if any(path.name == name and snippet in line for name, snippet, _ in ALLOWED):
                    continue
                where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
                found.append(f"{where}:{number}: {message}: …{text[max(0, m.start() - 12):m.end() + 12].strip()}…")
    return found


@pytest.mark.parametrize("page", ZH_PAGES + ZH_TABLES, ids=lambda p: p.name)
def test_chinese_prose_uses_full_width_punctuation(page):
    problems = findings(page)
    assert not problems, ("\n".join(problems) + "\n(code, math and numbers stay half-width; a quote of the "
                          "original that must stay as printed goes into ALLOWED in tests/test_typography.py "
                          "with its reason)")


@pytest.mark.parametrize("bad, message", [
    ('本站在"勘误"折叠框中说明', "ASCII quote"),
    ("可在 Jupyter 中打开并重新运行.", "after a Chinese character"),
    ("下载 Notebook (x): 可在", "before a Chinese character"),
    ("训练(默认)", "parenthesis"),
    ("3. 核心算法原理 & 具体操作步骤", "ASCII &"),
    ("在每个epoch后输出", "no space between Chinese and Latin"),
    ("训练100 轮", "no space between Chinese and Latin"),
])
def test_the_lint_finds_what_it_exists_for(tmp_path, bad, message):
    page = tmp_path / "bad.zh.md"
    page.write_text(bad + "\n", encoding="utf-8")
    assert any(message in p for p in findings(page)), findings(page)


@pytest.mark.parametrize("good", [
    "用 `model.fit(x, y)` 训练，`x`、`y` 为 NumPy 数组。",
    "误差是 $f(x; \\theta) - y$，见 [5.2 节](practice.md#52-源代码详细实现)。",
    '??? bug "勘误 C2.3：数据加载必须汇入训练"',
    "中位数 0.040 (0.039–0.046)，PyTorch 2.0 (2019)",
    "## 4.1 神经元",
    "1. **学术研究**：TensorFlow 在 2018 年前后",
    "多数用的是 PyTorch（见下）[^share]；工业界",
    "[^share]: 只计入注明其中之一的论文。",
])
def test_the_lint_leaves_code_math_numbers_and_syntax_alone(tmp_path, good):
    page = tmp_path / "good.zh.md"
    page.write_text(good + "\n", encoding="utf-8")
    assert not findings(page)


EN_PAGES = [p for p in pages() if p.name.endswith(".en.md")]
LOWER_AFTER_LABEL = re.compile(r"\*\*(Fact|Evidence)\*\*: ([a-z]\w*)")
LOWERCASE_NAMES = {"torchtext"}  # a package's name keeps its case at the start of a sentence


def lowercase_after_labels(path):
    return [f"{path.name}:{number}: **{m[1]}**: {m[2]}…" for number, line in outside_fences(path)
            for m in LOWER_AFTER_LABEL.finditer(line) if m[2] not in LOWERCASE_NAMES]


@pytest.mark.parametrize("page", EN_PAGES, ids=lambda p: p.name)
def test_english_labels_are_followed_by_a_capital(page):
    problems = lowercase_after_labels(page)
    assert not problems, "\n".join(problems) + "\n(capitalize the first word after the label)"


def test_the_label_check_finds_a_lowercase_start(tmp_path):
    page = tmp_path / "bad.en.md"
    page.write_text("    **Fact**: the order is reversed.\n    **Fact**: torchtext 0.18 was the last.\n",
                    encoding="utf-8")
    assert lowercase_after_labels(page) == ["bad.en.md:1: **Fact**: the…"]
