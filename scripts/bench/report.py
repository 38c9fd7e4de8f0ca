"""Tables and plots from the benchmark results (docs/results/machines/*/bench.json).

For each workload: docs/results/tables/bench_<workload>.{zh,en}.md (timings, one group of
columns per machine, then every question of the chapter answered by the verdict rule) and
docs/results/plots/bench_<workload>.{zh,en}.svg; plus bench_machines.{zh,en}.md. Every number and
every verdict comes from the JSON files; nothing is typed in here.

    python scripts/bench/report.py [--results DIR] [--tables DIR] [--plots DIR]
"""

import argparse
import json
import math
import statistics
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import verdict
from bench.configs import CONFIGS, FIT_BATCHES, TASKS, configs_for

ROOT = Path(__file__).resolve().parent.parent.parent
RESULTS = ROOT / "docs" / "results"
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "snippets")]
import bench_workloads as w  # noqa: E402 (numpy only: the sizes the titles name)
import input_pipeline  # noqa: E402
import provenance  # noqa: E402
from render import machine_label, plot_style, svg as render_svg  # noqa: E402

BUSY = 0.5  # other processes' load, in cores, above which a round is counted as busy
LABELS = {
    "en": {"step": "training step", "run": f"whole {w.EPOCHS}-epoch run",
           "train": "training step", "infer": "inference (forward)",
           "workers1": "1 worker", "workers2": "2 workers"},
    "zh": {"step": "一步训练", "run": f"完整的 {w.EPOCHS} 轮训练", "train": "一步训练", "infer": "推断（仅前向）",
           "workers1": "并行度 1", "workers2": "并行度 2"},
}
SHORT = {"resnet": "ResNet-18", "transformer": "Transformer"}  # names in the configuration table
AXIS = {"en": "{task}: ms (median, IQR bars)", "zh": "{task}：毫秒（中位数，误差线为四分位距）"}
B, P = w.BATCH, input_pipeline
TITLES = {
    "en": {"linreg": "Linear regression (the article's program, 4 points)",
           "mlp": f"MLP 784-256-10, batch {B['mlp']}", "cnn": f"Small CNN, batch {B['cnn']}, input 28×28×1",
           "resnet": f"ResNet-18, batch {B['resnet']}, input 32×32×3",
           "transformer": f"Transformer encoder layer (d_model {w.D_MODEL}, {w.HEADS} heads, sequence "
                          f"{w.SEQ}), batch {B['transformer']}",
           "pipeline": f"Input pipeline: {P.IMAGES} images of 32×32×3 in memory, batches of {P.BATCH}"},
    "zh": {"linreg": "线性回归（原文的程序，4 个点）",
           "mlp": f"多层感知机 784-256-10，批大小 {B['mlp']}",
           "cnn": f"小型卷积神经网络（CNN），批大小 {B['cnn']}，输入 28×28×1",
           "resnet": f"ResNet-18，批大小 {B['resnet']}，输入 32×32×3",
           "transformer": f"Transformer 编码层（d_model {w.D_MODEL}，{w.HEADS} 个头，序列长度 {w.SEQ}），"
                          f"批大小 {B['transformer']}",
           "pipeline": f"输入管道：内存中 {P.IMAGES} 张 32×32×3 图像，每批 {P.BATCH} 张"},
}
HEAD = {
    "en": {"task": "Task", "config": "Configuration", "ms": "ms/step (median)",
           "iqr": "IQR p25–p75", "spread": "spread between rounds (%)", "first": "first call (s)",
           "gflops": "GFLOP/s", "ceiling": "% of own ceiling", "failed": "failed",
           "rate": "samples/s (median)",
           "machines": "Machines", "question": "Question", "verdict": "Verdict (the rule)",
           "first_note": "first call: the wall time of the first call, where tracing and "
                         "compiling happen (it includes one execution).",
           "spread_note": "spread between rounds: (largest − smallest round median) / median. Verdicts "
                          "use the per-round ratios instead: see the verdict table.",
           "ceiling_note": "% of own ceiling: achieved GFLOP/s (FLOPs counted by "
                           "FlopCounterMode) over the float32 GEMM ceiling of the configuration's "
                           "own framework (torch or TensorFlow), measured in the same rounds.",
           "error": "Failures"},
    "zh": {"task": "任务", "config": "配置", "ms": "毫秒/步（中位数）",
           "iqr": "四分位距 p25–p75", "spread": "轮间离散（%）", "first": "首次调用（秒）",
           "gflops": "GFLOP/s", "ceiling": "占本框架上限（%）", "failed": "失败",
           "rate": "样本/秒（中位数）",
           "machines": "机器", "question": "问题", "verdict": "结论（按规则）",
           "first_note": "首次调用：第一次调用的墙钟时间，追踪与编译都发生在这里（含一次执行）。",
           "spread_note": "轮间离散：（各测量轮中位数的最大值 − 最小值）/ 总中位数。结论用的是每个测量轮"
                          "的比值，见结论表。",
           "ceiling_note": "占本框架上限：实测 GFLOP/s（浮点运算由 FlopCounterMode 计数）除以该配置"
                           "所属框架（torch 或 TensorFlow）在同一批测量轮中实测的 float32 矩阵乘上限。",
           "error": "失败记录"},
}


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


