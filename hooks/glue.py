"""Fill numbers in prose from the results store, in both languages.

    {{ glue linreg_study/frameworks/pytorch/pred_at_5 .4f }}  -> 3.1257
    {{ measured linreg_study }}  -> "Measured on AMD EPYC (2 threads) ... on 2026-11-27."
    {{ glue bench/results/workload=mlp,task=step,config=tf_xla/median_ms .2f }}

A path part `k=v,k2=v2` picks, from a list, the one element whose fields match.

    {{ compare mlp/train tf_function tf_eager }}  -> "tf.function is N× faster than TF
        eager (per-round range a–b×)", or "no stable difference ...": the verdict rule
        of scripts/bench/verdict.py applied to docs/results/bench.json (`best:tf`,
        `graph:torch` pick the fastest configuration of a framework; `@<fingerprint>`
        reads docs/results/machines/<fingerprint>/bench.json instead).
    {{ verdict_rule }}  -> the rule itself, stated with the constants the code uses.

The first path part names docs/results/<name>.json; the rest are keys inside it. An
unknown name or key fails the build with the page and the key in the message.
"""

import json
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from bench import verdict

GLUE = re.compile(r"\{\{\s*(glue|measured)\s+([\w./=,-]+)(?:\s+([^\s}]+))?\s*\}\}")
COMPARE = re.compile(r"\{\{\s*compare\s+(\w+/\w+)\s+([\w:]+)\s+([\w:]+)(?:\s+@([\w-]+))?\s*\}\}")
DIRTY = {"zh": "（输入未提交）", "en": " (inputs not committed)"}
DEVICES = {"cpu": "CPU", "cuda": "GPU"}  # the recorded device as readers name it
MEASURED = {
    "zh": "测量环境：{cpu}（{threads} 线程，{device}），{os}；Python {python}、torch {torch}、"
          "TensorFlow {tensorflow}、Keras {keras}、NumPy {numpy}；提交 `{commit}`{dirty}，{date}。",
    "en": "Measured on {cpu} ({threads} threads, {device}), {os}; Python {python}, torch {torch}, "
          "TensorFlow {tensorflow}, Keras {keras}, NumPy {numpy}; commit `{commit}`{dirty}, {date}.",
}


def load(store: Path, name: str, where: str):
    path = store / f"{name}.json"
    if not path.exists():
        raise PluginError(f"{where}: no results file docs/results/{name}.json; run `make results`")
    return json.loads(path.read_text(encoding="utf-8"))


def lookup(store: Path, path: str, where: str):
    parts = path.split("/")
    # The file is the longest prefix that names one: "machines/<fingerprint>/bench/results/..."
    split = next((i for i in range(len(parts), 0, -1)
                  if (store / ("/".join(parts[:i]) + ".json")).is_file()), 1)
    name, keys = "/".join(parts[:split]), parts[split:]
    value = load(store, name, where)
    for key in keys:
        if isinstance(value, list) and "=" in key:
            wanted = dict(part.split("=", 1) for part in key.split(","))
            matches = [v for v in value if all(str(v.get(k)) == w for k, w in wanted.items())]
            if len(matches) != 1:
                raise PluginError(f"{where}: '{path}': {len(matches)} entries in docs/results/{name}.json "
                                  f"match '{key}' (need exactly one)")
            value = matches[0]
            continue
        if isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
            continue
        if not isinstance(value, dict) or key not in value:
            raise PluginError(f"{where}: '{path}' not found in docs/results/{name}.json "
                              f"(no key '{key}'); check the name or run `make results`")
        value = value[key]
    return value


def measured(store: Path, name: str, lang: str, where: str):
    meta = store / f"{name}.meta.json"
    record = json.loads(meta.read_text(encoding="utf-8"))["provenance"] if meta.exists() \
        else load(store, name, where)["provenance"]
    v = record["versions"]
    return MEASURED[lang].format(
        cpu=record["cpu"], threads=record["threads"], device=DEVICES.get(record["device"], record["device"]),
        os=record["os"],
        python=v["python"], torch=v.get("torch"), tensorflow=v.get("tensorflow-cpu"),
        keras=v.get("keras"), numpy=v.get("numpy"), date=record["date"][:10],
        commit=record["commit"], dirty=DIRTY[lang] if record["commit"].endswith("-dirty") else "")


def compare(store: Path, match, lang: str, where: str):
    task, a, b, machine = match.groups()
    data = load(store, f"machines/{machine}/bench" if machine else "bench", where)
    try:
        v = verdict.compare(data, task, a, b)
    except KeyError as exc:
        raise PluginError(f"{where}: '{match.group(0)}': {exc.args[0]}") from None
    if v is None and not verdict.rows(data, task):
        raise PluginError(f"{where}: '{match.group(0)}': no task '{task}' in the benchmark results")
    return verdict.render(v, lang, a, b)


def on_page_markdown(markdown, page, config, files):
    store = Path(config["docs_dir"]) / "results"
    lang = "en" if page.file.src_uri.endswith(".en.md") else "zh"
    where = f"docs/{page.file.src_uri}"

    def replace(match):
        kind, path, fmt = match.groups()
        if kind == "measured":
            return measured(store, path, lang, where)
        return format(lookup(store, path, where), fmt or "")

    markdown = COMPARE.sub(lambda m: compare(store, m, lang, where), markdown)
    markdown = markdown.replace("{{ verdict_rule }}", verdict.rule_text(lang))
    return GLUE.sub(replace, markdown)
