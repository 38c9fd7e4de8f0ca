// Mermaid's ESM build for Material, on pages with a diagram only (mkdocs-mermaid2 imports this
// module there). It loads the ~30 KB entry and the chunks a flowchart needs, not the 3.5 MB UMD
// build. An inline module runs before DOMContentLoaded, so `window.mermaid` exists when Material
// looks for it and Material never fetches Mermaid from a CDN.
import mermaid from "../vendor/mermaid/mermaid.esm.min.mjs";

// Material calls mermaid.initialize itself. Diagrams keep their natural size (16 px labels)
// instead of shrinking to the column; extra.css lets a wide one scroll sideways.
const initialize = mermaid.initialize.bind(mermaid);
mermaid.initialize = (config) => initialize({ ...config, flowchart: { ...config.flowchart, useMaxWidth: false } });
window.mermaid = mermaid;
