"""Tables (Markdown) and plots (SVG), one file per language, made from the results data.

Nothing here measures anything: it only formats what scripts/results.py stored. Chinese
plots need a CJK font: Noto Sans CJK SC from Debian's fonts-noto-cjk. Glyphs are written as
paths, so an SVG needs no web font and the same data gives the same bytes.
"""

import io
import json
from pathlib import Path

import provenance

FRAMEWORKS = {"pytorch": "PyTorch", "tensorflow": "TensorFlow"}
LABELS = {
    "zh": {"framework": "框架", "loss": "第 {n} 轮的损失", "pred": "x = 5 处的预测（真值 4）",
           "err": "误差", "time": "{n} 轮训练时间（秒）：中位数（最小–最大）<br>{machine}", "lr": "学习率",
           "epochs": "{fw}：预测稳定在 4 ± 0.01 以内所需轮数", "never": "{max} 轮内未收敛（发散）",
           "epoch": "轮", "mse": "均方误差损失", "at5": "x = 5 处的预测", "true": "真值 4"},
    "en": {"framework": "Framework", "loss": "Loss at epoch {n}", "pred": "Prediction at x = 5 (true 4)",
           "err": "Error", "time": "Time for {n} epochs (s): median (min–max)<br>{machine}", "lr": "Learning rate",
           "epochs": "{fw}: epochs until the prediction stays within 4 ± 0.01",
           "never": "not within {max} epochs (diverges)",
           "epoch": "epoch", "mse": "MSE loss", "at5": "prediction at x = 5", "true": "true value 4"},
}
CJK_FONT = "Noto Sans CJK SC"  # the simplified-Chinese face of NotoSansCJK-Regular.ttc
CJK_PACKAGE = "fonts-noto-cjk"


def machine_label(i, p, lang):
    """A machine as readers see it, from its provenance: 'M1: AMD EPYC, 2 threads'."""
    host = f"{p['cpu']}，{p['threads']} 线程" if lang == "zh" else f"{p['cpu']}, {p['threads']} threads"
    if p.get("device", "cpu") != "cpu":
        host = f"{p['device']}（主机 {host}）" if lang == "zh" else f"{p['device']} (host {host})"
    return f"M{i}：{host}" if lang == "zh" else f"M{i}: {host}"


def cjk_font():
    """The name of the CJK font for Chinese plots; registers it if matplotlib's font cache
    predates the font's installation. Fails naming the package when it is not installed."""
    from matplotlib import font_manager

    def known():
        return any(f.name == CJK_FONT for f in font_manager.fontManager.ttflist)

    if not known():
        for path in font_manager.findSystemFonts(fontext="otf") + font_manager.findSystemFonts():
            if Path(path).name.startswith("NotoSansCJK-"):
                font_manager.fontManager.addfont(path)
    if not known():
        raise SystemExit(f"Chinese plots need the font '{CJK_FONT}': install Debian's {CJK_PACKAGE} "
                         f"(apt-get install {CJK_PACKAGE}; .ci/run installs it) and render again")
    return CJK_FONT


def plot_style(lang):
    """matplotlib settings for a plot in `lang` (use with plt.rc_context)."""
    style = {"svg.fonttype": "path"}
    if lang == "zh":
        style["font.family"] = [cjk_font(), "DejaVu Sans"]
    return style


def svg(fig) -> str:
    """A matplotlib figure as SVG text without a date, so that the same data gives the same
    bytes; the figure is closed."""
    import matplotlib.pyplot as plt

    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    plt.close(fig)
    return out.getvalue()


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(map(str, r)) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def write(path: Path, text: str):
    """Write `text` atomically unless the file already holds it; the path if written."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return None
    provenance.write_atomic(path, text)
    return path


def machine_runs(store: Path, job: str):
    """Every machine's data for one job, oldest first: [(fingerprint, data)]."""
    runs = [(p.parent.name, json.loads(p.read_text(encoding="utf-8")))
            for p in sorted(store.glob(f"machines/*/{job}.json"))]
    return sorted(runs, key=lambda r: r[1]["provenance"]["date"])


def linreg_tables(store: Path):
    data = json.loads((store / "linreg_study.json").read_text(encoding="utf-8"))
    runs = machine_runs(store, "linreg_study")
    n, fws = data["epochs"], data["frameworks"]
    for lang, t in LABELS.items():
        header = [t["framework"], t["loss"].format(n=n), t["pred"], t["err"]]
        header += [t["time"].format(n=n, machine=machine_label(i + 1, r["provenance"], lang))
                   for i, (_, r) in enumerate(runs)]
        rows = [[FRAMEWORKS[k], f"{v['final_loss']:.6f}", f"{v['pred_at_5']:.4f}", f"{abs(v['pred_at_5'] - 4):.4f}"]
                + [f"{r['frameworks'][k]['train_seconds_median']:.3f} "
                   f"({min(r['frameworks'][k]['train_seconds']):.3f}–{max(r['frameworks'][k]['train_seconds']):.3f})"
                   for _, r in runs]
                for k, v in fws.items()]
        yield store / f"tables/linreg_summary.{lang}.md", table(header, rows)

        rates = list(next(iter(fws.values()))["epochs_to_converge"])
        header = [t["lr"]] + [t["epochs"].format(fw=FRAMEWORKS[k]) for k in fws]
        never = t["never"].format(max=data["max_epochs"])
        rows = [[rate] + [v["epochs_to_converge"][rate] or never for v in fws.values()] for rate in rates]
        yield store / f"tables/linreg_convergence.{lang}.md", table(header, rows)


