// Keyboard access to regions that scroll sideways: code blocks, notebook cells, wide tables, diagrams,
// display formulas. A region takes the focus when it is wider than its box.
// Each region is measured once it is drawn, and again when its size changes: a ResizeObserver reports
// after the browser's own layout, so measuring there lays nothing out again. Measuring on load
// instead made the browser lay out the content of a closed <details>: 1,926 elements on the
// benchmark page. A region hidden at first (in a closed <details>, in a tab not chosen) reports when
// it is shown.
// A code block off screen is not laid out (content-visibility in extra.css) nor mounted by Material
// (content.lazy): until it is drawn it takes the focus, and it is decided again when drawn.
const SCROLLERS = ".jupyter-wrapper .highlight-ipynb, .md-typeset__scrollwrap, .mermaid-diagram, .highlight > pre > code, " +
  ".md-typeset div.arithmatex";
const OFF_SCREEN_CODE = ".md-content__inner > .highlight";

function decide(el) {
  if (el.scrollWidth > el.clientWidth || el.matches(".highlight-ipynb")) el.tabIndex = 0;
  else el.removeAttribute("tabindex");
}

const drawn = new Set();
const sized = new ResizeObserver((entries) => entries.forEach(({ target, contentRect }) => {
  if (!contentRect.width) return drawn.delete(target);
  drawn.add(target);
  decide(target);
}));

document$.subscribe(({ body }) => {
  body.querySelectorAll(SCROLLERS).forEach((el) => {
    if (el.closest(OFF_SCREEN_CODE)) el.tabIndex = 0;
    else sized.observe(el);
  });
  // A formula's width is known once the math font has loaded, and its box does not change: decide
  // again then.
  document.fonts.ready.then(() => drawn.forEach(decide));
  // The event does not bubble; a listener in the capture phase sees it for every block.
  body.addEventListener("contentvisibilityautostatechange", ({ target, skipped }) => {
    if (skipped) return;
    [target, ...target.querySelectorAll(SCROLLERS)].filter((el) => el.matches(SCROLLERS)).forEach(decide);
  }, true);
});
