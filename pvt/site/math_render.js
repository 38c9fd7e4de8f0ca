// Render TeX formulas as MathML with Temml, for hooks/formulas.py (server-side math: no script in the browser).
// stdin: a JSON list of [tex, displayMode]; stdout: a JSON list of {html} or {error}, in order.
//     echo '[["x^2", false]]' | node pvt/site/math_render.js
const temml = require("temml");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([tex, displayMode]) => {
    try {
      return { html: temml.renderToString(tex, { displayMode, throwOnError: true }) };
    } catch (e) {
      return { error: String(e.message || e) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
