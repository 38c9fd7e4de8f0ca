"""Evidence is primary: every link on a page goes to a host in tests/evidence_hosts.toml."""

import re
import tomllib
from pathlib import Path
from urllib.parse import urlparse

from pages import ROOT, pages

HOSTS_FILE = Path(__file__).with_name("evidence_hosts.toml")
URL = re.compile(r"https?://[^\s)>\]\"'`]+")
RAW_VIEW = re.compile(r"\.(diff|patch)$")


def allowed_hosts():
    """The allowed hosts; a host without a one-line reason is an error naming the file."""
    hosts = tomllib.loads(HOSTS_FILE.read_text(encoding="utf-8")).get("hosts", {})
    missing = [h for h, why in hosts.items() if not isinstance(why, str) or not why.strip()]
    assert hosts and not missing, (f"{HOSTS_FILE.relative_to(ROOT)}: give every host under [hosts] "
                                   f"a one-line reason (missing for: {', '.join(missing) or 'all'})")
    return set(hosts)


def bad_links(text, hosts, where):
    """'<where>:<line>: <url>: <why>' for each link to a host not allowed or to a raw diff view."""
    bad = []
    for number, line in enumerate(text.splitlines(), 1):
        for url in URL.findall(line):
            host = (urlparse(url).hostname or "").lower()
            if host not in hosts:
                bad.append(f"{where}:{number}: {url}: host {host!r} is not in "
                           f"tests/evidence_hosts.toml; link the primary source, or add the host "
                           f"there with the reason it is one")
            elif RAW_VIEW.search(urlparse(url).path):
                bad.append(f"{where}:{number}: {url}: a raw .diff/.patch view; link the pull "
                           f"request or the page it changed")
    return bad


def test_every_link_goes_to_an_allowed_host():
    hosts, bad = allowed_hosts(), []
    for page in pages():
        bad += bad_links(page.read_text(encoding="utf-8"), hosts, page.relative_to(ROOT))
    assert not bad, f"{len(bad)} link(s) to a host that is not a primary source:\n  " + "\n  ".join(bad)


def test_the_check_names_a_mirror_and_a_raw_diff():
    text = ("see [a](https://docs.pytorch.org/docs/stable/data.html)\n"
            "[b](https://cocalc.com/github/tensorflow/docs/guide/data.ipynb) and "
            "[c](https://github.com/python/devguide/pull/1430.diff)\n")
    bad = bad_links(text, {"docs.pytorch.org", "github.com"}, "docs/x.en.md")
    assert [b.split(": ")[0] for b in bad] == ["docs/x.en.md:2", "docs/x.en.md:2"]
    assert "'cocalc.com' is not in" in bad[0] and "raw .diff" in bad[1]
