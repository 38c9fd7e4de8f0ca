"""Every generated zh/en text lives in pvt/strings.toml and reads the same in both languages."""

import re
import string
import tokenize
from pathlib import Path

import pytest

from pvt import strings

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Python files whose string literals may hold Chinese, and why.
ALLOWED = {
    "hooks/ui_strings.py": "translates Material's built-in English UI strings inside the built HTML, keyed by "
                           "the exact HTML each replaces; not text this project writes",
    "pvt/strings.py": "the regular expression that removes spaces between two Chinese characters",
}


def fields(template):
    return sorted({name for _, name, _, _ in string.Formatter().parse(template) if name})


@pytest.mark.parametrize("key", sorted(strings.table()))
def test_both_languages_fill_the_same_fields(key):
    entry = strings.table()[key]
    assert fields(entry["zh"]) == fields(entry["en"]), f"pvt/strings.toml: {key} has other fields in zh and en"
    assert not CJK.search(entry["en"]), f"pvt/strings.toml: {key}: Chinese in the en text"


def literals(path):
    with path.open("rb") as f:
        for tok in tokenize.tokenize(f.readline):
            if tok.type == tokenize.STRING or tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
                yield tok.start[0], tok.string


def test_no_page_facing_text_lives_outside_the_strings_file():
    found = []
    for folder in ("pvt", "hooks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in ALLOWED:
                continue
            found += [f"{rel}:{line}: {text[:60]}" for line, text in literals(path) if CJK.search(text)]
            source = path.read_text(encoding="utf-8")
            found += [f"{rel}:{source[:m.start()].count(chr(10)) + 1}: a language test; put both texts in "
                      "pvt/strings.toml" for m in re.finditer(r"lang\s*==\s*[\"'](zh|en)[\"']", source)]
    assert not found, "generated text belongs in pvt/strings.toml:\n" + "\n".join(found)


def test_a_missing_language_fails_naming_the_key(tmp_path, monkeypatch):
    bad = tmp_path / "strings.toml"
    bad.write_text('[x]\nonly = { zh = "中文" }\n', encoding="utf-8")
    monkeypatch.setattr(strings, "FILE", bad)
    strings.table.cache_clear()
    try:
        with pytest.raises(SystemExit, match="x.only"):
            strings.table()
    finally:
        strings.table.cache_clear()


def test_the_lint_finds_a_chinese_literal_and_a_language_test(tmp_path):
    path = tmp_path / "x.py"
    path.write_text('label = "中文" if lang == "zh" else "English"\n', encoding="utf-8")
    assert [line for line, text in literals(path) if CJK.search(text)] == [1]
    assert re.search(r"lang\s*==\s*[\"'](zh|en)[\"']", path.read_text(encoding="utf-8"))
