"""Render every Mermaid diagram of the pages to SVG, into the results store, so that a page shows
its diagrams without loading Mermaid (3.5 MB as one file, or about 830 KB of ESM chunks and a
second of main-thread work for a flowchart, on every visit).

Each ```mermaid fence in docs/**/*.md is rendered once by the vendored Mermaid ESM build in
headless Chromium and stored as docs/results/diagrams/<key>.svg, where the key hashes the
diagram's text, the Mermaid version (package.json) and the settings below. The build
(hooks/svg_diagrams.py) puts the stored SVG in the page in place of the fence. A fence without
one (a diagram being edited under `mkdocs serve`) is rendered in the browser by mkdocs-mermaid2
and docs/assets/javascripts/mermaid-loader.js, and tests/test_site.py fails until it is stored.

    python -m pvt.site.diagrams [--check]     # --check: list missing and unused SVGs, exit 1 if any
"""

import argparse
import hashlib
import json
import re
import shutil
import sys
import textwrap

from pvt.common import ROOT, write_atomic

DOCS = ROOT / "docs"
STORE = DOCS / "results" / "diagrams"
MERMAID = DOCS / "assets" / "vendor" / "mermaid"
FENCE = re.compile(r"^([ \t]*)```mermaid[ \t]*\n(.*?)^\1```", re.M | re.S)
# Labels as SVG text wrapped at 200 px (Mermaid's HTML labels do not wrap: its max-width sits on a
# table cell), natural size (16 px text; a diagram wider than the column scrolls), no animation.
CONFIG = {"startOnLoad": False, "htmlLabels": False, "theme": "default",
          "fontFamily": "-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif",
          "flowchart": {"htmlLabels": False, "useMaxWidth": False, "wrappingWidth": 200}}


def mermaid_version():
    return json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["mermaid"]


def normalize(source: str) -> str:
    return "\n".join(line.rstrip() for line in textwrap.dedent(source).strip().splitlines())


def key(source: str) -> str:
    """The stored SVG's name for a diagram's text (as in the fence, or as the built page holds it)."""
    settings = json.dumps([mermaid_version(), CONFIG], sort_keys=True)
    return hashlib.sha256(f"{settings}\n{normalize(source)}".encode("utf-8")).hexdigest()[:16]


def diagrams():
    """{key: (page, text)} for every Mermaid fence in the pages."""
    found = {}
    for page in sorted(DOCS.rglob("*.md")):
        if STORE.parent in page.parents:
            continue
        for m in FENCE.finditer(page.read_text(encoding="utf-8")):
            found.setdefault(key(m.group(2)), (page.relative_to(ROOT).as_posix(), normalize(m.group(2))))
    return found


PAGE = """<!doctype html><html><body><script type="module">
import mermaid from "./mermaid.esm.min.mjs";
mermaid.initialize(%s);
window.renderDiagram = async (id, text) => (await mermaid.render(id, text)).svg;
window.mermaidReady = true;
</script></body></html>"""


def render(todo):
    """{key: svg} for {key: (page, text)}, rendered by the vendored Mermaid in headless Chromium."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if not chromium:
        sys.exit("pvt/site/diagrams.py: chromium is not installed (Debian package `chromium`)")
    if not (MERMAID / "mermaid.esm.min.mjs").exists():
        sys.exit("pvt/site/diagrams.py: Mermaid is not vendored; run `npm ci` and `python -m pvt.site.vendor_assets`")

    def serve(route):
        name = route.request.url.split("render.invalid/", 1)[1]
        if name == "index.html":
            return route.fulfill(body=PAGE % json.dumps(CONFIG), content_type="text/html")
        path = MERMAID / name
        if not path.is_file():
            return route.fulfill(status=404, body="")
        return route.fulfill(body=path.read_bytes(), content_type="text/javascript")

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.route("http://render.invalid/**", serve)
        page.goto("http://render.invalid/index.html")
        page.wait_for_function("window.mermaidReady === true", timeout=60_000)
        for k, (src, text) in todo.items():
            print(f"rendering {k} from {src}", flush=True)
            try:
                out[k] = page.evaluate("([id, text]) => renderDiagram(id, text)", [f"d-{k}", text])
            except Exception as e:  # noqa: BLE001 (Playwright raises its own Error: name the page)
                sys.exit(f"pvt/site/diagrams.py: {src}: Mermaid cannot render a diagram:\n{text}\n{e}")
        browser.close()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only list missing and unused SVGs")
    args = parser.parse_args()
    wanted = diagrams()
    stored = {p.stem: p for p in STORE.glob("*.svg")}
    missing = {k: v for k, v in wanted.items() if k not in stored}
    unused = sorted(set(stored) - set(wanted))
    if args.check:
        for k, (src, _) in missing.items():
            print(f"missing: {STORE.relative_to(ROOT)}/{k}.svg (a diagram in {src})")
        for k in unused:
            print(f"unused: {STORE.relative_to(ROOT)}/{k}.svg")
        sys.exit(1 if missing or unused else 0)
    for k, svg in render(missing).items() if missing else ():
        write_atomic(STORE / f"{k}.svg", svg + "\n")
    for k in unused:
        stored[k].unlink()
    print(f"{len(wanted)} diagrams: {len(missing)} rendered, {len(unused)} unused SVGs removed, "
          f"in {STORE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
