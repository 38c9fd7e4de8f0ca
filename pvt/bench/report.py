"""Tables and plots from the benchmark results (docs/results/machines/*/bench.json).

Per workload: docs/results/tables/bench_<workload>.{zh,en}.md (the timings, then every
question of the chapter answered by the verdict rule) and plots/bench_<workload>.{zh,en}.svg;
plus bench_summary (the verdicts of every workload in one table), bench_machines (the runs),
bench_configs (what each configuration times) and bench_notes (the column notes, once).
Every number and every verdict comes from the JSON files; every word from pvt/strings.toml.

    python -m pvt.bench.report [--results DIR] [--tables DIR] [--plots DIR]
"""

import argparse
import json
import math
import statistics
import sys
from pathlib import Path

from pvt import provenance
from pvt.bench import verdict
from pvt.bench.configs import BY_NAME, CEILING_SIZES, CONFIGS, FIT_BATCHES, SAME_FUNCTION, TASKS, configs_for
from pvt.common import LANGS, snippet
from pvt.render import plot_style, run_label
from pvt.render import svg as render_svg
from pvt.render import table as md_table
from pvt.strings import text

ROOT = Path(__file__).resolve().parent.parent.parent
RESULTS = ROOT / "docs" / "results"
workloads = snippet("bench_workloads")  # numpy only: the sizes the titles name
input_pipeline = snippet("input_pipeline")

# The questions of the summary table, framework against framework first.
SUMMARY = ["eager", "graph", "best", "torch_compile", "tf_function", "tf_xla", "keras_tuned",
           "keras_backend", "keras_torch"]


def fmt(x, digits=3):
    """`digits` significant digits, never in exponent notation."""
    if x is None:
        return "—"
    if x == 0:
        return "0"
    return f"{x:.{max(0, digits - 1 - math.floor(math.log10(abs(x))))}f}"


def load(results_dir=RESULTS):
    files = sorted((Path(results_dir) / "machines").glob("*/bench.json"))
    runs = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    return sorted(runs, key=lambda r: (r["provenance"]["device"] != "cpu",
                                       r["provenance"]["fingerprint"]))


def cell(run, workload, task, config):
    return next((r for r in run["results"]
                 if (r["workload"], r["task"], r["config"]) == (workload, task, config)), None)


def present(values):
    return [x for x in values if x is not None]


def median_max(values):
    values = present(values)
    return f"{statistics.median(values):.2f} / {max(values):.2f}" if values else "—"


def task_label(task, lang):
    return text(lang, f"task.{task}", epochs=workloads.EPOCHS)


def title(workload, lang):
    return text(lang, f"title.{workload}", batch=(input_pipeline.BATCH if workload == "pipeline"
                                                  else workloads.BATCH[workload]),
                d_model=workloads.D_MODEL, heads=workloads.HEADS, seq=workloads.SEQ,
                images=input_pipeline.IMAGES)


def prefix(i, runs):
    """Column prefix of run i: none while one run is shown, 'R1 ' when several are."""
    return f"R{i + 1} " if len(runs) > 1 else ""


def machine_line(run, lang):
    p, mc = run["provenance"], run.get("machine_ceiling") or {}
    versions = text(lang, "punct.list").join(f"{k} {v}" for k, v in p["versions"].items() if v and k != "python")
    idle = present(run.get("idle_worker_cores", {}).values())
    return "- " + text(lang, "machine.line", label=run_label(p, lang), versions=versions,
                       rounds=p["rounds"], ceiling=fmt(mc.get("gflops")), library=mc.get("library", "—"),
                       size=mc.get("size", "—"), load=median_max(run.get("rounds_other_load_cores", [])),
                       steal=median_max(run.get("rounds_steal_cores", [])),
                       idle=f"{max(idle):.3f}" if idle else "—", fingerprint=p["fingerprint"])


