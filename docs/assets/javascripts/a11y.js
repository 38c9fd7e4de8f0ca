// Keyboard access to regions that scroll sideways: notebook code cells, wide tables and diagrams.
// A block off screen is not laid out (content-visibility in extra.css), so whether it scrolls is
// known only once it is drawn: until then it takes the focus, and it is decided again when drawn.
const SCROLLERS = ".jupyter-wrapper .highlight-ipynb, .md-typeset__scrollwrap, .mermaid-diagram";

function decide(el) {
  if (el.scrollWidth > el.clientWidth || el.matches(".highlight-ipynb")) el.tabIndex = 0;
  else el.removeAttribute("tabindex");
}

document$.subscribe(({ body }) => {
  body.querySelectorAll(SCROLLERS).forEach((el) => { el.tabIndex = 0; });
  // The event does not bubble; a listener in the capture phase sees it for every block.
  body.addEventListener("contentvisibilityautostatechange", ({ target, skipped }) => {
    if (skipped) return;
    [target, ...target.querySelectorAll(SCROLLERS)].filter((el) => el.matches(SCROLLERS)).forEach(decide);
  }, true);
});
