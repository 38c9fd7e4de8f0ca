"""Fill numbers in prose from the results store, in both languages.

    {{ glue linreg_study/frameworks/pytorch/pred_at_5 .4f }}  -> 3.1257
    {{ measured linreg_study }}  -> "Measured on AMD EPYC (2 threads) ... on 2026-11-27."
    {{ glue bench/results/workload=mlp,task=train,config=tf_xla/median_ms .2f }}

A path part `k=v,k2=v2` picks, from a list, the one element whose fields match.

    {{ compare mlp/train tf_function tf_eager }}  -> "tf.function is N× faster than TF
        eager (per-round range a–b×)", or "no stable difference ...": the verdict rule
        of pvt/bench/verdict.py applied to docs/results/bench.json (`best:tf`,
        `graph:torch` pick the fastest configuration of a framework; `@<fingerprint>`
        reads docs/results/machines/<fingerprint>/bench.json instead).
    {{ verdicts train graph:torch graph:tf }}  -> the verdict on every model workload measured,
        in one sentence ("... model by model (4 models): MLP faster (0.54); CNN ...").
    {{ verdict_rule }}  -> the rule itself, stated with the constants the code uses.

The first path part names docs/results/<name>.json; the rest are keys inside it. An
unknown name or key fails the build with the page and the key in the message.

Every glued value and verdict links to its entry on the results index (provenance.md), with
the file, key, machine, versions, commit and date as its tooltip; `{{ results_index }}` writes
that index. A result whose inputs changed since it was stored gets a notice on the page, above
each output it shows, and a warning in the build log, so `mkdocs build --strict` fails on it.
"""

import functools
import json
import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from pvt import store
from pvt.bench import verdict
from pvt.common import table
from pvt.strings import text

log = logging.getLogger("mkdocs.hooks.glue")
INCLUDE = re.compile(r'^(\s*)-{1,}8<-{1,}\s+"docs/results/([^"]+)"\s*$')
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
INDEX = "provenance.md"
GLUE = re.compile(r"\{\{\s*(glue|measured)\s+([\w./=,-]+)(?:\s+([^\s}]+))?\s*\}\}")
CODE_GLUE = re.compile(r"`\{\{\s*(glue)\s+([\w./=,-]+)(?:\s+([^\s}]+))?\s*\}\}`")  # alone in a code span
VERDICTS = re.compile(r"\{\{\s*verdicts\s+(train|infer)\s+([\w:]+)\s+([\w:]+)\s*\}\}")
COMPARE = re.compile(r"\{\{\s*compare\s+(\w+/\w+)\s+([\w:]+)\s+([\w:]+)(?:\s+@([\w-]+))?\s*\}\}")
DEVICES = {"cpu": "CPU", "cuda": "GPU"}  # the recorded device as readers name it


def load(store_dir: Path, name: str, where: str):
    path = store_dir / f"{name}.json"
    if not path.exists():
        raise PluginError(f"{where}: no results file docs/results/{name}.json; run `make results`")
    return read_json(path)


@functools.lru_cache(maxsize=None)
def read_json(path: Path):
    """A results file, read once per build (on_pre_build forgets them all)."""
    return json.loads(path.read_text(encoding="utf-8"))


def on_pre_build(config):
    read_json.cache_clear()
    store.forget()


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
    if "cpu" not in record:
        return "—"
    threads = text(lang, "glue.threads", n=record.get("threads", "?"))
    if record.get("device", "cpu") != "cpu":
        return text(lang, "glue.device_machine", cpu=record["cpu"], threads=threads, device=record["device"])
    return text(lang, "glue.machine", cpu=record["cpu"], threads=threads)


