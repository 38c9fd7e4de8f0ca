// Notebook code cells that scroll sideways must be reachable by keyboard.
document$.subscribe(({ body }) => {
  body.querySelectorAll(".jupyter-wrapper .highlight-ipynb").forEach((el) => { el.tabIndex = 0; });
});
