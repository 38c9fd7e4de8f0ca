"""Every generated sentence, label and heading the pages show, in both languages: one file,
strings.toml, read through one function.

    text("zh", "verdict.faster", A="…", B="…", x="1.85", lo="1.62", hi="2.32")

A key is `table.name`; the value is a `str.format` template. A key missing from either
language fails at once, naming the key (tests/test_strings.py checks the whole file too).
Nothing the benchmark measures depends on these words: rewording one never makes a result stale.
"""

import functools
import re
import tomllib
from pathlib import Path

FILE = Path(__file__).with_name("strings.toml")


@functools.cache
def table() -> dict:
    """{key: {"zh": template, "en": template}} for every key of strings.toml."""
    data = tomllib.loads(FILE.read_text(encoding="utf-8"))
    flat = {}

    def walk(prefix, node):
        if set(node) == {"zh", "en"} and all(isinstance(v, str) for v in node.values()):
            flat[prefix] = node
            return
        for key, value in node.items():
            if not isinstance(value, dict):
                raise SystemExit(f"{FILE.name}: {prefix}.{key} must have a zh and an en text")
            walk(f"{prefix}.{key}" if prefix else key, value)

    walk("", data)
    return flat


def text(lang: str, key: str, /, **values) -> str:
    """The template `key` in `lang`, filled with `values`, spaced as the language writes it."""
    try:
        template = table()[key][lang]
    except KeyError:
        raise KeyError(f"{FILE.name}: no '{lang}' text for '{key}'") from None
    return tidy(lang, template.format(**values) if values else template)


def listing(lang: str, items) -> str:
    """'a, b and c' (zh 'a、b、c'): items as a sentence lists them."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return text(lang, "punct.list").join(items[:-1]) + text(lang, "punct.list_and") + items[-1]


# Chinese puts no space between two Chinese characters ("TensorFlow 即时执行快" from "{A}快"), and keeps
# one beside Latin text ("PyTorch 即时执行").
BETWEEN_HAN = re.compile(r"(?<=[\u4e00-\u9fff\uff09]) (?=[\u4e00-\u9fff\uff08])")


def tidy(lang: str, sentence: str) -> str:
    return BETWEEN_HAN.sub("", sentence) if lang == "zh" else sentence
