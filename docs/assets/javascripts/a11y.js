// Keyboard access to regions that scroll sideways: notebook code cells and wide tables.
document$.subscribe(({ body }) => {
  body.querySelectorAll(".jupyter-wrapper .highlight-ipynb, .md-typeset__scrollwrap").forEach((el) => {
    if (el.scrollWidth > el.clientWidth || el.matches(".highlight-ipynb")) el.tabIndex = 0;
  });
});
