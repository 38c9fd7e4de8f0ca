// Keyboard access to regions that scroll sideways: notebook code cells, wide tables and diagrams.
document$.subscribe(({ body }) => {
  body.querySelectorAll(".jupyter-wrapper .highlight-ipynb, .md-typeset__scrollwrap, .mermaid-diagram").forEach((el) => {
    if (el.scrollWidth > el.clientWidth || el.matches(".highlight-ipynb")) el.tabIndex = 0;
  });
});
