"""Tables (Markdown) and plots (SVG), one file per language, made from the results data.

Nothing here measures anything: it only formats what pvt/pipeline/results.py stored. Chinese
plots need a CJK font: Noto Sans CJK SC from Debian's fonts-noto-cjk. Glyphs are written as
paths, so an SVG needs no web font and the same data gives the same bytes.
"""

import io
import json
from pathlib import Path

from pvt import provenance
from pvt.common import LANGS, table
from pvt.strings import text

FRAMEWORKS = {"pytorch": "PyTorch", "tensorflow": "TensorFlow"}
CJK_LANGS = {"zh"}  # languages whose plots need a CJK font
CJK_FONT = "Noto Sans CJK SC"  # the simplified-Chinese face of NotoSansCJK-Regular.ttc
CJK_PACKAGE = "fonts-noto-cjk"


def run_label(p, lang):
    """A run as readers see it, from its provenance: 'AMD EPYC, 2 threads; run of 2026-12-03
    (commit 1a2b3c4)'. Two virtual machines of one kind look alike; a run's date and commit
    tell their timings apart, so no label ever names two runs the same."""
    host = text(lang, "machine.host", cpu=p["cpu"], threads=p["threads"])
    if p.get("device", "cpu") != "cpu":
        host = text(lang, "machine.gpu_host", device=p["device"], host=host)
    commit = p["commit"][:7] + (text(lang, "machine.dirty") if p["commit"].endswith("-dirty") else "")
    return text(lang, "machine.label", host=host, date=p["date"][:10], commit=commit)


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
    if lang in CJK_LANGS:
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
    for lang in LANGS:
        def t(key, lang=lang, **values):
            return text(lang, f"linreg.{key}", **values)
        header = [t("framework"), t("loss", n=n), t("pred"), t("err")]
        header += [(f"R{i} " if len(runs) > 1 else "") + t("time", n=n) for i, _ in enumerate(runs, 1)]
        caption = "\n".join(t("time_caption", run=(f"R{i}: " if len(runs) > 1 else "") + run_label(p, lang))
                             for i, p in enumerate((r["provenance"] for _, r in runs), 1))
        rows = [[FRAMEWORKS[k], f"{v['final_loss']:.6f}", f"{v['pred_at_5']:.4f}", f"{abs(v['pred_at_5'] - 4):.4f}"]
                + [f"{r['frameworks'][k]['train_seconds_median']:.3f} "
                   f"({min(r['frameworks'][k]['train_seconds']):.3f}–{max(r['frameworks'][k]['train_seconds']):.3f})"
                   for _, r in runs]
                for k, v in fws.items()]
        yield store / f"tables/linreg_summary.{lang}.md", table(header, rows) + "\n" + caption + "\n"

        rates = list(next(iter(fws.values()))["epochs_to_converge"])
        header = [t("lr")] + [FRAMEWORKS[k] for k in fws]
        never = t("never", max=data["max_epochs"])
        rows = [[rate] + [v["epochs_to_converge"][rate] or never for v in fws.values()] for rate in rates]
        yield store / f"tables/linreg_convergence.{lang}.md", t("epochs") + "\n\n" + table(header, rows)