def tooltip(res, file, key, lang):
    """When, where and with what a result was measured, then its file and key, in the page's
    language: what a reader wants first, and what a maintainer needs to find it."""
    r = res.record
    versions = text(lang, "glue.version_sep").join(
        f"{label} {r['versions'][k]}" for k, label in (("torch", "torch"), ("tensorflow-cpu", "TensorFlow"),
                                                      ("keras", "Keras")) if r.get("versions", {}).get(k))
    source = text(lang, "glue.tooltip_source", file=file.rsplit("/", 1)[-1], commit=r.get("commit", "?")[:7],
                  key=text(lang, "glue.tooltip_key", key=key) if key else "",
                  stale=text(lang, "glue.stale") if res.stale else "")
    where = machine(r, lang)  # a report of the built site (page weight) records no machine
    tip = text(lang, "glue.tooltip", date=r.get("date", "?")[:10], machine=where, versions=versions, source=source) \
        if where != "—" else text(lang, "glue.tooltip_dated", date=r.get("date", "?")[:10], source=source)
    return tip.replace('"', "'")


def linked(shown, res, file, key, lang, depth):
    """`shown` as a link to the result's index entry, its provenance as the tooltip."""
    href = "../" * depth + f"{INDEX}#{res.anchor}"
    return f'[{shown}]({href} "{tooltip(res, file, key, lang)}"){{ .glued }}'


def measured(store_dir: Path, name: str, lang: str, where: str, depth=0):
    meta = store_dir / f"{name}.meta.json"
    record = json.loads(meta.read_text(encoding="utf-8"))["provenance"] if meta.exists() \
        else load(store_dir, name, where)["provenance"]
    v = record["versions"]
    missing = text(lang, "glue.not_installed")
    line = text(lang, "glue.measured",
                cpu=record["cpu"], threads=record["threads"], device=DEVICES.get(record["device"], record["device"]),
                os=record["os"], python=v["python"], torch=v.get("torch") or missing,
                tensorflow=v.get("tensorflow-cpu") or missing, keras=v.get("keras") or missing,
                numpy=v.get("numpy") or missing, date=record["date"][:10], commit=record["commit"],
                dirty=text(lang, "glue.dirty") if record["commit"].endswith("-dirty") else "")
    res = store.result(name, store_dir)
    link = linked(text(lang, "glue.provenance"), res, f"{name}.json", "", lang, depth)
    return line[:-1] + text(lang, "punct.paren", inner=link) + line[-1]  # before the closing full stop


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


def verdicts(store_dir: Path, match, lang: str, where: str, depth=0):
    """{{ verdicts train graph:torch graph:tf }}: the verdict on every model workload measured."""
    task, a, b = match.groups()
    data = load(store_dir, "bench", where)
    models = [w for w, tasks in verdict.TASKS.items() if task in tasks]
    try:
        sentence = verdict.across(data, task, a, b, lang, models)
    except KeyError as exc:
        raise PluginError(f"{where}: '{match.group(0)}': {exc.args[0]}") from None
    if sentence is None:
        raise PluginError(f"{where}: '{match.group(0)}': no workload of the benchmark has task '{task}'")
    return linked(sentence, store.result("bench", store_dir), "bench.json", task, lang, depth)


def stale_notices(markdown, lang, where, used, store_dir):
    """Warn about every stale result the page shows; put a notice above each stale output
    and one at the top of the page."""
    lines, stale = markdown.split("\n"), {}
    for name in sorted(used):
        res = store.result(name, store_dir)
        if res.stale:
            stale[res.name] = res
    fence = None  # (line index, indent, marker) of the open fence
    for i, line in enumerate(list(lines)):
        m = FENCE.match(line)
        if m and fence is None:
            fence = (i, m.group(1), m.group(2))
        elif m and m.group(2)[0] == fence[2][0] and len(m.group(2)) >= len(fence[2]) \
                and not line.strip()[len(m.group(2)):]:
            fence = None  # CommonMark: a closing fence is at least as long as the opening one
        include = INCLUDE.match(line)
        if include and fence:
            name = store.name_of_file(include.group(2))
            res = stale.get(name) or (store.result(name, store_dir) if name else None)
            if res is not None and res.stale:
                stale[res.name] = res
                at, indent, _ = fence
                note = text(lang, "glue.stale_block", reason=res.stale)
                title = text(lang, "glue.stale_title")
                lines[at] = (f'{indent}!!! warning "{title}"\n\n{indent}    {note}\n\n' + lines[at])
    for res in stale.values():
        log.warning(f"{where} shows {res.name}, which is stale: {res.stale}")
    if not stale:
        return markdown
    head = (f'!!! warning "{text(lang, "glue.stale_title")}"\n\n    '
            + text(lang, "glue.stale_page", names=", ".join(sorted(stale))))
    first = next((i for i, line in enumerate(lines) if line.startswith("# ")), -1)
    lines.insert(first + 1, "\n" + head + "\n")
    return "\n".join(lines)