def configs_table(runs, lang):
    """The configurations and what each times, filled with the run's settings."""
    settings = next((r["provenance"].get("settings", {}) for r in runs), {})
    details = [d["keras"] for r in runs for d in r.get("details", {}).values()]
    spes = {d["steps_per_execution"] for d in details}
    jit = sorted({str(d["jit_compile"]) for d in details if d.get("backend") == "tensorflow"})
    fb = settings.get("fit_batches")
    fewer = sorted({min(fb, n) for n in FIT_BATCHES.values()}) if fb else []
    where = text(lang, "punct.list_and").join(text(lang, f"workload.{k}") for k in FIT_BATCHES)
    batches = f"{fb}" + (text(lang, "punct.paren", inner=f"{where}{text(lang, 'punct.colon')}{fewer[0]}")
                         if fewer and fewer[0] != fb else "") if fb else "—"
    values = {"batches": batches, "spe": ", ".join(str(v) for v in sorted(spes - {1})) or "—",
              "pipeline_batch": input_pipeline.BATCH, "jit": ", ".join(f"`{j}`" for j in jit) or "—"}
    rows = [[text(lang, f"config.{c.name}.label"), text(lang, f"config.{c.name}.what", **values)]
            for c in CONFIGS]
    return md_table([text(lang, "report.config"), text(lang, "report.what")], rows)


def verdict_rows(run, workload, lang):
    rows = []
    for task in TASKS[workload]:
        for q, a, b in verdict.questions(workload):
            v = verdict.compare(run, f"{workload}/{task}", a, b)
            if v is not None:
                rows.append([task_label(task, lang), verdict.question_label(q, lang), verdict.render(v, lang)])
    return rows


def first_call(r):
    """The first call's time, or "—" where another task's first call compiled this one's function:
    its first call then compiles nothing, and shown beside the compiling rows it would mislead."""
    reused = f"{r['workload']}/{r['task']}" in SAME_FUNCTION and BY_NAME[r["config"]].compiled
    return "—" if reused else fmt(r["first_call_s"])


def timing_cells(r, flops, rate):
    cells = [fmt(r["median_ms"]), f"{fmt(r['p25_ms'])}–{fmt(r['p75_ms'])}",
             fmt(r.get("round_spread_pct"), 2), first_call(r), fmt(r.get("best_ms"))]
    if flops:
        cells += [fmt(r.get("gflops")), fmt(r.get("pct_of_ceiling"), 2)]
    if rate:
        cells.append(fmt(input_pipeline.BATCH / (r["median_ms"] / 1e3)))
    return cells


def table(runs, workload, lang):
    flops, rate = workload not in ("linreg", "pipeline"), workload == "pipeline"
    cols = ["ms", "iqr", "spread", "first", "best"] + (["gflops", "ceiling"] if flops else []) + (
        ["rate"] if rate else [])
    head = [text(lang, "report.task"), text(lang, "report.config")] + [
        prefix(i, runs) + text(lang, f"report.{c}") for i in range(len(runs)) for c in cols]
    rows, errors = [], []
    for task in TASKS[workload]:
        for config in configs_for(workload):
            cells = []
            for run in runs:
                r = cell(run, workload, task, config.name)
                if r is None:
                    cells += ["—"] * len(cols)
                elif "error" in r:
                    errors.append(text(lang, "report.error_line", config=text(lang, f"config.{config.name}.label"),
                                       task=task_label(task, lang), error=r["error"].splitlines()[0][:300]))
                    cells += [f"{text(lang, 'report.failed')} ({len(errors)})"] + ["—"] * (len(cols) - 1)
                else:
                    cells += timing_cells(r, flops, rate)
            if any(c != "—" for c in cells):
                rows.append([task_label(task, lang), text(lang, f"config.{config.name}.label"), *cells])
    colon = text(lang, "punct.colon")
    lines = [f"**{title(workload, lang)}**", "", md_table(head, rows, right=len(head) - 2).rstrip()]
    if errors:
        lines += ["", f"{text(lang, 'report.errors')}{colon}", ""] + [f"{i + 1}. {e}" for i, e in enumerate(errors)]
    for run in runs:
        vrows = verdict_rows(run, workload, lang)
        if vrows:
            heads = [text(lang, k) for k in ("report.task", "report.question", "report.verdict")]
            lines += ["", *([f"**{run_label(run['provenance'], lang)}**{colon}", ""] if len(runs) > 1 else []),
                      md_table(heads, vrows).rstrip()]
    return "\n".join(lines) + "\n"


