"""What each kind of page weighs and how fast it is on a phone: Lighthouse on the built site
(a benchmark, not a test; `make lighthouse`).

Builds the site (`mkdocs build --strict` into a temporary folder, or takes --site), serves it on
127.0.0.1 as GitHub Pages serves it (gzip; pvt/site/server.py) and runs Lighthouse
(node_modules, mobile preset: simulated slow 4G, 4x CPU slowdown) --runs times on every page
type in both languages. Reports the median performance and accessibility scores and total
blocking time, and, from the page's requests, the bytes by kind, uncompressed and as sent.
Writes the results store's docs/results/page_weight.json and its tables
docs/results/tables/page_weight.{zh,en}.md, which the About page shows.

    .venv/bin/python -m pvt.site.page_weight [--site DIR] [--runs 3] [--pages index math ...]

Takes about 20 s per Lighthouse run on 2 cores: 18 pages x 3 runs is about 20 minutes.
"""

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from pvt.common import LANGS, ROOT, table as md_table, url_prefix, write_atomic
from pvt.site.server import serve
from pvt.strings import text

LIGHTHOUSE = ROOT / "node_modules/.bin/lighthouse"
STORE = ROOT / "docs/results/page_weight.json"
TABLES = ROOT / "docs/results/tables"
# One page of each type: home, code, math, diagrams, the benchmark summary and a workload page,
# corrections, a notebook, a side-by-side task (the heaviest).
PAGES = ["index", "practice", "math", "concepts", "benchmarks", "bench/resnet", "errata", "notebooks/linreg_torch",
         "side-by-side/training-step"]
KINDS = ["html", "css", "js", "font", "image", "search index", "other"]
KIND_OF = {"Document": "html", "Stylesheet": "css", "Script": "js", "Font": "font", "Image": "image"}
# The targets for uncompressed bytes without the search index, by what a page holds.
BUDGET_KB = {"diagram": 1000, "math": 600, "plain": 350}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run"
HEADS = ("page", "performance", "accessibility", "tbt", "sent", "size", "uncompressed", "html", "css", "js", "fonts",
         "images", "search", "other", "budget")  # the byte columns follow KINDS


def page_url(base, lang, name):
    folder, _, stem = name.rpartition("/")
    return base + url_prefix(lang) + (f"{folder}/" if folder else "") + ("" if stem == "index" else f"{stem}/")


def build(site: Path):
    print(f"building the site into {site} ...", flush=True)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if proc.returncode:
        sys.exit(f"pvt/site/page_weight.py: mkdocs build --strict failed:\n{proc.stderr[-4000:]}")


def lighthouse(url, out: Path, chromium):
    """One Lighthouse run: scores, total blocking time and the requests (url, kind, sent, size)."""
    cmd = [str(LIGHTHOUSE), url, f"--chrome-flags={CHROME_FLAGS}", "--only-categories=performance,accessibility",
           "--output=json", f"--output-path={out}", "--quiet"]
    proc = subprocess.run(cmd, env={**os.environ, "CHROME_PATH": chromium}, capture_output=True, text=True,
                          timeout=300)
    if proc.returncode or not out.exists():
        sys.exit(f"pvt/site/page_weight.py: Lighthouse failed on {url}:\n{(proc.stderr or proc.stdout)[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    requests = [{"url": r["url"], "kind": "search index" if r["url"].endswith("/search_index.json")
                 else KIND_OF.get(r.get("resourceType"), "other"),
                 "sent": r.get("transferSize") or 0, "size": r.get("resourceSize") or 0}
                for r in report["audits"]["network-requests"]["details"]["items"]]
    return {"performance": round(report["categories"]["performance"]["score"] * 100),
            "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
            "tbt_ms": round(report["audits"]["total-blocking-time"]["numericValue"]),
            "lighthouse": report["lighthouseVersion"], "chrome": report["environment"]["hostUserAgent"],
            "requests": requests}


def measure(url, runs, tmp, chromium):
    found = [lighthouse(url, tmp / f"run-{i}.json", chromium) for i in range(runs)]
    requests = found[0]["requests"]
    kinds = {k: sum(r["size"] for r in requests if r["kind"] == k) for k in KINDS}
    return {"url": url, "runs": [{k: f[k] for k in ("performance", "accessibility", "tbt_ms")} for f in found],
            **{k: statistics.median(f[k] for f in found) for k in ("performance", "accessibility", "tbt_ms")},
            "sent": sum(r["sent"] for r in requests), "size": sum(r["size"] for r in requests),
            "bytes_by_kind": kinds, "requests": len(requests),
            "lighthouse": found[0]["lighthouse"], "chrome": found[0]["chrome"]}


