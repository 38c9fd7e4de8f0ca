// Render TeX formulas with KaTeX, for hooks/katex.py (server-side math: no KaTeX in the browser).
// stdin: a JSON list of [tex, displayMode]; stdout: a JSON list of {html} or {error}, in order.
//     echo '[["x^2", false]]' | node pvt/site/katex_render.js
const katex = require("katex");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([tex, displayMode]) => {
    try {
      return { html: katex.renderToString(tex, { displayMode, output: "htmlAndMathml", throwOnError: true }) };
    } catch (e) {
      return { error: String(e.message || e) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