def summary_table(run, lang):
    """One row per workload and task, one column per question: the rule's verdict and the
    median per-round ratio (A ÷ B). A question no task could answer gets no column."""
    pairs = {q: (a, b) for q, a, b in verdict.QUESTIONS + verdict.PIPELINE_QUESTIONS}
    keys = [f"{w}/{t}" for w in TASKS for t in TASKS[w]]
    grid = {key: {q: verdict.compare(run, key, *pairs[q]) if q in asked else None for q in pairs}
            for key in keys for asked in [{x for x, _, _ in verdict.questions(key.split("/")[0])}]}
    questions = [q for q in SUMMARY + ["pipeline"] if any(grid[key][q] for key in keys)]
    rows = [[row_label(key, lang), *(ratio_cell(grid[key][q], lang) for q in questions)] for key in keys]
    head = [text(lang, "report.summary_task"), *(text(lang, f"question_short.{q}") for q in questions)]
    return md_table(head, rows) + "\n" + text(lang, "report.summary_note") + "\n"


def row_label(key, lang):
    workload, task = key.split("/")
    return text(lang, "report.row_label", workload=text(lang, f"workload.{workload}"), task=task_label(task, lang))


def ratio_cell(v, lang):
    if v is None:
        return "—"
    return text(lang, "report.ratio_cell", kind=verdict.kind_label(v, lang), ratio=fmt(v.median, 2))


def notes(run, lang):
    """The column notes, once for the chapter."""
    mc = run.get("machine_ceiling") or {}
    measured = run["provenance"].get("settings", {}).get("ceiling_sizes") or CEILING_SIZES[run["provenance"]["device"]]
    sizes = text(lang, "punct.list").join(f"{n}×{n}" for n in measured)
    seen = {}
    for r in run["results"]:
        for k, v in r.get("compiled", {}).items():
            seen.setdefault((r["config"], k), []).append(v)

    def span(config, what):  # smallest–largest over the rows
        values = seen.get((config, what), [0])
        return f"{min(values)}–{max(values)}" if min(values) != max(values) else f"{min(values)}"
    evidence = text(lang, "punct.clauses").join([
        text(lang, "report.evidence_torch", graphs=span("torch_compile", "graphs"),
             kernels=span("torch_compile", "kernels")),
        text(lang, "report.evidence_tf", traces=span("tf_function", "traces")),
        text(lang, "report.evidence_xla", hlo=span("tf_xla", "hlo_instructions"))])
    ceiling = text(lang, "report.ceiling_note", sizes=sizes, ceiling=fmt(mc.get("gflops")),
                   library=mc.get("library", "—"), size=mc.get("size", "—"))
    return "\n".join([f"- {text(lang, 'report.first_note')}", f"- {text(lang, 'report.spread_note')}",
                      f"- {ceiling}", f"- {text(lang, 'report.compiled_note', evidence=evidence)}"]) + "\n"


def machines_table(runs, lang):
    libs = ("torch", "tf", "numpy")
    head = [text(lang, "machine.head_run"), text(lang, "machine.head_device"), text(lang, "machine.head_threads"),
            *(text(lang, "machine.head_lib", lib=lib) for lib in libs), text(lang, "machine.head_crosscheck"),
            text(lang, "machine.head_load"), text(lang, "machine.head_steal"), text(lang, "machine.head_idle"),
            text(lang, "machine.head_wall")]
    rows = []
    for run in runs:
        p, ceil, xc = run["provenance"], run.get("ceilings", {}), run.get("crosscheck")
        load, steal = present(run.get("rounds_other_load_cores", [])), present(run.get("rounds_steal_cores", []))
        idle = present(run.get("idle_worker_cores", {}).values())
        ratio = (f"{fmt(xc['ratio_median'])} ({fmt(xc['ratio_min'])}–{fmt(xc['ratio_max'])})" if xc else "—")
        rows.append([
            run_label(p, lang), p["device"] if p["device"] != "cpu" else p["cpu"], str(p["threads"]),
            *(f"{fmt(ceil[lib]['gflops_median'])} / {fmt(ceil[lib]['gflops_best'])}" if lib in ceil else "—"
              for lib in libs), ratio,
            *(f"{statistics.median(x):.2f}" if x else "—" for x in (load, steal)),
            f"{max(idle):.3f}" if idle else "—", fmt(p.get("wall_s"))])
    lines = [machine_line(run, lang) for run in runs]
    return "\n".join([*lines, "", md_table(head, rows, right=len(head) - 3), text(lang, "machine.note")]) + "\n"