def loads(run, key="rounds_other_load_cores"):
    return [x for x in run.get(key, []) if x is not None]


def median_max(values):
    return f"{statistics.median(values):.2f} / {max(values):.2f}" if values else "—"


def machine_line(i, run, lang):
    p, zh = run["provenance"], lang == "zh"
    sep = "，" if zh else ", "
    ceilings = sep.join(f"{lib} {fmt(v['gflops_median'])} GFLOP/s"
                        for lib, v in run.get("ceilings", {}).items())
    versions = sep.join(f"{k} {v}" for k, v in p["versions"].items() if v and k != "python")
    load, steal = median_max(loads(run)), median_max(loads(run, "rounds_steal_cores"))
    commit = f"`{p['commit']}`" + (("（输入未提交）" if zh else " (inputs not committed)")
                                    if p["commit"].endswith("-dirty") else "")
    if zh:
        return (f"- **{machine_label(i, p, lang)}**；{versions}；{p['rounds']} 个测量轮，"
                f"提交 {commit}，{p['date'][:10]}；float32 矩阵乘上限：{ceilings or '—'}；"
                f"每个测量轮其他进程的负载（核，中位数 / 最大）：{load}；"
                f"被虚拟机管理程序挪用的时间（核，中位数 / 最大）：{steal}；"
                f"数据：`machines/{p['fingerprint']}/bench.json`")
    return (f"- **{machine_label(i, p, lang)}**; {versions}; {p['rounds']} rounds, "
            f"commit {commit}, {p['date'][:10]}; float32 GEMM ceilings: {ceilings or '—'}; "
            f"other processes' load per round (cores, median / max): {load}; time stolen by the "
            f"hypervisor per round (cores, median / max): {steal}; data: "
            f"`machines/{p['fingerprint']}/bench.json`")


def configs_table(runs, lang):
    """The configurations and what each times, filled with the run's settings."""
    settings = next((r["provenance"].get("settings", {}) for r in runs), {})
    spes = {d["keras"]["steps_per_execution"] for r in runs for d in r.get("details", {}).values()}
    fb = settings.get("fit_batches")
    fewer = sorted({min(fb, n) for n in FIT_BATCHES.values()}) if fb else []
    where = ("、".join if lang == "zh" else " and ".join)(SHORT[k] for k in FIT_BATCHES)
    batches = f"{fb}" + (("（{}：{}）" if lang == "zh" else " ({}: {})").format(where, fewer[0])
                         if fewer and fewer[0] != fb else "") if fb else "—"
    values = {"batches": batches, "spe": ", ".join(str(v) for v in sorted(spes - {1})) or "—",
              "pipeline_batch": input_pipeline.BATCH}
    head = "| 配置 | 测量的是什么 |" if lang == "zh" else "| Configuration | What is timed |"
    rows = [f"| {c.label[lang]} | {c.what[lang].format(**values)} |" for c in CONFIGS]
    return "\n".join([head, "|---|---|", *rows]) + "\n"


