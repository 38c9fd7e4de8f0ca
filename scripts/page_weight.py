"""Page weight of the built site, and Lighthouse scores of the two home pages (a benchmark, not a test).

Serves the built site on 127.0.0.1 (building it with `mkdocs build --strict` if needed), loads
every page in headless Chromium with an empty cache and sums the bytes of every response,
workers included, until the network is idle. Writes a Markdown report with one row per page
(requests, KB transferred, whether mermaid.min.js was loaded) and checks that exactly the
pages with a diagram load Mermaid. Then runs Lighthouse (performance, accessibility) on the
Chinese and English home pages.

    .venv/bin/python scripts/page_weight.py [--site DIR] [--out site-report/page-weight.md]

Bytes are what python -m http.server sends: uncompressed. GitHub Pages serves text gzipped,
so the report also gives a gzip estimate of the same responses.
"""

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from site_fixture import CHROMIUM, built_pages, launch, serve  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules/.bin/lighthouse"


def build(site: Path):
    print(f"building the site into {site} ...", flush=True)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if proc.returncode:
        sys.exit(f"mkdocs build --strict failed:\n{proc.stderr[-4000:]}")


def weigh(browser, url):
    """(requests, bytes, gzip bytes, URLs) for one page loaded with an empty cache."""
    context = browser.new_context()
    context.route(lambda u: not u.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="networkidle")
    total = packed = 0
    for request in finished:
        sizes, response = request.sizes(), request.response()
        body = response.body() if response else b""
        size = sizes["responseBodySize"] or len(body)  # a worker script reports 0
        total += size + sizes["responseHeadersSize"]
        packed += len(gzip.compress(body)) + sizes["responseHeadersSize"]
    urls = [r.url for r in finished]
    context.close()
    return len(urls), total, packed, urls


METRICS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP", "total-blocking-time": "TBT"}


def lighthouse(url, out: Path):
    """{category: score 0-100, metric: shown value} from a Lighthouse run on `url` (JSON kept in `out`)."""
    cmd = [str(LIGHTHOUSE), url, "--chrome-flags=--headless=new --no-sandbox --disable-background-networking",
           "--only-categories=performance,accessibility", "--output=json", f"--output-path={out}", "--quiet"]
    proc = subprocess.run(cmd, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True,
                          timeout=300)
    if proc.returncode or not out.exists():
        return {"error": (proc.stderr or proc.stdout)[-500:]}
    report = json.loads(out.read_text(encoding="utf-8"))
    found = {name: round(cat["score"] * 100) for name, cat in report["categories"].items()}
    found.update({short: report["audits"][audit]["displayValue"] for audit, short in METRICS.items()})
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="built site (built there if it does not exist; "
                                                  "default: a fresh build in a temporary folder)")
    parser.add_argument("--out", type=Path, default=ROOT / "site-report/page-weight.md", help="report path")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median is reported")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip the Lighthouse runs")
    args = parser.parse_args()
    if not CHROMIUM:
        sys.exit("chromium is not installed (Debian package `chromium`)")

    tmp = Path(tempfile.mkdtemp(prefix="page-weight-"))
    site = args.site or tmp / "site"
    if not (site / "index.html").exists():
        build(site)

    from playwright.sync_api import sync_playwright

    args.out.parent.mkdir(parents=True, exist_ok=True)
    rows, wrong = [], []
    with serve(site) as base, sync_playwright() as p:
        browser = launch(p)
        for path in built_pages(site):
            count, size, packed, urls = weigh(browser, base + path)
            loads = any(u.endswith("/mermaid.min.js") for u in urls)
            has_diagram = 'class="mermaid"' in (site / path / "index.html").read_text(encoding="utf-8")
            if loads != has_diagram:
                wrong.append(f"/{path}: {'loads' if loads else 'does not load'} Mermaid, "
                             f"{'has' if has_diagram else 'has no'} diagram")
            rows.append(f"| /{path} | {count} | {size / 1024:,.0f} | {packed / 1024:,.0f} | "
                        f"{'yes' if loads else 'no'} | {'yes' if has_diagram else 'no'} |")
            print(rows[-1], flush=True)
        browser.close()
        scores = {}
        for lang, prefix in ([] if args.no_lighthouse else [("zh", ""), ("en", "en/")]):
            runs = [lighthouse(base + prefix, args.out.parent / f"lighthouse-{lang}-{i + 1}.json")
                    for i in range(args.runs)]
            good = sorted((r for r in runs if "error" not in r), key=lambda r: r["performance"])
            scores[lang] = {**good[len(good) // 2], "runs": ", ".join(str(r["performance"]) for r in good)} \
                if good else runs[0]  # the run with the median performance score

    no_diagram = sum(1 for r in rows if r.endswith("| no |"))
    proof = (f"Mermaid only where there is a diagram: yes ({no_diagram} pages without a diagram, "
             "none of them loaded mermaid.min.js)." if not wrong else
             "Mermaid only where there is a diagram: NO\n\n" + "\n".join(f"- {w}" for w in wrong))
    lines = ["# Page weight", "",
             "Every page loaded once in headless Chromium with an empty cache, from `python -m http.server`",
             "(uncompressed); the gzip column estimates what a server that compresses (GitHub Pages) sends.", "",
             "| page | requests | KB transferred | KB gzip (est.) | mermaid.min.js loaded | diagram on page |",
             "|---|---:|---:|---:|---|---|", *rows, "", proof]
    if scores:
        lines += ["", "## Lighthouse (home pages)", "",
                  f"Lighthouse 12 defaults (mobile, simulated slow 4G, 4x CPU slowdown), {args.runs} runs per page;",
                  "the run with the median performance score is shown. JSON reports beside this file.", "",
                  "| page | performance | accessibility | FCP | LCP | TBT | performance, every run |",
                  "|---|---:|---:|---:|---:|---:|---|"]
        for lang, s in scores.items():
            lines.append(f"| /{'' if lang == 'zh' else 'en/'} | " + " | ".join(
                str(s.get(k, "-")) for k in ("performance", "accessibility", "FCP", "LCP", "TBT", "runs")) + " |"
                + (f" error: {s['error']}" if "error" in s else ""))
    report = "\n".join(lines) + "\n"
    partial = args.out.with_name(args.out.name + ".tmp")
    partial.write_text(report, encoding="utf-8")
    partial.replace(args.out)
    shutil.rmtree(tmp, ignore_errors=True)
    print("\n" + report + f"\nwritten to {args.out}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
