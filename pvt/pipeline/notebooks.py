"""Generate the executed example notebooks (docs/notebooks/) from the snippets.

Each example's `code` section (the same text the pages include) becomes a jupytext
percent-format script: a Markdown cell that says where it comes from, in Chinese or
English, then one code cell per top-level block (blocks are separated by blank lines).
The script is converted with jupytext, executed once with nbclient (kernel python3, cwd
the repository root, the environment of pvt/pipeline/results.py; a cell that raises fails the
run; a cell's last expression is not echoed, so the cells show what the script prints) and
written twice, docs/notebooks/<name>.zh.ipynb and <name>.en.ipynb, which differ
only in that first cell. Volatile metadata (timings, kernel versions, random cell ids)
is stripped, so regenerating gives the same bytes.

A notebook is regenerated only when its inputs changed: the snippet and the modules it
imports, the generated script text, this file and the pinned versions, hashed into
docs/notebooks/<name>.meta.json. `--force` regenerates everything. The site is built
from the committed notebooks and never executes them (mkdocs-jupyter, execute: false).

    python -m pvt.pipeline.notebooks [--force] [--only NAME ...] [--check]
"""

import copy
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from pvt import common, provenance
from pvt.bench.configs import MODEL_WORKLOADS
from pvt.pipeline import results
from pvt.strings import text

ROOT = provenance.ROOT
OUT = ROOT / "docs" / "notebooks"
LANGS = common.LANGS
TOOLS = ["jupytext", "nbformat", "nbclient", "ipykernel"]
TIMEOUT = 600  # seconds per cell
# A cell shows what its code prints, as the script does: no Out[] for a last expression such as
# `torch.manual_seed(0)`, whose repr holds a memory address that changes from run to run; and
# what C++ libraries write to the process's stderr (TensorFlow's oneDNN notice, logged before
# absl is initialised) stays in the kernel's log instead of appearing as a cell's stderr.
QUIET = ["--InteractiveShell.ast_node_interactivity=none", "--IPKernelApp.capture_fd_output=False"]


@dataclass(frozen=True)
class Example:
    name: str
    snippet: str
    title: dict  # lang -> title
    about: dict  # lang -> one sentence on what the code does
    article: str = ""  # the page that shows the code, relative to the site root ("" = none)
    result: str = ""  # the results-store job whose output the notebook must print ("" = none)


EXAMPLES = [
    Example(name, snippet, {lang: text(lang, f"notebook.{name}.title") for lang in LANGS},
            {lang: text(lang, f"notebook.{name}.about", models=text(lang, "punct.list").join(
                text(lang, f"workload_in_text.{w}") for w in MODEL_WORKLOADS)) for lang in LANGS},
            article=article, result=name)
    for name, snippet, article in [("linreg_torch", "snippets/linreg_torch.py", "practice/"),
                                   ("linreg_tf", "snippets/linreg_tf.py", "practice/"),
                                   ("bench_workloads", "snippets/bench_workloads.py", "benchmarks/")]
]
BLANK_THEN_TOP_LEVEL = re.compile(r"\n\s*\n(?=\S)")


def code_section(snippet: str) -> str:
    """The snippet's `code` section as the pages show it."""
    return common.expand_snippets(f'--8<-- "{snippet}:code"').strip("\n") + "\n"


def code_cells(code: str):
    """Split the code at blank lines followed by an unindented line, between top-level statements."""
    import ast

    tree = ast.parse(code)
    inside = set()  # 1-based lines strictly inside a multi-line top-level statement
    for node in tree.body:
        inside.update(range(node.lineno + 1, node.end_lineno + 1))
    cells, start = [], 0
    for match in BLANK_THEN_TOP_LEVEL.finditer(code):
        line = code.count("\n", 0, match.end()) + 1  # the unindented line after the gap
        if line not in inside:
            cells.append(code[start:match.start()])
            start = match.end()
    cells.append(code[start:])
    return [c.strip("\n") for c in cells if c.strip()]


def percent_script(example: Example, lang: str) -> str:
    """The jupytext percent-format text of one language's notebook."""
    site = common.default_site_url()
    article = text(lang, "notebook.article", url=site + common.url_prefix(lang) + example.article) \
        if example.article else ""
    intro = text(lang, "notebook.intro", snippet=example.snippet, article=article, about=example.about[lang])
    parts = ["# %% [markdown]\n" + "\n".join(f"# {line}".rstrip() for line in
                                             [f"# {example.title[lang]}", "", intro])]
    parts += ["# %%\n" + cell for cell in code_cells(code_section(example.snippet))]
    return "\n\n".join(parts) + "\n"


