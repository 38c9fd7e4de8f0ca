// Mermaid for Material, on pages with a diagram only (mkdocs-mermaid2 adds this script there).
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
      // Diagrams keep their natural size (16 px labels) instead of shrinking to the column;
      // extra.css lets a diagram wider than the screen scroll sideways. SVG text labels wrap
      // at flowchart.wrappingWidth (200 px); HTML labels would not (Mermaid sets max-width on
      // a table cell, which ignores it), so a long label made a diagram very wide.
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
