"""Site tooling: vendored assets, diagrams to SVG, KaTeX at build time, the local server with
gzip, and the page-weight report (Lighthouse)."""