def linreg_plots(store: Path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = json.loads((store / "linreg_study.json").read_text(encoding="utf-8"))
    for lang, t in LABELS.items():
        for key, ylabel, log in [("loss", t["mse"], True), ("pred", t["at5"], False)]:
            with plt.rc_context({**plot_style(lang), "svg.hashsalt": "linreg"}):
                fig, ax = plt.subplots(figsize=(6, 3.2))
                for fw, label in FRAMEWORKS.items():
                    values = data["frameworks"][fw][key]
                    ax.plot(range(1, len(values) + 1), values, label=label)
                if key == "pred":
                    ax.axhline(4.0, color="grey", linestyle="--", label=t["true"])
                ax.set_xlabel(t["epoch"])
                ax.set_ylabel(ylabel)
                if log:
                    ax.set_yscale("log")
                ax.grid(alpha=0.3)
                ax.legend()
                fig.tight_layout()
                text = svg(fig)
            yield store / f"plots/linreg_{key}.{lang}.svg", text


# The rows of the defaults table (snippets/defaults.py reads the values): key, label in zh, label in en.
DEFAULT_ROWS = [
    ("adam_eps", "Adam 的 epsilon", "Adam epsilon"),
    ("adam_weight_decay", "Adam 的权重衰减", "Adam weight decay"),
    ("adamw_eps", "AdamW 的 epsilon", "AdamW epsilon"),
    ("adamw_weight_decay", "AdamW 的权重衰减", "AdamW weight decay"),
    ("bn_momentum", "BatchNorm 的 momentum 参数", "BatchNorm momentum argument"),
    ("bn_batch_weight", "BatchNorm 更新一次时新批次统计量所占的权重（实测）",
     "BatchNorm: weight of the batch statistic in one update (measured)"),
    ("bn_eps", "BatchNorm 的 epsilon", "BatchNorm epsilon"),
    ("dense_kernel_init", "全连接层权重的初始化", "dense layer weight initializer"),
    ("dense_bias_init", "全连接层偏置的初始化", "dense layer bias initializer"),
    ("conv_kernel_init", "卷积核的初始化", "convolution kernel initializer"),
    ("data_layout", "图像的数据布局", "image data layout"),
    ("loss_arguments", "损失函数的前两个参数", "loss function's first two arguments"),
    ("from_logits", "交叉熵的 from_logits 参数", "cross-entropy from_logits argument"),
    ("dropout_argument", "Dropout 的参数名", "Dropout argument name"),
    ("dropout_default", "Dropout 参数的默认值", "Dropout argument default"),
    ("dropout_meaning", "Dropout 参数的含义（文档字符串）", "Dropout argument meaning (docstring)"),
]
DEFAULT_LABELS = {
    "zh": {"what": "默认值", "absent": "没有此参数", "required": "必须给出，没有默认值"},
    "en": {"what": "Default", "absent": "no such argument", "required": "required, no default"},
}


def defaults_cell(value, lang):
    if value in ("absent", "required"):
        return DEFAULT_LABELS[lang][value]
    return f"`{value:.3g}`" if isinstance(value, float) else f"`{value}`"


def defaults_tables(store: Path):
    data = json.loads((store / "defaults.json").read_text(encoding="utf-8"))
    versions = json.loads((store / "defaults.meta.json").read_text(encoding="utf-8"))["provenance"]["versions"]
    for i, lang in enumerate(("zh", "en")):
        header = [DEFAULT_LABELS[lang]["what"], f"PyTorch {versions['torch']}", f"Keras {versions['keras']}"]
        rows = [[row[1 + i], defaults_cell(data[row[0]]["pytorch"], lang), defaults_cell(data[row[0]]["keras"], lang)]
                for row in DEFAULT_ROWS]
        yield store / f"tables/defaults.{lang}.md", table(header, rows)


def render_all(store: Path):
    """Render every table and plot whose data exists; yield one line per file written."""
    found = []
    if (store / "linreg_study.json").exists():
        found += [*linreg_tables(store), *linreg_plots(store)]
    if (store / "defaults.json").exists():
        found += list(defaults_tables(store))
    for path, text in found:
        if write(path, text):
            yield f"rendered {path.relative_to(store.parent.parent)}"
