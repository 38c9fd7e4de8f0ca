"""Copy the self-hosted JavaScript, CSS and fonts from node_modules/ into docs/assets/vendor/.

The versions are pinned in package.json and package-lock.json; run `npm ci` first.
The site loads these copies only, never a CDN.

- Temml: its stylesheet for the STIX Two Math font. Formulas are rendered to MathML at build
  time, so no page loads a math script; the build writes the font the stylesheet names, cut
  down to the characters the formulas use (hooks/formulas.py).
- Mermaid: the ESM build, a 30 KB entry module plus the chunks it imports on demand; a
  page with a flowchart loads only the chunks a flowchart needs.

Files in docs/assets/vendor/ that are not listed here are removed.

    python -m pvt.site.vendor_assets [--check]
"""

import argparse
import shutil
import sys

from pvt.common import ROOT

NODE = ROOT / "node_modules"
VENDOR = ROOT / "docs" / "assets" / "vendor"
MERMAID_CHUNKS = "mermaid/dist/chunks/mermaid.esm.min"

# (source under node_modules, destination under docs/assets/vendor)
FILES = [
    ("mermaid/dist/mermaid.esm.min.mjs", "mermaid/mermaid.esm.min.mjs"),
    ("temml/dist/Temml-STIX2.css", "temml/temml.css"),
]
# (source folder, glob, destination folder)
FOLDERS = [
    (MERMAID_CHUNKS, "*.mjs", "mermaid/chunks/mermaid.esm.min"),
]


def plan():
    pairs = [(NODE / s, VENDOR / d) for s, d in FILES]
    for folder, pattern, dst in FOLDERS:
        pairs += [(f, VENDOR / dst / f.name) for f in sorted((NODE / folder).glob(pattern))]
    return pairs


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report whether the copies are up to date")
    args = parser.parse_args()

    missing = [NODE / s for s, _ in FILES if not (NODE / s).exists()]
    missing += [NODE / f for f, pattern, _ in FOLDERS if not any((NODE / f).glob(pattern))]
    if missing:
        sys.exit(f"pvt/site/vendor_assets.py: {missing[0]} is missing; run `npm ci` in the project root first.")
    pairs = plan()
    wanted = {d for _, d in pairs}
    stale = [(s, d) for s, d in pairs if not d.exists() or d.read_bytes() != s.read_bytes()]
    extra = sorted(p for p in VENDOR.rglob("*") if p.is_file() and p not in wanted) if VENDOR.exists() else []
    if args.check:
        for _, d in stale:
            print(f"stale: {d.relative_to(ROOT)}")
        for p in extra:
            print(f"not vendored any more: {p.relative_to(ROOT)}")
        sys.exit(1 if stale or extra else 0)
    for s, d in stale:
        d.parent.mkdir(parents=True, exist_ok=True)
        tmp = d.with_name(d.name + ".tmp")
        tmp.write_bytes(s.read_bytes())
        tmp.replace(d)
    for p in extra:
        p.unlink()
    for folder in sorted((p for p in VENDOR.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            shutil.rmtree(folder)
    print(f"vendored {len(pairs)} files into {VENDOR.relative_to(ROOT)} "
          f"({len(stale)} updated, {len(extra)} removed)")


if __name__ == "__main__":
    main()
