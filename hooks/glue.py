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

Every glued value and verdict links to its entry on the results index (provenance.md), with
the file, key, machine, versions, commit and date as its tooltip; `{{ results_index }}` writes
that index. A result whose inputs changed since it was stored gets a notice on the page, above
each output it shows, and a warning in the build log, so `mkdocs build --strict` fails on it.
"""

import json
import logging
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import store
from bench import verdict

log = logging.getLogger("mkdocs.hooks.glue")
INCLUDE = re.compile(r'^(\s*)-{1,}8<-{1,}\s+"docs/results/([^"]+)"\s*$')
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
INDEX = "provenance.md"
STRINGS = {
    "zh": {"threads": "{n} 线程", "commit": "提交 {commit}，{date}", "sep": "；", "key": " › ",
           "stale_block": "这段输出早于上面的代码：{reason}。运行 `make results` 重新生成。",
           "stale_page": "本页有结果与其输入不再一致：{names}。运行 `make results`（或 `make bench`）重新生成。",
           "stale_title": "结果已过期", "stale": "（已过期）", "provenance": "来源",
           "head": "| 结果 | 由谁生成 | 机器 | 版本 | 提交 | 日期 | 用时 | 状态 |",
           "fresh": "与输入一致", "files_head": "| 文件 | 属于 |", "seconds": "{s} 秒"},
    "en": {"threads": "{n} threads", "commit": "commit {commit}, {date}", "sep": "; ", "key": " › ",
           "stale_block": "This output predates the code above: {reason}. Run `make results` to regenerate it.",
           "stale_page": "Results on this page no longer match their inputs: {names}. Run `make results` "
                         "(or `make bench`) to regenerate them.",
           "stale_title": "Stale results", "stale": " (stale)", "provenance": "provenance",
           "head": "| result | produced by | machine | versions | commit | date | run time | status |",
           "fresh": "matches its inputs", "files_head": "| file | belongs to |", "seconds": "{s} s"},
}

GLUE = re.compile(r"\{\{\s*(glue|measured)\s+([\w./=,-]+)(?:\s+([^\s}]+))?\s*\}\}")
CODE_GLUE = re.compile(r"`\{\{\s*(glue)\s+([\w./=,-]+)(?:\s+([^\s}]+))?\s*\}\}`")  # alone in a code span
COMPARE = re.compile(r"\{\{\s*compare\s+(\w+/\w+)\s+([\w:]+)\s+([\w:]+)(?:\s+@([\w-]+))?\s*\}\}")
DIRTY = {"zh": "（输入未提交）", "en": " (inputs not committed)"}
DEVICES = {"cpu": "CPU", "cuda": "GPU"}  # the recorded device as readers name it
MEASURED = {
    "zh": "测量环境：{cpu}（{threads} 线程，{device}），{os}；Python {python}、torch {torch}、"
          "TensorFlow {tensorflow}、Keras {keras}、NumPy {numpy}；提交 `{commit}`{dirty}，{date}。",
    "en": "Measured on {cpu} ({threads} threads, {device}), {os}; Python {python}, torch {torch}, "
          "TensorFlow {tensorflow}, Keras {keras}, NumPy {numpy}; commit `{commit}`{dirty}, {date}.",
}


def load(store_dir: Path, name: str, where: str):
    path = store_dir / f"{name}.json"
    if not path.exists():
        raise PluginError(f"{where}: no results file docs/results/{name}.json; run `make results`")
    return json.loads(path.read_text(encoding="utf-8"))


def lookup(store_dir: Path, path: str, where: str):
    return locate(store_dir, path, where)[1]


def locate(store_dir: Path, path: str, where: str):
    """(the result's name, i.e. docs/results/<name>.json, the value at the path's keys)."""
    parts = path.split("/")
    # The file is the longest prefix that names one: "machines/<fingerprint>/bench/results/..."
    split = next((i for i in range(len(parts), 0, -1)
                  if (store_dir / ("/".join(parts[:i]) + ".json")).is_file()), 1)
    name, keys = "/".join(parts[:split]), parts[split:]
    value = load(store_dir, name, where)
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
    return name, value


def machine(record, lang):
    s = STRINGS[lang]
    if "cpu" not in record:
        return "—"
    where = f"{record.get('cpu', '?')}, {s['threads'].format(n=record.get('threads', '?'))}"
    return where + (f", {record['device']}" if record.get("device", "cpu") != "cpu" else "")


def tooltip(res, file, key, lang):
    """File and key, machine, versions, commit and date of a result, in the page's language."""
    s, r = STRINGS[lang], res.record
    versions = ", ".join(f"{k} {r['versions'][k]}" for k in ("torch", "tensorflow-cpu", "keras")
                         if r.get("versions", {}).get(k))
    parts = [f"docs/results/{file}" + (s["key"] + key if key else ""), machine(r, lang), versions,
             s["commit"].format(commit=r.get("commit", "?"), date=r.get("date", "?")[:10])]
    text = s["sep"].join(part for part in parts if part and part != "—")
    return (text + (s["stale"] if res.stale else "")).replace('"', "'")