def verdict_rows(run, workload, lang):
    rows = []
    for task in TASKS[workload]:
        for q, a, b in verdict.questions(workload):
            v = verdict.compare(run, f"{workload}/{task}", a, b)
            if v is None:
                continue
            rows.append(f"| {LABELS[lang][task]} | {verdict.QUESTION_LABELS[lang][q]} | "
                        f"{verdict.render(v, lang)} |")
    return rows


def table(runs, workload, lang):
    h, lab = HEAD[lang], LABELS[lang]
    flops, rate = workload not in ("linreg", "pipeline"), workload == "pipeline"
    cols = ["ms", "iqr", "spread", "first"] + (["gflops", "ceiling"] if flops else []) + (["rate"] if rate else [])
    colon = "：" if lang == "zh" else ":"
    lines = [f"**{TITLES[lang][workload]}**", "", f"{h['machines']}{colon}", ""]
    lines += [machine_line(i + 1, run, lang) for i, run in enumerate(runs)]
    head = [h["task"], h["config"]] + [f"M{i + 1} {h[c]}" for i in range(len(runs)) for c in cols]
    lines += ["", "| " + " | ".join(head) + " |", "|" + "---|" * 2 + "--:|" * (len(head) - 2)]
    errors = []
    for task in TASKS[workload]:
        for config in configs_for(workload):
            cells = []
            for i, run in enumerate(runs):
                r = cell(run, workload, task, config.name)
                if r is None:
                    cells += ["—"] * len(cols)
                elif "error" in r:
                    errors.append(f"M{i + 1} {config.label[lang]}, {lab[task]}: "
                                  f"{r['error'].splitlines()[0][:300]}")
                    cells += [f"{h['failed']} ({len(errors)})"] + ["—"] * (len(cols) - 1)
                else:
                    cells += [fmt(r["median_ms"]), f"{fmt(r['p25_ms'])}–{fmt(r['p75_ms'])}",
                              fmt(r.get("round_spread_pct"), 2), fmt(r["first_call_s"])]
                    if flops:
                        cells += [fmt(r.get("gflops")), fmt(r.get("pct_of_ceiling"), 2)]
                    if rate:
                        cells.append(fmt(input_pipeline.BATCH / (r["median_ms"] / 1e3)))
            if any(c != "—" for c in cells):
                lines.append("| " + " | ".join([lab[task], config.label[lang], *cells]) + " |")
    lines += ["", f"- {h['first_note']}", f"- {h['spread_note']}"]
    if flops:
        lines.append(f"- {h['ceiling_note']}")
    if errors:
        lines += ["", f"{h['error']}{colon}", ""] + [f"{i + 1}. {e}" for i, e in enumerate(errors)]
    for i, run in enumerate(runs):
        rows = verdict_rows(run, workload, lang)
        if rows:
            lines += ["", f"**M{i + 1}**{colon}", "", f"| {h['task']} | {h['question']} | {h['verdict']} |",
                      "|---|---|---|", *rows]
    return "\n".join(lines) + "\n"


