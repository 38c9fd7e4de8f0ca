"""Site tooling: vendored assets, diagrams to SVG, math to MathML at build time, the local server with
gzip, and the page-weight report (Lighthouse)."""
