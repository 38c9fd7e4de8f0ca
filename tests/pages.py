"""Reading the raw pages: their code fences, includes and pytest-codeblocks markers."""

import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
INCLUDE = re.compile(r'^\s*-{1,}8<-{1,}\s+"([^"]+)"\s*$')
MARKER = re.compile(r"^\s*<!--[-\s]*(pytest-codeblocks:.*|pytest\.mark\..*)-->\s*$")


@dataclass
class Fence:
    line: int  # 1-based line of the opening fence
    info: str
    body: list = field(default_factory=list)
    marker: str = ""  # the marker on the closest non-blank line above, if any

    @property
    def lang(self):
        return self.info.split()[0].strip("{}.").lower() if self.info.strip() else ""

    @property
    def includes(self):
        return [m.group(1) for m in map(INCLUDE.match, self.body) if m]


def pages():
    """Every page source, Chinese and English, excluding generated tables in docs/results."""
    return sorted(p for p in DOCS.rglob("*.md") if "results" not in p.relative_to(DOCS).parts)


def outside_fences(path: Path):
    """(line number, line) of every line outside code fences (a fence inside an admonition is indented)."""
    closing = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = FENCE.match(line)
        if closing is None and m:
            closing = m.group(2)
        elif closing is not None and line.strip() == closing:
            closing = None
        elif closing is None:
            yield number, line


def fences(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    found, current, closing, last_marker = [], None, None, ""
    for number, line in enumerate(lines, 1):
        if current is None:
            m = FENCE.match(line)
            if m:
                current, closing = Fence(number, m.group(3).strip(), marker=last_marker), m.group(2)
                last_marker = ""
            elif line.strip():
                mk = MARKER.match(line)
                last_marker = mk.group(1) if mk else ""
        elif line.strip() == closing:
            found.append(current)
            current = None
        else:
            current.body.append(line)
    return found


def includes(path: Path):
    """Every include target on the page, in order, e.g. 'snippets/linreg_torch.py:code'."""
    text = path.read_text(encoding="utf-8")
    return [m.group(1) for m in map(INCLUDE.match, text.splitlines()) if m]


def twin(path: Path):
    name = path.name
    if name.endswith(".zh.md"):
        return path.with_name(name[:-6] + ".en.md")
    if name.endswith(".en.md"):
        return path.with_name(name[:-6] + ".zh.md")
    return None


DISPLAY = re.compile(r"\$\$.*?\$\$|\\\[.*?\\\]", re.S)
# pymdownx.arithmatex's inline forms: $...$ with no space inside the dollars ("$5 and $10" is text), \(...\)
INLINE = re.compile(r"(?<![\\$])\$(?!\s)(?:\\.|[^\\$\n])+?(?<!\s)\$(?!\$)|\\\(.+?\\\)")


def prose(path):
    """The page's lines outside code fences."""
    return [line for _, line in outside_fences(path)]