def to_notebook(example: Example, lang: str):
    """The unexecuted notebook, with stable cell ids and only the metadata that matters."""
    import jupytext

    nb = jupytext.reads(percent_script(example, lang), fmt="py:percent")
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, cell in enumerate(nb.cells):
        cell.id = f"{example.name}-{i}"
        cell.metadata = {}
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def execute(nb, example: Example):
    """Run every cell in a fresh python3 kernel at the repository root; raise naming the snippet."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    try:
        NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3", allow_errors=False, record_timing=False,
                       extra_arguments=QUIET, resources={"metadata": {"path": str(ROOT)}}
                       ).execute(env={**os.environ, **results.JOB_ENV})  # the kernel's environment
    except CellExecutionError as error:
        raise RuntimeError(f"{example.snippet}: a notebook cell raised\n{error}") from None
    lexer = nb.metadata.get("language_info", {})
    nb.metadata["language_info"] = {k: lexer[k] for k in
                                    ("name", "codemirror_mode", "file_extension", "mimetype",
                                     "nbconvert_exporter", "pygments_lexer") if k in lexer}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    return nb


def stdout_text(nb) -> str:
    """Everything the notebook's cells printed to stdout, in order."""
    return "".join(out.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                   for out in cell.outputs if out.output_type == "stream" and out.name == "stdout")


def error_outputs(nb):
    """(cell index, output) for every error output or stderr stream in the notebook."""
    return [(i, out) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
            for out in cell.outputs
            if out.output_type == "error" or (out.output_type == "stream" and out.name == "stderr")]


def dumps(nb) -> str:
    import nbformat

    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def paths(example: Example):
    return {lang: OUT / f"{example.name}.{lang}.ipynb" for lang in LANGS}


def meta_path(example: Example) -> Path:
    return OUT / f"{example.name}.meta.json"


def input_hash(example: Example) -> str:
    """Hash of what the notebooks depend on: the code, the generated text of both languages, how
    the kernel runs, and the versions the lock pins (not this file's own text: an edit here that
    changes neither the text nor the run does not re-execute anything)."""
    digest = results.code_hash(example.snippet)
    for lang in LANGS:
        digest.update(percent_script(example, lang).encode())
    pins = provenance.lock_pins()
    env = {k: v for k, v in results.JOB_ENV.items() if k != "PATH"}  # PATH differs between shells
    digest.update(json.dumps({"kernel": QUIET, "env": env, "timeout": TIMEOUT,
                              "tools": {t: pins.get(t) for t in TOOLS}}, sort_keys=True).encode())
    return digest.hexdigest()


def stale_reason(example: Example):
    missing = [p for p in [*paths(example).values(), meta_path(example)] if not p.exists()]
    if missing:
        return f"{example.name}: no {missing[0].relative_to(ROOT)}"
    meta = json.loads(meta_path(example).read_text(encoding="utf-8"))
    if meta["input_hash"] != input_hash(example):
        return f"{example.name}: {example.snippet} (or what it imports, the generated text, the kernel " \
               f"settings or a pinned version) changed"
    return None


def inputs(example: Example):
    return results.inputs(results.Job(example.name, example.snippet)) + ["pvt/pipeline/notebooks.py"]


def generate(example: Example, commit: str):
    """Execute the example once and write both languages' notebooks and the meta file."""
    notebooks = {lang: to_notebook(example, lang) for lang in LANGS}
    executed = execute(copy.deepcopy(notebooks["zh"]), example)
    errors = error_outputs(executed)
    if errors:
        i, out = errors[0]
        raise RuntimeError(f"{example.snippet}: cell {i} wrote an error or to stderr:\n"
                           f"{out.get('text') or out.get('evalue')}")
    if example.result:
        stored = (results.STORE / f"{example.result}.out").read_text(encoding="utf-8")
        if stdout_text(executed) != stored:
            raise RuntimeError(f"{example.snippet}: the notebook printed something else than "
                               f"docs/results/{example.result}.out; run `make results` first")
    texts = {}
    for lang, nb in notebooks.items():
        nb.metadata = executed.metadata
        for cell, ran in zip(nb.cells, executed.cells, strict=True):
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = ran.outputs, ran.execution_count
        texts[lang] = dumps(nb)
    for lang, path in paths(example).items():
        results.write_atomic(path, texts[lang])
    meta = {"notebook": example.name, "snippet": example.snippet, "input_hash": input_hash(example),
            "provenance": provenance.record(commit, seed=results.SEED)}
    results.write_atomic(meta_path(example), json.dumps(meta, indent=1, sort_keys=True) + "\n")


def main(argv=None):
    return results.cached_cli(__doc__, EXAMPLES, stale_reason, generate, inputs, argv, noun="notebook",
                              command="make notebooks")


if __name__ == "__main__":
    sys.exit(main())
