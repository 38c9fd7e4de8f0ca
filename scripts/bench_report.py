"""Render the benchmark results (docs/results/machines/*/bench.json) as tables and plots.

For each workload: docs/results/tables/bench_<workload>.zh.md and .en.md (the same numbers,
headers in Chinese or English, one group of columns per machine) and
docs/results/plots/bench_<workload>.svg; plus bench_machines.{zh,en}.md describing the
machines. Every number comes from the JSON files; nothing is typed in here.

    python scripts/bench_report.py [--results DIR] [--tables DIR] [--plots DIR]
"""

import argparse
import json
import math
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "results"

BUSY = 0.5  # other processes' load, in cores, above which a row is marked
WORKLOADS = {"linreg": ("step", "run"), "mlp": ("train", "infer"), "cnn": ("train", "infer")}
CONFIGS = ["torch_eager", "torch_compile", "tf_eager", "tf_function", "tf_xla",
           "keras_fit", "keras_fit_tuned"]
LABELS = {
    "en": {"torch_eager": "PyTorch eager", "torch_compile": "torch.compile",
           "tf_eager": "TF eager", "tf_function": "tf.function",
           "tf_xla": "tf.function + XLA", "keras_fit": "Keras fit (defaults)",
           "keras_fit_tuned": "Keras fit (tuned)",
           "step": "one training step", "run": "whole 100-epoch run",
           "train": "training step", "infer": "inference (forward)"},
    "zh": {"torch_eager": "PyTorch 即时执行", "torch_compile": "torch.compile",
           "tf_eager": "TF 即时执行", "tf_function": "tf.function",
           "tf_xla": "tf.function + XLA", "keras_fit": "Keras fit（默认设置）",
           "keras_fit_tuned": "Keras fit（调优）",
           "step": "一步训练", "run": "完整的 100 轮训练",
           "train": "一步训练", "infer": "推断（仅前向）"},
}
TITLES = {
    "en": {"linreg": "Linear regression (the article's program, 4 points)",
           "mlp": "MLP 784-256-10, batch 128", "cnn": "Small CNN, batch 64, 28x28x1"},
    "zh": {"linreg": "线性回归（文中的程序，4 个点）",
           "mlp": "多层感知机 784-256-10，批大小 128", "cnn": "小型卷积网络，批大小 64，28x28x1"},
}
LEGEND = {  # what each configuration times; {spe} and {batches} come from the results
    "en": {
        "torch_eager": "the usual zero_grad / forward / loss / backward / optimizer.step loop; "
                       "inference: model(x) under torch.inference_mode()",
        "torch_compile": "the same loop on model = torch.compile(model) (default mode); "
                         "inference: a torch.compile'd model under torch.inference_mode()",
        "tf_eager": "a custom training step with tf.GradientTape, run eagerly; "
                    "inference: model(x, training=False)",
        "tf_function": "the same step and forward pass wrapped in tf.function",
        "tf_xla": "the same, in tf.function(jit_compile=True)",
        "keras_fit": "model.compile(SGD, loss) with defaults, model.fit(numpy arrays, "
                     "batch_size=the batch, verbose=0), {batches} batches per call (linear "
                     "regression: fit(epochs=...) on the 4 points, as in the article); compile's "
                     "jit_compile=\"auto\" resolved to: {jit}; inference: model.predict(numpy array)",
        "keras_fit_tuned": "a tf.data.Dataset with .cache() and .prefetch(AUTOTUNE), "
                           "compile(steps_per_execution={spe}), {batches} batches per call "
                           "(linear regression: the 100 full-batch updates as one epoch of a "
                           "repeated dataset); inference: model.predict(dataset)",
    },
    "zh": {
        "torch_eager": "常见的 zero_grad / 前向 / 损失 / backward / optimizer.step 循环；"
                       "推断：在 torch.inference_mode() 下调用 model(x)",
        "torch_compile": "同一个循环，模型换成 torch.compile(model)（默认模式）；"
                         "推断：在 torch.inference_mode() 下调用编译后的模型",
        "tf_eager": "用 tf.GradientTape 自己写的训练步，即时执行；推断：model(x, training=False)",
        "tf_function": "同样的训练步与前向，包在 tf.function 里",
        "tf_xla": "同上，用 tf.function(jit_compile=True)",
        "keras_fit": "model.compile(SGD, loss) 全用默认值，model.fit(numpy 数组, batch_size=批大小, "
                     "verbose=0)，每次调用 {batches} 批（线性回归：与原文一样在 4 个点上 "
                     "fit(epochs=...)）；compile 的 jit_compile=\"auto\" 实际取值：{jit}；"
                     "推断：model.predict(numpy 数组)",
        "keras_fit_tuned": "tf.data.Dataset 加 .cache() 与 .prefetch(AUTOTUNE)，"
                           "compile(steps_per_execution={spe})，每次调用 {batches} 批（线性回归："
                           "把 100 次全批量更新放进一个重复数据集的一轮）；推断：model.predict(数据集)",
    },
}
HEAD = {
    "en": {"task": "Task", "config": "Configuration", "ms": "ms/step (median)",
           "iqr": "IQR p25–p75", "spread": "rounds spread %", "first": "first call s",
           "ratio": "× PyTorch eager", "gflops": "GFLOP/s", "peak": "% of peak",
           "failed": "failed", "machines": "Machines",
           "first_note": "first call s: the first call's wall time, where tracing and compiling "
                         "happen (it includes one execution); round 1, and in brackets the median "
                         "of the later rounds (torch.compile's cache is warm by then).",
           "ratio_note": "× PyTorch eager: median time divided by PyTorch eager's median in "
                         "the same run on the same machine (below 1 = faster).",
           "peak_note": "% of peak: achieved GFLOP/s (FLOPs counted analytically, training "
                        "step = 3 × forward) over the machine's measured float32 matmul peak.",
           "spread_note": "rounds spread: (largest − smallest round median) / median.",
           "busy_note": "†: in at least one round, other processes kept {busy} cores or more "
                        "of this shared machine busy while this configuration ran; treat the "
                        "number with suspicion.",
           "error": "Failures"},
    "zh": {"task": "任务", "config": "配置", "ms": "毫秒/步（中位数）",
           "iqr": "四分位距 p25–p75", "spread": "轮间离散 %", "first": "首次调用 秒",
           "ratio": "相对 PyTorch 即时执行 ×", "gflops": "GFLOP/s", "peak": "占峰值 %",
           "failed": "失败", "machines": "机器",
           "first_note": "首次调用：第一次调用的墙钟时间，追踪与编译都发生在这里（含一次执行）；"
                         "先列第 1 轮，括号内为其后各轮的中位数（那时 torch.compile 的缓存已热）。",
           "ratio_note": "相对 PyTorch 即时执行：中位时间除以同一次运行、同一台机器上 PyTorch "
                         "即时执行的中位时间（小于 1 表示更快）。",
           "peak_note": "占峰值：实测 GFLOP/s（浮点运算按解析式计数，训练一步 = 3 × 前向）"
                        "除以本机实测的 float32 矩阵乘峰值。",
           "spread_note": "轮间离散：（最大 − 最小的每轮中位数）/ 中位数。",
           "busy_note": "†：至少有一轮在运行该配置时，这台共享机器上的其他进程占用了 {busy} 个"
                        "或更多的核；这个数字要存疑。",
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
    # CPU machines first, then GPUs; stable by fingerprint
    return sorted(runs, key=lambda r: (r["provenance"]["device"] != "cpu",
                                       r["provenance"]["fingerprint"]))


def cell(run, workload, task, config):
    for r in run["results"]:
        if (r["workload"], r["task"], r["config"]) == (workload, task, config):
            return r
    return None


def first_call(r):
    fc = r.get("first_call_s") or []
    if not fc:
        return "—"
    return fmt(fc[0]) + (f" ({fmt(statistics.median(fc[1:]))})" if len(fc) > 1 else "")


def machine_line(i, run, lang):
    p, zh = run["provenance"], lang == "zh"
    peak = run.get("peak", {})
    n = next(iter(peak.values()), {}).get("n", "—")
    peaks = ", ".join(f"{lib} {fmt(v['gflops_median'])} GFLOP/s" for lib, v in peak.items())
    host = f"{p['cpu']}{'，' if zh else ', '}{p['threads']}{' 线程' if zh else ' threads'}"
    device = host if p["device"] == "cpu" else (
        f"{p['device']}（{'主机' if zh else 'host'} {host}）" if zh else
        f"{p['device']} (host {host})")
    versions = (", " if not zh else "，").join(
        f"{k} {v}" for k, v in p["versions"].items() if v and k != "python")
    loads = other_loads(run)
    load = f"{fmt(statistics.median(loads), 2)} / {fmt(max(loads), 2)}" if loads else "—"
    if zh:
        return (f"- **M{i}** `{p['fingerprint']}`：{device}；{versions}；{p['rounds']} 轮，"
                f"{p['date'][:10]}；float32 矩阵乘峰值（n = {n}）：{peaks or '—'}；"
                f"运行期间其他进程的负载（核，中位数 / 最大）：{load}")
    return (f"- **M{i}** `{p['fingerprint']}`: {device}; {versions}; rounds: {p['rounds']}, "
            f"{p['date'][:10]}; float32 matmul peak (n = {n}): {peaks or '—'}; "
            f"other processes' load during the run (cores, median / max): {load}")


def other_loads(run):
    return [w["other_load_cores"] for rnd in run.get("workers", []) for w in rnd.values()
            if w.get("other_load_cores") is not None]


def table(runs, workload, lang):
    h, lab = HEAD[lang], LABELS[lang]
    flops = workload != "linreg"
    cols = ["ms", "iqr", "spread", "first", "ratio"] + (["gflops", "peak"] if flops else [])
    colon = "：" if lang == "zh" else ":"
    lines = [f"**{TITLES[lang][workload]}**", "", f"{h['machines']}{colon}", ""]
    lines += [machine_line(i + 1, run, lang) for i, run in enumerate(runs)]
    head = [h["task"], h["config"]] + [f"M{i + 1} {h[c]}" for i in range(len(runs)) for c in cols]
    lines += ["", "| " + " | ".join(head) + " |", "|" + "---|" * 2 + "--:|" * (len(head) - 2)]
    errors = []
    for task in WORKLOADS[workload]:
        for config in CONFIGS:
            cells = []
            for i, run in enumerate(runs):
                r = cell(run, workload, task, config)
                if r is None:
                    cells += ["—"] * len(cols)
                elif "error" in r:
                    errors.append(f"M{i + 1} {lab[config]}, {lab[task]}: "
                                  f"{r['error'].splitlines()[0][:300]}")
                    cells += [f"{h['failed']} ({len(errors)})"] + ["—"] * (len(cols) - 1)
                else:
                    busy = max((x for x in r.get("other_load_cores", []) if x is not None),
                               default=0) >= BUSY
                    cells += [fmt(r["median_ms"]) + (" †" if busy else ""),
                              f"{fmt(r['p25_ms'])}–{fmt(r['p75_ms'])}",
                              fmt(r.get("round_spread_pct"), 2), first_call(r),
                              fmt(r.get("ratio_vs_torch_eager"))]
                    if flops:
                        cells += [fmt(r.get("gflops")), fmt(r.get("pct_of_peak"), 2)]
            if all(c == "—" for c in cells):
                continue
            lines.append("| " + " | ".join([lab[task], lab[config], *cells]) + " |")
    lines += [""] + [f"- {lab[c]}: {text}" if lang == "en" else f"- {lab[c]}：{text}"
                     for c, text in legend(runs, lang).items()]
    lines += ["", f"- {h['first_note']}", f"- {h['ratio_note']}", f"- {h['spread_note']}",
              f"- {h['busy_note'].format(busy=BUSY)}"]
    if flops:
        lines.append(f"- {h['peak_note']}")
    if errors:
        lines += ["", f"{h['error']}{colon}", ""] + [f"{i + 1}. {e}" for i, e in enumerate(errors)]
    return "\n".join(lines) + "\n"


def legend(runs, lang):
    settings = next((r["provenance"].get("settings", {}) for r in runs
                     if r["provenance"]["device"] == "cpu"), {})
    spes = {k["steps_per_execution"] for r in runs for d in r.get("details", {}).values()
            for k in d.get("keras", [])}
    jits = {k["jit_compile"] for r in runs for d in r.get("details", {}).values()
            for k in d.get("keras", [])}
    values = {"batches": settings.get("fit_batches", "—"),
              "jit": ", ".join(str(v) for v in sorted(jits)) or "—",
              "spe": ", ".join(str(v) for v in sorted(spes - {1})) or "—"}
    return {c: LEGEND[lang][c].format(**values) for c in CONFIGS}


def machines_table(runs, lang):
    en = lang == "en"
    rows = [("| " + " | ".join(["", "CPU / device" if en else "CPU / 设备",
                                "threads" if en else "线程",
                                "torch peak GFLOP/s" if en else "torch 峰值 GFLOP/s",
                                "numpy peak GFLOP/s" if en else "numpy 峰值 GFLOP/s",
                                "cross-check ms" if en else "交叉核对 毫秒",
                                "harness ms" if en else "本工具 毫秒",
                                "other load, cores" if en else "其他负载（核）",
                                "wall s" if en else "总耗时 秒"]) + " |"),
            "|---|---|--:|--:|--:|--:|--:|--:|--:|"]
    for i, run in enumerate(runs):
        p, peak = run["provenance"], run.get("peak", {})
        xc = run.get("crosscheck") or [{}]
        loads = other_loads(run)
        rows.append("| " + " | ".join([
            f"M{i + 1}", p["device"] if p["device"] != "cpu" else p["cpu"], str(p["threads"]),
            fmt(peak.get("torch", {}).get("gflops_median")),
            fmt(peak.get("numpy", {}).get("gflops_median")),
            fmt(statistics.median([x["median_ms"] for x in xc]) if xc[0] else None),
            fmt(statistics.median([x["harness_median_ms"] for x in xc]) if xc[0] else None),
            fmt(statistics.median(loads) if loads else None, 2),
            fmt(p.get("wall_s"))]) + " |")
    note = ("cross-check: PyTorch eager MLP training step timed by "
            "torch.utils.benchmark.Timer.blocked_autorange, beside this harness's median in the "
            "same processes (median over rounds). other load: CPU time used by other processes "
            "on the machine while a configuration ran, in cores (median over all processes)."
            if en else
            "交叉核对：用 torch.utils.benchmark.Timer.blocked_autorange 测 PyTorch 即时执行的 MLP "
            "一步训练，与本工具在同一进程里的中位数并列（各轮取中位数）。其他负载：某个配置运行期间，"
            "本机其他进程占用的 CPU 时间，折合为核数（所有进程取中位数）。")
    return "\n".join(rows + ["", note]) + "\n"


def plot(runs, workload, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, NullFormatter

    plt.rcParams["svg.hashsalt"] = "bench"
    tasks = WORKLOADS[workload]
    fig, axes = plt.subplots(1, len(tasks), figsize=(11, 4.2), sharey=True)
    lab = LABELS["en"]
    height = 0.8 / max(1, len(runs))
    for ax, task in zip(axes, tasks):
        values = []
        for i, run in enumerate(runs):
            ys, med, lo, hi = [], [], [], []
            for j, config in enumerate(CONFIGS):
                r = cell(run, workload, task, config)
                if r and "median_ms" in r:
                    ys.append(j + (i - (len(runs) - 1) / 2) * height)
                    med.append(r["median_ms"])
                    lo.append(r["median_ms"] - r["p25_ms"])
                    hi.append(r["p75_ms"] - r["median_ms"])
            values += med
            ax.barh(ys, med, height=height, xerr=[lo, hi], capsize=2,
                    label=f"M{i + 1} {run['provenance']['fingerprint']}")
        ax.set_yticks(range(len(CONFIGS)), [lab[c] for c in CONFIGS])
        if values and max(values) / max(min(values), 1e-12) > 20:
            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt(v, 1)))
            ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel(f"{lab[task]}: ms (median, IQR bars)")
        ax.grid(axis="x", alpha=0.3)
    axes[0].invert_yaxis()  # the axes share y: invert once, PyTorch eager on top
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=len(runs), fontsize=8, frameon=False)
    fig.suptitle(TITLES["en"][workload])
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def render(results_dir=RESULTS, tables_dir=None, plots_dir=None, runs=None):
    """Write every table and plot; returns the paths written."""
    runs = load(results_dir) if runs is None else runs
    if not runs:
        raise SystemExit(f"bench_report: no machines/*/bench.json under {results_dir}")
    tables_dir = Path(tables_dir or Path(results_dir) / "tables")
    plots_dir = Path(plots_dir or Path(results_dir) / "plots")
    written = []
    for workload in WORKLOADS:
        for lang in ("zh", "en"):
            path = tables_dir / f"bench_{workload}.{lang}.md"
            write(path, table(runs, workload, lang))
            written.append(path)
        path = plots_dir / f"bench_{workload}.svg"
        plot(runs, workload, path)
        written.append(path)
    for lang in ("zh", "en"):
        path = tables_dir / f"bench_machines.{lang}.md"
        write(path, machines_table(runs, lang))
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
        print(f"bench_report: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
