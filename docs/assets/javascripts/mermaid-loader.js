// Mermaid in the browser, for a diagram that has no stored SVG yet (pvt/site/diagrams.py; while
// it is edited under `mkdocs serve`): mkdocs-mermaid2 adds this script to such pages only.
// It imports Mermaid's ESM build: a ~30 KB entry plus the chunks a flowchart needs, instead of
// the 3.5 MB UMD build. Material looks for `window.mermaid` on DOMContentLoaded (and would
// fetch Mermaid from a CDN without it), before the module has loaded, so `window.mermaid` is
// set at once to a stand-in with the two calls Material makes, which wait for the module.
(() => {
  const ready = import(new URL("../vendor/mermaid/mermaid.esm.min.mjs", document.currentScript.src))
    .then((module) => module.default);
  let config = {};
  window.mermaid = {
    initialize(options) { config = options; },
    async render(id, text) {
      const mermaid = await ready;
      // The settings of pvt/site/diagrams.py: SVG text labels wrapped at 200 px, natural size.
      mermaid.initialize({ ...config, htmlLabels: false, flowchart: { ...config.flowchart, htmlLabels: false, useMaxWidth: false } });
      const result = await mermaid.render(id, text);
      // Material puts the diagram in place right after this call: a diagram wider than its
      // column then scrolls, and a region that scrolls must take the keyboard focus.
      setTimeout(() => document.querySelectorAll("div.mermaid").forEach((el) => {
        if (el.scrollWidth > el.clientWidth) el.tabIndex = 0;
      }));
      return result;
    },
  };
})();
