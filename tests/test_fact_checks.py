"""The site's own facts and their checks (tests/fact_checks.toml, issue 24.2).

Every entry quotes the key words of an English sentence (`claim`), names the primary source read
(`source`, on a host of tests/evidence_hosts.toml), the day it was read and the verdict. A claim
must stand verbatim on its page, so that a sentence edited later loses its check; and every
sentence of the checked pages with a status marker ("no longer", "deprecated", "archived",
"maintenance mode", "last release") must contain a checked claim, so that no such statement
goes on a page unchecked.
"""

import datetime
import re
import tomllib
from pathlib import Path
from urllib.parse import urlparse

import pytest
from pages import DOCS, ROOT, outside_fences

pytestmark = pytest.mark.fast  # `make test-fast`

CHECKS_FILE = ROOT / "tests" / "fact_checks.toml"  # beside the glossary: a maintainers' file, not published
HOSTS_FILE = Path(__file__).with_name("evidence_hosts.toml")
VERDICTS = {"correct", "fixed", "removed"}
FIELDS = ("page", "claim", "verdict", "source", "read", "note")
# The pages whose own statements were checked (the chapters, errata, about and provenance).
PAGES = ("index", "background", "concepts", "algorithms", "math", "practice", "applications", "resources",
         "outlook", "faq", "errata", "about", "provenance")
MARKERS = re.compile(r"\b(?:no longer|deprecated|archived|maintenance mode|last release)\b", re.I)

# What a sentence is read from: a quotation is the source's words, not the site's; a comment
# (a pytest mark's reason) is not shown to readers; a box title is prose.
COMMENT = re.compile(r"<!--.*?-->")
QUOTE = re.compile(r"“[^”]*”|(?<![\w])\"[^\"\n]*\"")
TITLE = re.compile(r'^(\s*)(?:\?\?\?\+?|!!!)\s+[\w-]+\s+"(.*)"\s*$')
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*`\[(“\"])|\s\|\s|^\s*[-*\d.]+\s+")


def load(path=CHECKS_FILE):
    return tomllib.loads(path.read_text(encoding="utf-8")).get("check", [])


def allowed_hosts():
    return set(tomllib.loads(HOSTS_FILE.read_text(encoding="utf-8"))["hosts"])


def page_text(page, docs=DOCS):
    return (docs / f"{page}.en.md").read_text(encoding="utf-8")


def form_problems(checks, hosts):
    """'entry N: …' for each entry that is not of the agreed form."""
    problems = []
    for n, c in enumerate(checks, 1):
        where = f"entry {n} ({c.get('claim', '?')[:40]!r})"
        missing = [f for f in FIELDS if f not in c or not str(c[f]).strip()]
        if missing:
            problems.append(f"{where}: missing {missing}")
            continue
        if c["page"] not in PAGES:
            problems.append(f"{where}: page {c['page']!r} is not one of {PAGES}")
        if c["verdict"] not in VERDICTS:
            problems.append(f"{where}: verdict {c['verdict']!r} is not one of {sorted(VERDICTS)}")
        url = urlparse(c["source"])
        if url.scheme != "https" or (url.hostname or "").lower() not in hosts:
            problems.append(f"{where}: source {c['source']} is not https on a host of tests/evidence_hosts.toml")
        read = c["read"]
        try:
            if not isinstance(read, datetime.date):
                datetime.date.fromisoformat(read)
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", read):
                    raise ValueError(read)
        except ValueError:
            problems.append(f"{where}: read {read!r} is not an ISO date (YYYY-MM-DD)")
    return problems


def claim_problems(checks, docs=DOCS):
    """A claim checked 'correct' or 'fixed' stands verbatim on its page; a 'removed' one does not."""
    problems = []
    for c in checks:
        if c.get("page") not in PAGES or "claim" not in c:
            continue
        on_page = c["claim"] in page_text(c["page"], docs)
        if c.get("verdict") == "removed" and on_page:
            problems.append(f"docs/{c['page']}.en.md still says {c['claim']!r}, checked as removed")
        elif c.get("verdict") != "removed" and not on_page:
            problems.append(f"docs/{c['page']}.en.md no longer says {c['claim']!r}: the sentence changed, "
                            f"so check it again and update its entry")
    return problems


def sentences(path):
    """(line number, sentence) of the page's prose, split at sentence ends and table cells."""
    for number, line in outside_fences(path):
        line = COMMENT.sub(" ", line)
        title = TITLE.match(line)
        if title:
            line = title.group(1) + title.group(2)
        for part in SENTENCE_END.split(line):
            if part and part.strip():
                yield number, part.strip()


def unchecked(checks, docs=DOCS, pages=PAGES):
    """'page:line: sentence' for each sentence with a status marker that contains no checked claim."""
    claims = {}
    for c in checks:
        if c.get("verdict") != "removed":
            claims.setdefault(c.get("page"), []).append(c.get("claim", ""))
    found = []
    for page in pages:
        path = docs / f"{page}.en.md"
        for number, sentence in sentences(path):
            if MARKERS.search(QUOTE.sub(" ", sentence)) and not any(
                    claim and claim in sentence for claim in claims.get(page, [])):
                found.append(f"docs/{page}.en.md:{number}: {sentence[:160]}")
    return found


def test_every_entry_is_well_formed():
    checks = load()
    assert checks, f"{CHECKS_FILE.relative_to(ROOT)} has no [[check]] entries"
    problems = form_problems(checks, allowed_hosts())
    assert not problems, f"{CHECKS_FILE.relative_to(ROOT)}:\n  " + "\n  ".join(problems)


def test_every_claim_stands_on_its_page():
    problems = claim_problems(load())
    assert not problems, "\n".join(problems)


def test_every_status_statement_is_checked():
    found = unchecked(load())
    assert not found, ("sentences with a status marker ('no longer', 'deprecated', 'archived', 'maintenance "
                       "mode', 'last release') that no entry of tests/fact_checks.toml checks; check each "
                       "against its primary source and add an entry whose claim the sentence contains:\n  "
                       + "\n  ".join(found))


def test_the_checks_fail_on_what_they_exist_for(tmp_path):
    hosts = {"github.com"}
    good = {"page": "faq", "claim": "TorchServe is no longer actively maintained", "verdict": "fixed",
            "source": "https://github.com/pytorch/serve", "read": "2026-12-03", "note": "README"}
    assert form_problems([good], hosts) == []
    for field, bad in [("verdict", "ok"), ("source", "http://github.com/pytorch/serve"),
                       ("source", "https://example.com/serve"), ("read", "3 Dec 2026"), ("page", "blog"),
                       ("note", "")]:
        assert form_problems([dict(good, **{field: bad})], hosts), (field, bad)
    (tmp_path / "faq.en.md").write_text(
        "# FAQ\n\nTorchServe is no longer actively maintained. TensorFlow Lite is deprecated.\n\n"
        '??? bug "Correction C9.9: torchtext is no longer developed"\n\n'
        '    **Evidence**: "TorchScript is deprecated, please use torch.export instead."\n\n'
        '<!--pytest.mark.skip(reason="the channel no longer receives releases")-->\n\n'
        "```python\n# no longer\n```\n", encoding="utf-8")
    assert claim_problems([good], tmp_path) == []
    assert claim_problems([dict(good, claim="TorchServe is archived")], tmp_path)
    assert claim_problems([dict(good, verdict="removed")], tmp_path)
    found = unchecked([good], tmp_path, pages=("faq",))
    assert [f.split(": ", 1)[1] for f in found] == ["TensorFlow Lite is deprecated.",
                                                   "Correction C9.9: torchtext is no longer developed"], found
