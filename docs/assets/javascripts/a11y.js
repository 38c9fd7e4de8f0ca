// Keyboard access to regions that scroll sideways: code blocks, notebook cells, wide tables, diagrams.
// A code block off screen is not laid out (content-visibility in extra.css) nor mounted by Material
// (content.lazy), so whether it scrolls is known only once it is drawn: until then it
// takes the focus, and it is decided again when drawn. Other regions are decided on load.
const SCROLLERS = ".jupyter-wrapper .highlight-ipynb, .md-typeset__scrollwrap, .mermaid-diagram, .highlight > pre > code";

function decide(el) {
  if (el.scrollWidth > el.clientWidth || el.matches(".highlight-ipynb")) el.tabIndex = 0;
  else el.removeAttribute("tabindex");
}

document$.subscribe(({ body }) => {
  body.querySelectorAll(SCROLLERS).forEach((el) => {
    if (el.closest(".md-content__inner > .highlight")) el.tabIndex = 0;
    else decide(el);
  });
  // The event does not bubble; a listener in the capture phase sees it for every block.
  body.addEventListener("contentvisibilityautostatechange", ({ target, skipped }) => {
    if (skipped) return;
    [target, ...target.querySelectorAll(SCROLLERS)].filter((el) => el.matches(SCROLLERS)).forEach(decide);
  }, true);
});
