"""What scripts, hooks and tests share: the project root, the languages, the published URL
the one atomic writer and the snippet expansion. Imports only the standard library at load time
(expand_snippets imports mkdocs and markdown when first called)."""

import functools
import importlib.util
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("zh", "en")  # the first is the default language, served at the site root
SITE_URL_ENV = "SITE_URL"  # mkdocs.yml: site_url: !ENV [SITE_URL, <published URL>]


def url_prefix(lang: str) -> str:
    """Where a language's pages live below the site root: '' for the default, 'en/' for English."""
    return "" if lang == LANGS[0] else f"{lang}/"


def default_site_url() -> str:
    """The published URL that mkdocs.yml gives as the default of `site_url` (ending in '/').
    Generated files that name the site (the notebooks) use it, whatever SITE_URL a build has."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    found = re.search(rf"^site_url:\s*!ENV\s*\[\s*{SITE_URL_ENV}\s*,\s*[\"']?([^\"'\]\s]+)", text, re.M)
    if not found:
        raise SystemExit(f"mkdocs.yml: write site_url as `!ENV [{SITE_URL_ENV}, https://…/]`")
    return found.group(1).rstrip("/") + "/"


def snippet(name: str):
    """The module snippets/<name>.py, imported from its file: the snippets are the pages' code,
    run by readers as scripts, not a part of this package."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "snippets" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def table(header, rows, right=0, align=None):
    """A Markdown table. The last `right` columns are right-aligned (numbers), or `align` gives
    every column's alignment as a string of 'l' and 'r' ("lrrl")."""
    align = align or "l" * (len(header) - right) + "r" * right
    if len(align) != len(header):
        raise ValueError(f"table: {len(header)} columns but alignment {align!r}")
    lines = ["| " + " | ".join(map(str, header)) + " |",
             "|" + "".join("---|" if a == "l" else "--:|" for a in align)]
    lines += ["| " + " | ".join(map(str, r)) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write text to path through a temporary file in the same folder and os.replace, so a
    failed or interrupted write leaves the previous file as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; results are for everyone
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.lru_cache(maxsize=None)
def _snippets_config():
    from mkdocs.config import load_config

    return load_config(str(ROOT / "mkdocs.yml"))["mdx_configs"]["pymdownx.snippets"]


def expand_snippets(text: str) -> str:
    """Markdown with every `--8<--` include replaced by what it names, by pymdownx.snippets
    configured exactly as mkdocs.yml configures it: what the reader of the page sees."""
    import markdown

    md = markdown.Markdown(extensions=["pymdownx.snippets"],
                           extension_configs={"pymdownx.snippets": _snippets_config()})
    return "\n".join(md.preprocessors["snippet"].run(text.split("\n")))