def linreg_plots(store: Path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = json.loads((store / "linreg_study.json").read_text(encoding="utf-8"))
    for lang in LANGS:
        def t(key, lang=lang):
            return text(lang, f"linreg.{key}")
        for key, ylabel, log in [("loss", t("mse"), True), ("pred", t("at5"), False)]:
            with plt.rc_context({**plot_style(lang), "svg.hashsalt": "linreg"}):
                fig, ax = plt.subplots(figsize=(6, 3.2))
                for fw, label in FRAMEWORKS.items():
                    values = data["frameworks"][fw][key]
                    ax.plot(range(1, len(values) + 1), values, label=label)
                if key == "pred":
                    ax.axhline(4.0, color="grey", linestyle="--", label=t("true"))
                ax.set_xlabel(t("epoch"))
                ax.set_ylabel(ylabel)
                if log:
                    ax.set_yscale("log")
                ax.grid(alpha=0.3)
                ax.legend()
                fig.tight_layout()
                content = svg(fig)
            yield store / f"plots/linreg_{key}.{lang}.svg", content


# The rows of the defaults table, in order (snippets/defaults.py reads the values; the labels are
# strings.toml's defaults.row.<key>).
DEFAULT_ROWS = ["adam_eps", "adam_weight_decay", "adamw_eps", "adamw_weight_decay", "bn_momentum", "bn_batch_weight",
                "bn_eps", "dense_kernel_init", "dense_bias_init", "conv_kernel_init", "data_layout", "loss_arguments",
                "from_logits", "dropout_argument", "dropout_default", "dropout_meaning"]


def defaults_cell(value, lang):
    if value in ("absent", "required"):
        return text(lang, f"defaults.{value}")
    return f"`{value:.3g}`" if isinstance(value, float) else f"`{value}`"


def defaults_tables(store: Path):
    data = json.loads((store / "defaults.json").read_text(encoding="utf-8"))
    versions = json.loads((store / "defaults.meta.json").read_text(encoding="utf-8"))["provenance"]["versions"]
    for lang in LANGS:
        header = [text(lang, "defaults.what"), f"PyTorch {versions['torch']}", f"Keras {versions['keras']}"]
        rows = [[text(lang, f"defaults.row.{key}"), defaults_cell(data[key]["pytorch"], lang),
                 defaults_cell(data[key]["keras"], lang)] for key in DEFAULT_ROWS]
        yield store / f"tables/defaults.{lang}.md", table(header, rows)


# The side-by-side chapter at a glance: (task, page, PyTorch snippets, Keras snippets, checks). Its
# words are strings.toml's sbs.*; lines are counted in each snippet's `code` section, values read
# from each check's stored JSON.
SIDE_BY_SIDE = [
    ("port", "port-weights.md", ["port_models_torch.py", "port_torch.py"], ["port_models_keras.py", "port_keras.py"],
     ["port_weights_check"]),
    ("padding", "port-weights.md", ["pad_torch.py"], ["pad_keras.py"], ["pad_check_data"]),
    ("save", "save-load.md", ["save_torch.py"], ["save_keras.py"], ["save_torch_check", "save_keras_check",
                                                                  "save_neutral_check"]),
    ("export", "export.md", ["export_torch.py"], ["export_keras.py"], ["export_torch_check", "export_keras_check"]),
    ("backends", "keras-backends.md", [], ["keras_backends.py"], ["keras_backends_check"]),
    ("step", "training-step.md", ["step_torch.py"], ["step_keras.py"], ["step_loss_check"]),
    ("logits", "training-step.md", [], [], ["step_logits_check"]),
    ("layers", "training-step.md", [], [], ["step_layers_check"]),
    ("clipping", "clipping-schedules.md", ["clip_torch.py"], ["clip_keras.py"], ["clip_check_data"]),
    ("schedule", "clipping-schedules.md", ["schedule_torch.py"], ["schedule_keras.py"], ["schedule_check_data"]),
    ("early", "clipping-schedules.md", ["early_torch.py"], ["early_keras.py"], ["early_check_data"]),
    ("data_parallel", "data-parallel.md", ["ddp_worker.py"], ["mwms_worker.py"], ["data_parallel_check"]),
    ("repro", "reproducibility.md", ["repro_torch.py"], ["repro_keras.py"], ["repro_runs_check"]),
    ("custom_grad", "reproducibility.md", ["custom_grad_torch.py"], ["custom_grad_keras.py"],
     ["custom_grad_torch_check", "custom_grad_keras_check"]),
    ("amp", "reproducibility.md", ["amp_torch.py"], ["amp_keras.py"], ["amp_torch_check", "amp_keras_check"]),
    ("data_order", "reproducibility.md", ["data_order_torch.py"], ["data_order_keras.py"], ["data_order_check"]),
]


def code_lines(snippet: Path) -> int:
    """Lines of a snippet's `code` section that are neither blank nor comments."""
    body = snippet.read_text(encoding="utf-8").split("# --8<-- [start:code]")[1].split("# --8<-- [end:code]")[0]
    return sum(1 for line in body.splitlines() if line.strip() and not line.strip().startswith("#"))


def side_by_side_tables(store: Path):
    snippets = store.parent.parent / "snippets"
    for lang in LANGS:
        rows = []
        for task, page, torch_files, keras_files, checks in SIDE_BY_SIDE:
            found = []
            for check in checks:
                for key, c in json.loads((store / f"{check}.json").read_text(encoding="utf-8")).items():
                    holds = c["measured"] <= c["tolerance"]
                    found.append(f"`{key}` {c['measured']:.1g} {'≤' if holds else '>'} {c['tolerance']:.0g}")
            lines = [sum(code_lines(snippets / f) for f in files) or "—" for files in (torch_files, keras_files)]
            rows.append([f"[{text(lang, f'sbs.task.{task}')}]({page})", text(lang, f"sbs.torch.{task}"),
                         text(lang, f"sbs.keras.{task}"), *lines, "<br>".join(found)])
        heads = ("task", "torch", "keras", "torch_lines", "keras_lines", "checks")
        header = [text(lang, f"sbs.head.{h}") for h in heads]
        yield store / f"tables/side_by_side.{lang}.md", table(header, rows) + "\n" + text(lang, "sbs.note") + "\n"


def render_all(store: Path):
    """Render every table and plot whose data exists; yield one line per file written."""
    found = []
    if (store / "linreg_study.json").exists():
        found += [*linreg_tables(store), *linreg_plots(store)]
    if (store / "defaults.json").exists():
        found += list(defaults_tables(store))
    if all((store / f"{c}.json").exists() for *_, checks in SIDE_BY_SIDE for c in checks):
        found += list(side_by_side_tables(store))
    for path, content in found:
        if write(path, content):
            yield f"rendered {path.relative_to(store.parent.parent)}"
