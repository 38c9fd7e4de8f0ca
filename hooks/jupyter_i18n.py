"""Make mkdocs-jupyter and mkdocs-static-i18n work together, and keep notebook pages offline.

1. i18n rebuilds every file as a plain mkdocs File after mkdocs-jupyter has wrapped the
   notebooks (ultrabug/mkdocs-static-i18n#198), so `docs/notebooks/*.ipynb` would be copied
   raw instead of rendered. After i18n (priority -100), mark them as pages again. i18n
   also treated them as assets, so a notebook page knows no translation of itself and the
   language switcher on /en/notebooks/x/ led to the Chinese home page: give each notebook
   page its twin (x.zh.ipynb <-> x.en.ipynb) as the alternate, as i18n does for .md pages,
   and list the notebook pages in i18n's sitemap.xml.
2. mkdocs-jupyter 0.26.3 puts a MathJax loader (`<script src="">`, or a CDN URL) and the
   nbconvert lab template's mermaid loader (an `import()` from cdnjs) in every notebook page.
   The notebooks have no math and no mermaid outputs: both blocks are removed, and a
   notebook page that still names an http(s) script or stylesheet fails the build.
3. Every plugin runs once per language (i18n rebuilds the site for each), and
   mkdocs-jupyter's on_post_build evicts the cache entries the current build did not use,
   so each language would evict the other's and every build would miss. The notebooks are
   not executed (`execute: false`), but converting one to HTML still costs about a second
   per page and language, which the cache saves on every rebuild (`mkdocs serve`). So the
   list of used entries is replaced by one that contains everything: nothing is evicted.
   Old entries pile up in .cache/mkdocs-jupyter (`make clean` deletes them).
4. Heading ids in notebooks: mkdocs-jupyter slugifies ASCII-only, so a Chinese title gets
   id="" while the table of contents points to "#_1". Use the site's own slugify instead.
5. A notebook's intro links to its page with an absolute URL (pvt/pipeline/notebooks.py writes the
   published default, mkdocs.yml's site_url): a downloaded notebook has no other way to reach
   the site. On the notebook's own page that link is made relative, and the notebook files
   the site offers for download get the URL this build is for (SITE_URL in a deploy), or a
   link relative to the file when the build has no address.

Workarounds 1, 3 and 4 replace private functions and attributes. Each replacement goes through
_patch, which first checks that the target exists and that the package is the version the
workaround was written for (WRITTEN_FOR), and otherwise fails the build naming both: after an
upgrade, check whether upstream fixed the problem, then update or drop the workaround.
"""

import importlib.metadata
import os
import re
import types
from pathlib import Path

import markdown
import mkdocs_jupyter.convert
import mkdocs_jupyter.plugin
import nbconvert.filters.strings
from markdown.extensions.toc import TocExtension
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from pymdownx.slugs import slugify

from pvt.common import SITE_URL_ENV, default_site_url, write_atomic

PUBLISHED = default_site_url()  # what pvt/pipeline/notebooks.py writes into the intros

WRITTEN_FOR = {"mkdocs-jupyter": "0.26.3", "nbconvert": "7.17.2", "mkdocs-static-i18n": "1.3.1"}
UPSTREAM = {  # where each problem is tracked
    1: "https://github.com/ultrabug/mkdocs-static-i18n/issues/198",
    3: "https://github.com/danielfrg/mkdocs-jupyter/issues",
    4: "https://github.com/danielfrg/mkdocs-jupyter/issues",
}


def _patch(owner, name, value, package, workaround):
    """setattr(owner, name, value), once the target and the package version are the expected ones."""
    found = importlib.metadata.version(package)
    missing = not hasattr(owner, name)
    if missing or found != WRITTEN_FOR[package]:
        what = getattr(owner, "__name__", type(owner).__name__)
        raise PluginError(
            f"hooks/jupyter_i18n.py workaround {workaround} replaces {what}.{name}, written for "
            f"{package} {WRITTEN_FOR[package]}; installed is {package} {found}"
            + (f", which has no {name}" if missing else "")
            + f". Check whether {UPSTREAM[workaround]} is fixed, then update or drop the workaround "
            "and its WRITTEN_FOR entry.")
    setattr(owner, name, value)

MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
MERMAID = re.compile(r'<script type="module">(?:(?!</script>).)*?\.jp-Mermaid.*?</script>', re.S)
EXTERNAL = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*["\']?(?:https?:)?//[^>]*>'
                      r'|import\(\s*["\']https?://', re.I)


def _jupyter(config):
    return config.plugins.get("mkdocs-jupyter")


@event_priority(-200)  # after mkdocs-static-i18n (-100) has rebuilt the file list
def on_files(files, config):
    jupyter = _jupyter(config)
    if jupyter is None:
        return files
    i18n = config.plugins.get("i18n")
    for f in files:
        if not f.is_documentation_page() and jupyter.should_include(f):
            f.is_documentation_page = types.MethodType(lambda self: True, f)
            if i18n is not None and getattr(f, "localization", None):
                _add_alternates(f, i18n, config)
    if i18n is not None:  # the pages i18n lists in sitemap.xml, now with the notebooks
        listed = dict(i18n.i18n_files_per_language, **{i18n.current_language: files.documentation_pages()})
        _patch(i18n, "i18n_files_per_language", listed, "mkdocs-static-i18n", 1)
    return files


def _add_alternates(f, i18n, config):
    """Give a notebook page its translations, built the way mkdocs-jupyter and i18n build it."""
    from mkdocs_jupyter.plugin import NotebookFile
    from mkdocs_static_i18n.suffix import create_i18n_file

    for lang in i18n.build_languages:
        twin = f.src_uri.replace(f".{f.localization}.", f".{lang}.", 1)
        if lang in f.alternates or twin == f.src_uri or twin not in _sources(config):
            continue
        source = File(twin, config.docs_dir, config.site_dir, config.use_directory_urls)
        f.alternates[lang] = create_i18n_file(NotebookFile(source, **config), lang, i18n.default_language,
                                              i18n.all_languages, config)


def _sources(config):
    docs = Path(config.docs_dir)
    return {p.relative_to(docs).as_posix() for p in docs.glob("notebooks/*.ipynb")}


def on_page_content(html, page, config, files):
    jupyter = _jupyter(config)
    if jupyter is None or not jupyter.should_include(page.file):
        return html
    html = MERMAID.sub("", MATHJAX.sub("", html))
    found = EXTERNAL.search(html)
    if found:
        raise PluginError(f"docs/{page.file.src_uri}: the rendered notebook loads an external resource: "
                          f"{found.group(0)[:200]}; hooks/jupyter_i18n.py must remove it")
    return html.replace(f'href="{PUBLISHED}', f'href="{"../" * page.url.count("/")}')


def on_post_build(config):
    """The notebooks offered for download link to the site at SITE_URL; a build without it has
    no address to give, so its links are relative to the file (hooks/site_address.py)."""
    if _jupyter(config) is None:
        return
    site_url = os.environ.get(SITE_URL_ENV, "").strip().rstrip("/")
    site = Path(config.site_dir)
    for path in site.rglob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        if PUBLISHED in text:
            up = "../" * len(path.parent.relative_to(site).parts)
            write_atomic(path, text.replace(PUBLISHED, site_url + "/" if site_url else up or "./"))


class _KeepAll(set):
    def __contains__(self, item):
        return True


_KEEP_ALL = _KeepAll()


@event_priority(-200)  # after mkdocs-jupyter's own on_pre_build has reset its list
def on_pre_build(config):
    jupyter = _jupyter(config)
    if jupyter is not None:
        _patch(jupyter, "_used_cache_paths", _KEEP_ALL, "mkdocs-jupyter", 3)


SLUGIFY = slugify(case="lower")  # as `toc: slugify:` in mkdocs.yml


def _markdown_toc(source, toc_depth):
    md = markdown.Markdown(extensions=[TocExtension(toc_depth=toc_depth, slugify=SLUGIFY)])
    md.convert(source)
    return md.toc_tokens


def on_config(config):
    _patch(mkdocs_jupyter.convert, "slugify", lambda text: SLUGIFY(text, "-"), "mkdocs-jupyter", 4)
    _patch(mkdocs_jupyter.plugin, "_get_markdown_toc", _markdown_toc, "mkdocs-jupyter", 4)
    _patch(nbconvert.filters.strings, "_convert_header_id", lambda text: text, "nbconvert", 4)
    return config
