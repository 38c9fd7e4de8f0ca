"""Copy the self-hosted JavaScript and CSS from node_modules/ into docs/assets/vendor/.

The versions are pinned in package.json and package-lock.json; run `npm ci` first.
The site loads these copies only, never a CDN.

    python scripts/vendor_assets.py [--check]
"""

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "docs" / "assets" / "vendor"

# (source under node_modules, destination under docs/assets/vendor)
FILES = [
    ("mermaid/dist/mermaid.min.js", "mermaid/mermaid.min.js"),
    ("katex/dist/katex.min.js", "katex/katex.min.js"),
    ("katex/dist/katex.min.css", "katex/katex.min.css"),
    ("katex/dist/contrib/auto-render.min.js", "katex/auto-render.min.js"),
]
FONT_DIR = ("katex/dist/fonts", "katex/fonts")


def plan():
    pairs = [(NODE / s, VENDOR / d) for s, d in FILES]
    src_fonts, dst_fonts = NODE / FONT_DIR[0], VENDOR / FONT_DIR[1]
    if src_fonts.is_dir():
        pairs += [(f, dst_fonts / f.name) for f in sorted(src_fonts.glob("*.woff2"))]
    return pairs


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report whether the copies are up to date")
    args = parser.parse_args()

    missing = [s for s, _ in plan() if not s.exists()]
    if missing or not (NODE / FONT_DIR[0]).is_dir():
        sys.exit(f"scripts/vendor_assets.py: {missing[0] if missing else NODE / FONT_DIR[0]} is missing; "
                 "run `npm ci` in the project root first.")
    stale = [d for s, d in plan() if not d.exists() or d.read_bytes() != s.read_bytes()]
    if args.check:
        for d in stale:
            print(f"stale: {d.relative_to(ROOT)}")
        sys.exit(1 if stale else 0)
    for s, d in plan():
        if d in stale:
            d.parent.mkdir(parents=True, exist_ok=True)
            tmp = d.with_name(d.name + ".tmp")
            shutil.copyfile(s, tmp)
            tmp.replace(d)
    print(f"vendored {len(plan())} files into {VENDOR.relative_to(ROOT)} ({len(stale)} updated)")


if __name__ == "__main__":
    main()