def linked(text, res, file, key, lang, depth):
    """text as a link to the result's index entry, its provenance as the tooltip."""
    href = "../" * depth + f"{INDEX}#{res.anchor}"
    return f'[{text}]({href} "{tooltip(res, file, key, lang)}"){{ .glued }}'


def measured(store_dir: Path, name: str, lang: str, where: str, depth=0):
    meta = store_dir / f"{name}.meta.json"
    record = json.loads(meta.read_text(encoding="utf-8"))["provenance"] if meta.exists() \
        else load(store_dir, name, where)["provenance"]
    v = record["versions"]
    text = MEASURED[lang].format(
        cpu=record["cpu"], threads=record["threads"], device=DEVICES.get(record["device"], record["device"]),
        os=record["os"],
        python=v["python"], torch=v.get("torch"), tensorflow=v.get("tensorflow-cpu"),
        keras=v.get("keras"), numpy=v.get("numpy"), date=record["date"][:10],
        commit=record["commit"], dirty=DIRTY[lang] if record["commit"].endswith("-dirty") else "")
    res = store.result(name, store_dir)
    paren = ("（", "）") if lang == "zh" else (" (", ")")
    link = linked(STRINGS[lang]["provenance"], res, f"{name}.json", "", lang, depth)
    return text[:-1] + paren[0] + link + paren[1] + text[-1]  # before the closing full stop


def compare(store_dir: Path, match, lang: str, where: str, depth=0):
    task, a, b, fingerprint = match.groups()
    name = f"machines/{fingerprint}/bench" if fingerprint else "bench"
    data = load(store_dir, name, where)
    try:
        v = verdict.compare(data, task, a, b)
    except KeyError as exc:
        raise PluginError(f"{where}: '{match.group(0)}': {exc.args[0]}") from None
    if v is None and not verdict.rows(data, task):
        raise PluginError(f"{where}: '{match.group(0)}': no task '{task}' in the benchmark results")
    return linked(verdict.render(v, lang, a, b), store.result(name, store_dir), f"{name}.json", task, lang, depth)


def stale_notices(markdown, lang, where, used, store_dir):
    """Warn about every stale result the page shows; put a notice above each stale output
    and one at the top of the page."""
    s, lines, stale = STRINGS[lang], markdown.split("\n"), {}
    for name in sorted(used):
        res = store.result(name, store_dir)
        if res.stale:
            stale[res.name] = res
    fence = None  # (line index, indent) of the open fence
    for i, line in enumerate(list(lines)):
        m = FENCE.match(line)
        if m:
            fence = None if fence else (i, m.group(1))
        include = INCLUDE.match(line)
        if include and fence:
            name = store.name_of_file(include.group(2))
            res = stale.get(name) or (store.result(name, store_dir) if name else None)
            if res is not None and res.stale:
                stale[res.name] = res
                at, indent = fence
                note = s["stale_block"].format(reason=res.stale)
                lines[at] = (f'{indent}!!! warning "{s["stale_title"]}"\n\n{indent}    {note}\n\n' + lines[at])
    for res in stale.values():
        log.warning(f"{where} shows {res.name}, which is stale: {res.stale}")
    if not stale:
        return markdown
    head = f'!!! warning "{s["stale_title"]}"\n\n    ' + s["stale_page"].format(names=", ".join(sorted(stale)))
    first = next((i for i, line in enumerate(lines) if line.startswith("# ")), -1)
    lines.insert(first + 1, "\n" + head + "\n")
    return "\n".join(lines)