def machines_table(runs, lang):
    en = lang == "en"
    head = ["", "CPU / device" if en else "CPU / 设备", "Threads" if en else "线程",
            *(f"{lib} {'ceiling' if en else '上限'} (GFLOP/s)" if en else f"{lib} 上限（GFLOP/s）"
              for lib in ("torch", "tf", "numpy")),
            "Cross-check ÷ harness" if en else "交叉核对 ÷ 测量工具",
            "Other load (cores)" if en else "其他负载（核）", "Steal (cores)" if en else "被挪用（核）",
            "Wall time (s)" if en else "总耗时（秒）"]
    rows = ["| " + " | ".join(head) + " |", "|---|---|" + "--:|" * (len(head) - 2)]
    for i, run in enumerate(runs):
        p, ceil, xc = run["provenance"], run.get("ceilings", {}), run.get("crosscheck")
        load, steal = loads(run), loads(run, "rounds_steal_cores")
        ratio = (f"{fmt(xc['ratio_median'])} ({fmt(xc['ratio_min'])}–{fmt(xc['ratio_max'])})"
                 if xc else "—")
        rows.append("| " + " | ".join([
            f"M{i + 1}", p["device"] if p["device"] != "cpu" else p["cpu"], str(p["threads"]),
            *(fmt(ceil.get(lib, {}).get("gflops_median")) for lib in ("torch", "tf", "numpy")), ratio,
            *(f"{statistics.median(x):.2f}" if x else "—" for x in (load, steal)),
            fmt(p.get("wall_s"))]) + " |")
    note = ("Cross-check ÷ harness: the PyTorch eager MLP training step timed by "
            "torch.utils.benchmark.Timer.blocked_autorange right after one of this harness's blocks "
            "of it, divided by that block's time per step; median over the rounds, min–max in "
            "brackets. Other load: CPU time "
            "used by other processes on the machine during a round, in cores; steal: time the "
            "hypervisor gave this virtual machine's cores to other guests (median over the "
            "rounds)." if en else
            "交叉核对 ÷ 测量工具：用 torch.utils.benchmark.Timer.blocked_autorange 测 PyTorch 即时执行的 "
            "MLP 一步训练（紧接在测量工具的一个计时块之后），除以那个计时块的每步时间；取各测量轮的中位数，"
            "括号内为最小–最大。其他负载：每个测量轮期间本机其他进程占用的 CPU 时间，折合为核数；"
            "被挪用（steal）：虚拟机管理程序把这台虚拟机的核让给其他虚拟机的时间（各测量轮的中位数）。")
    return "\n".join(rows + ["", note]) + "\n"


def plot(runs, workload, path, lang):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context({**plot_style(lang), "svg.hashsalt": "bench"}):
        text = render_svg(bars(plt, runs, workload, lang))
    provenance.write_atomic(path, text)


def bars(plt, runs, workload, lang):
    """The bar chart of one workload, labelled in `lang`."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    tasks = TASKS[workload]
    fig, axes = plt.subplots(1, len(tasks), figsize=(11, 4.2), sharey=True)
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
            ax.barh(ys, med, height=height, xerr=[lo, hi], capsize=2,
                    label=machine_label(i + 1, run["provenance"], lang))
        ax.set_yticks(range(len(configs_for(workload))), [c.label[lang] for c in configs_for(workload)])
        if values and max(values) / max(min(values), 1e-12) > 20:
            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt(v, 1)))
            ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel(AXIS[lang].format(task=LABELS[lang][task]))
        ax.grid(axis="x", alpha=0.3)
    axes[0].invert_yaxis()  # the axes share y: invert once, PyTorch eager on top
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=len(runs), fontsize=8, frameon=False)
    fig.suptitle(TITLES[lang][workload])
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
    written = []
    for workload in TASKS:
        for lang in ("zh", "en"):
            path = tables_dir / f"bench_{workload}.{lang}.md"
            provenance.write_atomic(path, table(runs, workload, lang))
            written.append(path)
            path = plots_dir / f"bench_{workload}.{lang}.svg"
            plot(runs, workload, path, lang)
            written.append(path)
    for lang in ("zh", "en"):
        for name, text in (("machines", machines_table(runs, lang)), ("configs", configs_table(runs, lang))):
            path = tables_dir / f"bench_{name}.{lang}.md"
            provenance.write_atomic(path, text)
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
