// Keyboard access to regions that scroll sideways: code blocks, notebook cells, wide tables, diagrams,
// display formulas.
// A code block off screen is not laid out (content-visibility in extra.css) nor mounted by Material
// (content.lazy), so whether it scrolls is known only once it is drawn: until then it
// takes the focus, and it is decided again when drawn. Other regions are decided on load.
const SCROLLERS = ".jupyter-wrapper .highlight-ipynb, .md-typeset__scrollwrap, .mermaid-diagram, .highlight > pre > code, " +
  ".md-typeset div.arithmatex";

function decide(el) {
  if (el.scrollWidth > el.clientWidth || el.matches(".highlight-ipynb")) el.tabIndex = 0;
  else el.removeAttribute("tabindex");
}

function decideAll(body) {
  body.querySelectorAll(SCROLLERS).forEach((el) => {
    if (el.closest(".md-content__inner > .highlight")) el.tabIndex = 0;
    else decide(el);
  });
}

document$.subscribe(({ body }) => {
  decideAll(body);
  // A formula's width is known once the math font has loaded: decide again then.
  document.fonts.ready.then(() => decideAll(body));
  // The event does not bubble; a listener in the capture phase sees it for every block.
  body.addEventListener("contentvisibilityautostatechange", ({ target, skipped }) => {
    if (skipped) return;
    [target, ...target.querySelectorAll(SCROLLERS)].filter((el) => el.matches(SCROLLERS)).forEach(decide);
  }, true);
});