def results_index(lang, docs: Path, store_dir: Path):
    """The table of every result and the table of every file in the store, in Markdown."""
    s = STRINGS[lang]
    shown = {}  # snippet -> the first page of this language that includes it
    for page in sorted(docs.rglob(f"*.{lang}.md")):  # chapters in folders too (side-by-side/)
        if "results" in page.relative_to(docs).parts:
            continue
        for snippet in re.findall(r'-{1,}8<-{1,}\s+"(snippets/[^":]+)', page.read_text(encoding="utf-8")):
            shown.setdefault(snippet, page.relative_to(docs).as_posix().replace(f".{lang}.md", ".md"))
    rows = [s["head"], "|" + "---|" * 8]
    for res in store.all_results(store_dir):
        r, page = res.record, shown.get(res.producer, "benchmarks.md" if res.producer == "scripts/bench" else None)
        producer = f"[`{res.producer}`]({page})" if page else (f"`{res.producer}`" if res.producer else "—")
        versions = ", ".join(f"{k} {v}" for k, v in r.get("versions", {}).items() if v)
        seconds = s["seconds"].format(s=r["seconds"]) if "seconds" in r else "—"
        status = f"**{s['stale'].strip(' （）()')}**: {res.stale}" if res.stale else s["fresh"]
        rows.append(f'| <span id="{res.anchor}"></span>`{res.name}` | {producer} | {machine(r, lang)} | '
                    f"{versions} | `{r.get('commit', '?')}` | {r.get('date', '?')[:10]} | {seconds} | {status} |")
    files = [s["files_head"], "|---|---|"]
    for path in store.every_file(store_dir):
        name = store.name_of_file(path)
        res = store.result(name, store_dir) if name else None
        owner = f"[`{res.name}`](#{res.anchor})" if res else "—"
        files.append(f"| `docs/results/{path}` | {owner} |")
    return "\n".join(rows) + "\n\n" + "\n".join(files) + "\n"


def on_page_markdown(markdown, page, config, files):
    store_dir = Path(config["docs_dir"]) / "results"
    lang = "en" if page.file.src_uri.endswith(".en.md") else "zh"
    where = f"docs/{page.file.src_uri}"
    depth = page.file.src_uri.count("/")
    used = set()

    def replace(match, code=False):
        kind, path, fmt = match.groups()
        if kind == "measured":
            used.add(path)
            return measured(store_dir, path, lang, where, depth)
        name, value = locate(store_dir, path, where)
        used.add(name)
        text = format(value, fmt or "")
        key = path[len(name) + 1:]
        return linked(f"`{text}`" if code else text, store.result(name, store_dir), f"{name}.json", key, lang,
                      depth)

    def compared(match):
        used.add(f"machines/{match.group(4)}/bench" if match.group(4) else "bench")
        return compare(store_dir, match, lang, where, depth)

    markdown = COMPARE.sub(compared, markdown)
    markdown = markdown.replace("{{ verdict_rule }}", verdict.rule_text(lang))
    markdown = markdown.replace("{{ results_index }}", results_index(lang, Path(config["docs_dir"]), store_dir))
    markdown = CODE_GLUE.sub(lambda m: replace(m, code=True), markdown)
    markdown = GLUE.sub(replace, markdown)
    return stale_notices(markdown, lang, where, used, store_dir)