def holds(site: Path, path):
    text = (site / path / "index.html").read_text(encoding="utf-8")
    if 'class="mermaid-diagram"' in text or 'class="mermaid"' in text:
        return "diagram"
    return "math" if 'class="arithmatex"' in text else "plain"


def spread(result, key, lang):
    """The median of a page's runs, with the lowest and highest beside it: runs of one page vary
    more than many differences between pages."""
    values = [run[key] for run in result["runs"]]
    return text(lang, "page_weight.spread", median=f"{result[key]:g}", low=f"{min(values):g}", high=f"{max(values):g}")


def table(results, lang):
    """Scores and bytes per page; the byte columns (every kind in KINDS) add up to the total."""
    rows = []
    for r in results:
        if r["lang"] != lang:
            continue
        kb = {k: f"{v / 1024:,.0f}" for k, v in r["bytes_by_kind"].items()}
        without = (r["size"] - r["bytes_by_kind"]["search index"]) / 1024
        budget = BUDGET_KB[r["holds"]]
        verdict = text(lang, "page_weight.budget", budget=budget, holds=text(lang, f"page_weight.holds_{r['holds']}"),
                       status=text(lang, "page_weight.within" if without <= budget else "page_weight.over"))
        rows.append([f"`/{r['path']}`", spread(r, "performance", lang), f"{r['accessibility']:g}",
                     spread(r, "tbt_ms", lang),
                     f"{r['sent'] / 1024:,.0f}", f"{r['size'] / 1024:,.0f}", f"{without:,.0f}",
                     *(kb[k] for k in KINDS), verdict])
    header = [text(lang, f"page_weight.head_{h}") for h in HEADS]
    return md_table(header, rows, align="l" + "r" * (len(HEADS) - 2) + "l")


def write_tables(results):
    for lang in LANGS:
        write_atomic(TABLES / f"page_weight.{lang}.md", table(results, lang))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a built site (default: a fresh build in a temporary folder)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; medians are reported")
    parser.add_argument("--pages", nargs="+", default=PAGES, help=f"page names (default: {' '.join(PAGES)})")
    parser.add_argument("--tables", action="store_true", help="only render the tables again from the stored results")
    args = parser.parse_args()
    if args.tables:
        return write_tables(json.loads(STORE.read_text(encoding="utf-8"))["pages"])
    chromium = shutil.which("chromium")
    if not chromium:
        sys.exit("pvt/site/page_weight.py: chromium is not installed (Debian package `chromium`)")
    if not LIGHTHOUSE.exists():
        sys.exit(f"pvt/site/page_weight.py: {LIGHTHOUSE.relative_to(ROOT)} is missing; run `npm ci` first")

    # The code that is built and measured: read before the build, since the tree may change during the runs.
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip())
    tmp = Path(tempfile.mkdtemp(prefix="page-weight-"))
    try:
        site = args.site or tmp / "site"
        if not (site / "index.html").exists():
            build(site)
        results = []
        with serve(site) as base:
            for lang in LANGS:
                for name in args.pages:
                    url = page_url(base, lang, name)
                    path = url[len(base):]
                    if not (site / path / "index.html").exists():
                        sys.exit(f"pvt/site/page_weight.py: no page {path or '/'} in {site} (--pages {name})")
                    print(f"lighthouse x{args.runs}: /{path}", flush=True)
                    found = measure(url, args.runs, tmp, chromium)
                    found.update(lang=lang, name=name, path=path, holds=holds(site, path))
                    results.append(found)
                    print(f"  performance {found['performance']:g}, accessibility {found['accessibility']:g}, "
                          f"TBT {found['tbt_ms']:g} ms, {found['size'] / 1024:,.0f} KB", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    meta = {"date": datetime.date.today().isoformat(), "commit": commit, "uncommitted_changes": dirty,
            "runs": args.runs, "lighthouse": results[0]["lighthouse"], "chrome": results[0]["chrome"],
            "preset": "mobile (simulated slow 4G, 4x CPU slowdown)", "served": "127.0.0.1 with gzip"}
    for r in results:
        del r["lighthouse"], r["chrome"], r["url"]  # the URL names a port of this run
    write_atomic(STORE, json.dumps({"meta": meta, "pages": results}, indent=1, ensure_ascii=False) + "\n")
    write_tables(results)
    print(f"\n{table(results, 'en')}\nwritten: {STORE.relative_to(ROOT)}, {TABLES.relative_to(ROOT)}/page_weight.*.md")


if __name__ == "__main__":
    main()
