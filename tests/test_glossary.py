"""The glossary (tests/glossary.toml) as a contract between the two languages: a term used on
a Chinese page appears as its paired English term on the twin, the forms to avoid appear on
no page, and the English follows one spelling convention."""

import re
import tomllib

import pytest
from pages import DOCS, ROOT, pages, prose, twin

GLOSSARY_FILE = ROOT / "tests" / "glossary.toml"
COMMENT = re.compile(r"<!--.*?-->", re.S)


def load(path=GLOSSARY_FILE):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    terms = data.get("term", [])
    for i, t in enumerate(terms, 1):
        if not (t.get("zh") and t.get("en")):
            raise ValueError(f"{path.name}: term {i} ({t}) needs both `zh` and `en` lists; add the missing one")
    return terms, data.get("spelling", {}).get("en_avoid", [])


TERMS, SPELLING = load()
TABLES = sorted((DOCS / "results" / "tables").glob("*.zh.md"))
PAIRS = [p for p in pages() if p.name.endswith(".zh.md")] + TABLES


def text(path):
    return COMMENT.sub("", "\n".join(prose(path)))


def rel(path):
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


def pair_problems(zh_path, en_path, terms=TERMS):
    zh, en = text(zh_path), text(en_path)
    en_lower = en.lower()
    problems = []
    for t in terms:
        used = [z for z in t["zh"] if z in zh]
        if used and not any(e.lower() in en_lower for e in t["en"]):
            problems.append(f"{rel(zh_path)} uses {used[0]!r}, but {rel(en_path)} has none of {t['en']}: "
                            f"translate it as in tests/glossary.toml (or fix the glossary)")
        problems += [f"{rel(zh_path)}: {z!r} is listed to avoid for {t['zh'][0]!r}; write {t['zh'][0]!r}"
                     for z in t.get("zh_avoid", []) if z in zh]
        problems += [f"{rel(en_path)}: {e!r} is listed to avoid; write {t['en'][0]!r}"
                     for e in t.get("en_avoid", []) if e.lower() in en_lower]
    return problems


@pytest.mark.parametrize("zh", PAIRS, ids=rel)
def test_glossary_terms_are_paired_in_the_twin(zh):
    en = twin(zh)
    assert en.exists(), f"{rel(zh)} has no twin {rel(en)}"
    problems = pair_problems(zh, en)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("en", [twin(p) for p in PAIRS], ids=rel)
def test_english_uses_one_spelling(en):
    found = [f"{rel(en)}: {m.group(0)!r} (rule {pattern!r})" for pattern in SPELLING
             for m in re.finditer(pattern, text(en), re.I)]
    assert not found, ("British spellings on an English page (the glossary's convention is American: "
                       "optimize, minimize, normalize, organize, license):\n  " + "\n  ".join(found))


def test_the_glossary_is_used():
    """Guard against a glossary whose terms match nothing (a typo in a form, a wrong file)."""
    everything = "\n".join(text(p) for p in PAIRS)
    unused = [t["zh"][0] for t in TERMS if not any(z in everything for z in t["zh"])]
    assert len(unused) < len(TERMS) / 2, f"most glossary terms appear on no Chinese page: {unused}"
    assert SPELLING


def test_a_missing_pair_fails(tmp_path):
    zh, en = tmp_path / "p.zh.md", tmp_path / "p.en.md"
    zh.write_text("PyTorch 的**交叉验证**：用优化器更新参数。\n", encoding="utf-8")
    en.write_text("The **seed** updates the parameters.\n", encoding="utf-8")
    problems = "\n".join(pair_problems(zh, en))
    assert "'优化器'" in problems and "optimizer" in problems   # a term without its pair
    assert "'交叉验证' is listed to avoid" in problems           # a form to avoid