def results_index(lang, docs: Path, store_dir: Path):
    """The table of every result and the table of every file in the store, in Markdown."""
    shown = {}  # snippet -> the first page of this language that includes it
    for page in sorted(docs.rglob(f"*.{lang}.md")):  # chapters in folders too (side-by-side/)
        if "results" in page.relative_to(docs).parts:
            continue
        for snippet in re.findall(r'-{1,}8<-{1,}\s+"(snippets/[^":]+)', page.read_text(encoding="utf-8")):
            shown.setdefault(snippet, page.relative_to(docs).as_posix().replace(f".{lang}.md", ".md"))
    rows = []
    for res in store.all_results(store_dir):
        r, page = res.record, shown.get(res.producer)
        if res.producer == "pvt/bench" and (docs / f"benchmarks.{lang}.md").exists():
            page = "benchmarks.md"  # the chapter that explains the run
        producer = f"[`{res.producer}`]({page})" if page else (f"`{res.producer}`" if res.producer else "—")
        versions = ", ".join(f"{k} {v}" for k, v in r.get("versions", {}).items() if v)
        seconds = text(lang, "glue.seconds", s=r["seconds"]) if "seconds" in r else "—"
        if res.stale:
            status = f"**{text(lang, 'glue.stale_word')}**: {res.stale}"
        else:  # a result whose run is not recorded is never called current
            status = text(lang, "glue.fresh" if r.get("commit") and r.get("date") else "glue.unrecorded")
        rows.append([f'<span id="{res.anchor}"></span>`{res.name}`', producer, machine(r, lang), versions,
                     f"`{r['commit']}`" if r.get("commit") else "—", r.get("date", "—")[:10], seconds, status])
    files = []
    for path in store.every_file(store_dir):
        name = store.name_of_file(path)
        res = store.result(name, store_dir) if name else None
        owner = f"[`{res.name}`](#{res.anchor})" if res else "—"
        files.append([f"`docs/results/{path}`", owner])
    heads = ("result", "producer", "machine", "versions", "commit", "date", "seconds", "status")
    index = table([text(lang, f"glue.index_head.{h}") for h in heads], rows)
    listing = table([text(lang, "glue.files_head.file"), text(lang, "glue.files_head.owner")], files)
    folded = f'??? info "{text(lang, "glue.files_title", n=len(files))}"\n\n' + "".join(
        "    " + line + "\n" for line in listing.splitlines())  # long, and for maintainers: folded
    return index + "\n" + folded


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
        shown = format(value, fmt or "")
        key = path[len(name) + 1:]
        return linked(f"`{shown}`" if code else shown, store.result(name, store_dir), f"{name}.json", key, lang,
                      depth)

    def compared(match):
        used.add(f"machines/{match.group(4)}/bench" if match.group(4) else "bench")
        return compare(store_dir, match, lang, where, depth)

    markdown = COMPARE.sub(compared, markdown)
    if VERDICTS.search(markdown):
        used.add("bench")
        markdown = VERDICTS.sub(lambda m: verdicts(store_dir, m, lang, where, depth), markdown)
    markdown = markdown.replace("{{ verdict_rule }}", verdict.rule_text(lang))
    if "{{ results_index }}" in markdown:  # one page shows it; the others need not build it
        markdown = markdown.replace("{{ results_index }}", results_index(lang, Path(config["docs_dir"]), store_dir))
    markdown = CODE_GLUE.sub(lambda m: replace(m, code=True), markdown)
    markdown = GLUE.sub(replace, markdown)
    return stale_notices(markdown, lang, where, used, store_dir)