def plot(runs, workload, path, lang):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context({**plot_style(lang), "svg.hashsalt": "bench"}):
        svg_text = render_svg(bars(plt, runs, workload, lang))
    provenance.write_atomic(path, svg_text)


def bars(plt, runs, workload, lang):
    """The bar chart of one workload, labelled in `lang`."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    tasks = TASKS[workload]
    fig, axes = plt.subplots(1, len(tasks), figsize=(11, 4.4), sharey=True)
    height = 0.8 / max(1, len(runs))
    for ax, task in zip(axes, tasks, strict=True):
        values = []
        for i, run in enumerate(runs):
            ys, med, lo, hi = [], [], [], []
            for j, config in enumerate(configs_for(workload)):
                r = cell(run, workload, task, config.name)
                if r and "median_ms" in r:
                    ys.append(j + (i - (len(runs) - 1) / 2) * height)
                    med.append(r["median_ms"])
                    lo.append(r["median_ms"] - r["p25_ms"])
                    hi.append(r["p75_ms"] - r["median_ms"])
            values += med
            ax.barh(ys, med, height=height, xerr=[lo, hi], capsize=2, label=run_label(run["provenance"], lang))
        ax.set_yticks(range(len(configs_for(workload))),
                      [text(lang, f"config.{c.name}.label") for c in configs_for(workload)])
        if values and max(values) / max(min(values), 1e-12) > 20:
            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt(v, 1)))
            ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel(text(lang, "report.axis", task=task_label(task, lang)))
        ax.grid(axis="x", alpha=0.3)
    axes[0].invert_yaxis()  # the axes share y: invert once, PyTorch eager on top
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=len(runs), fontsize=8, frameon=False)
    fig.suptitle(title(workload, lang))
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


def render(results_dir=RESULTS, tables_dir=None, plots_dir=None, runs=None):
    """Write every table and plot; returns the paths written."""
    runs = load(results_dir) if runs is None else runs
    if not runs:
        raise SystemExit(f"bench report: no machines/*/bench.json under {results_dir}; "
                         "run `make bench`")
    tables_dir = Path(tables_dir or Path(results_dir) / "tables")
    plots_dir = Path(plots_dir or Path(results_dir) / "plots")
    cpu = next((r for r in runs if r["provenance"]["device"] == "cpu"), runs[0])
    written = []
    for lang in LANGS:
        files = {f"bench_{w}": table(runs, w, lang) for w in TASKS}
        files.update(bench_machines=machines_table(runs, lang), bench_configs=configs_table(runs, lang),
                     bench_summary=summary_table(cpu, lang), bench_notes=notes(cpu, lang))
        for name, md in files.items():
            path = tables_dir / f"{name}.{lang}.md"
            provenance.write_atomic(path, md)
            written.append(path)
        for workload in TASKS:
            path = plots_dir / f"bench_{workload}.{lang}.svg"
            plot(runs, workload, path, lang)
            written.append(path)
    return written


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", type=Path, default=RESULTS,
                    help="folder holding machines/<fingerprint>/bench.json")
    ap.add_argument("--tables", type=Path, help="default: <results>/tables")
    ap.add_argument("--plots", type=Path, help="default: <results>/plots")
    args = ap.parse_args(argv)
    for path in render(args.results, args.tables, args.plots):
        print(f"bench report: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
