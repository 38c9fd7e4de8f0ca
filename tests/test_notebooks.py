"""The example notebooks: generated from the snippets, executed, published in both languages.

The site (the session `site` fixture, `mkdocs build --strict`) must hold each notebook page
in Chinese and English with its outputs, and a download link that serves the notebook.
The committed notebooks must match what pvt/pipeline/notebooks.py makes from today's snippets
(cell sources, compared without executing anything), print what the results store holds,
and contain no errors.
"""

import html
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import nbformat
import pytest

from pvt.common import ROOT, default_site_url
from pvt.pipeline import notebooks, results

EXAMPLES = {e.name: e for e in notebooks.EXAMPLES}
LANGS = {"zh": "", "en": "en/"}  # language -> URL prefix
CASES = [(name, lang) for name in EXAMPLES for lang in LANGS]


def page_path(name, lang):
    return f"{LANGS[lang]}notebooks/{name}/"


def published(name, lang):
    return nbformat.read(notebooks.OUT / f"{name}.{lang}.ipynb", as_version=4)


def expected_output(example):
    """What the notebook must print: the results store's output, or else a fresh run of the snippet."""
    if example.result:
        return (results.STORE / f"{example.result}.out").read_text(encoding="utf-8")
    proc = subprocess.run([sys.executable, example.snippet], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **results.JOB_ENV}, timeout=300)
    assert proc.returncode == 0, f"{example.snippet} failed:\n{proc.stderr}"
    return proc.stdout


class NotebookPage(HTMLParser):
    """The text of the rendered output areas, the download links and the language alternates."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.outputs, self.downloads, self.alternates, self.lang = [], [], {}, None
        self._depth = 0  # > 0 while inside an output area (counts nested divs)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "a" and "download" in attrs:
            self.downloads.append(attrs["href"])
        if tag == "a" and "md-select__link" in (attrs.get("class") or "").split():  # the language switcher
            self.alternates[attrs.get("hreflang")] = attrs["href"]
        if tag == "div":
            if self._depth:
                self._depth += 1
            elif "jp-OutputArea-output" in (attrs.get("class") or "").split():
                self._depth = 1
                self.outputs.append("")

    def handle_endtag(self, tag):
        if tag == "div" and self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.outputs[-1] += data


def parse(site, name, lang):
    path = site / page_path(name, lang) / "index.html"
    assert path.exists(), f"{path.relative_to(site)} was not built (from docs/notebooks/{name}.{lang}.ipynb)"
    page = NotebookPage()
    page.feed(path.read_text(encoding="utf-8"))
    return page, path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name, lang", CASES)
def test_notebook_page_is_built_with_its_outputs(site, name, lang):
    page, text = parse(site, name, lang)
    assert page.lang == lang
    assert f"<title>{html.escape(EXAMPLES[name].title[lang], quote=False)} - " in text
    assert page.outputs, f"{page_path(name, lang)} shows no output cells"
    shown = "".join(o.strip("\n") + "\n" for o in page.outputs)
    assert shown == expected_output(EXAMPLES[name]), f"{page_path(name, lang)} shows other outputs"


@pytest.mark.parametrize("name, lang", CASES)
def test_download_link_serves_the_notebook(site, name, lang):
    page, _ = parse(site, name, lang)
    assert page.downloads, f"{page_path(name, lang)} has no download link"
    for href in set(page.downloads):
        target = urlparse(urljoin(f"http://site/{page_path(name, lang)}", href)).path.lstrip("/")
        path = site / target
        assert path.is_file(), f"the download link {href!r} on {page_path(name, lang)} leads nowhere ({target})"
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        # the committed notebook, its links to the site made relative to the file (the build has no SITE_URL)
        up = "../" * len(Path(target).parent.parts)
        committed = (notebooks.OUT / f"{name}.{lang}.ipynb").read_text(encoding="utf-8")
        assert path.read_text(encoding="utf-8") == committed.replace(default_site_url(), up)
        assert notebooks.stdout_text(nb) == expected_output(EXAMPLES[name])


@pytest.mark.parametrize("name, lang", CASES)
def test_language_switcher_leads_to_the_other_notebook(site, name, lang):
    page, _ = parse(site, name, lang)
    for other in LANGS:
        href = page.alternates.get(other)
        target = urlparse(urljoin(f"http://site/{page_path(name, lang)}", href or "")).path.lstrip("/")
        assert target == page_path(name, other), f"{page_path(name, lang)}: the {other} link is {href!r}"


@pytest.mark.parametrize("name, lang", CASES)
def test_notebook_page_loads_no_mathjax_or_cdn_script(site, name, lang):
    _, text = parse(site, name, lang)
    for needle in ('<script src="">', "cdnjs.cloudflare.com", "mathjax", "require.js"):
        assert needle not in text.lower(), \
            f"{page_path(name, lang)} still contains {needle!r} (see hooks/jupyter_i18n.py)"


@pytest.mark.fast
@pytest.mark.parametrize("name", EXAMPLES)
def test_notebook_is_fresh(name):
    reason = notebooks.stale_reason(EXAMPLES[name])
    assert reason is None, f"stale notebook: {reason}; regenerate it with `make notebooks`"


@pytest.mark.fast
@pytest.mark.parametrize("name, lang", CASES)
def test_published_notebook_is_generated_from_the_snippet(name, lang):
    """Rebuild the notebook from today's snippet, without executing it, and compare the cells."""
    fresh = notebooks.to_notebook(EXAMPLES[name], lang)
    cells = [(c.cell_type, c.source) for c in published(name, lang).cells]
    assert cells == [(c.cell_type, c.source) for c in fresh.cells], \
        f"docs/notebooks/{name}.{lang}.ipynb differs from {EXAMPLES[name].snippet}; run `make notebooks`"


@pytest.mark.parametrize("name, lang", CASES)
def test_notebook_has_outputs_and_no_errors(name, lang):
    nb = published(name, lang)
    nbformat.validate(nb)
    assert not notebooks.error_outputs(nb), f"docs/notebooks/{name}.{lang}.ipynb has an error or stderr output"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count == i for i, c in enumerate(code, 1)), "not executed in order, top to bottom"
    assert notebooks.stdout_text(nb) == expected_output(EXAMPLES[name])
    volatile = [k for c in nb.cells for k in c.metadata] + [k for k in nb.metadata if k not in
                                                             ("kernelspec", "language_info")]
    assert not volatile, f"volatile metadata left in docs/notebooks/{name}.{lang}.ipynb: {volatile}"


@pytest.mark.bench  # starts a kernel
def test_a_failing_cell_fails_generation_and_keeps_the_old_notebooks(tmp_path, monkeypatch, capsys):
    example = EXAMPLES["linreg_torch"]
    monkeypatch.setattr(notebooks, "OUT", tmp_path)
    monkeypatch.setattr(notebooks, "EXAMPLES", [example])
    monkeypatch.setattr(notebooks, "code_section", lambda snippet: "x = 1\n\nraise ValueError('broken on purpose')\n")
    (tmp_path / "linreg_torch.zh.ipynb").write_text("previous\n")
    assert notebooks.main(["--force"]) == 1
    err = capsys.readouterr().err
    assert "snippets/linreg_torch.py: a notebook cell raised" in err and "broken on purpose" in err
    assert (tmp_path / "linreg_torch.zh.ipynb").read_text() == "previous\n"
    assert not (tmp_path / "linreg_torch.en.ipynb").exists() and not list(tmp_path.glob("*.tmp"))


def test_notebook_pages_add_no_request_to_other_hosts(browser, site_url):
    """In Chromium, a notebook page asks other hosts for nothing that an ordinary page does not
    (the theme's repository widget), logs no page error, and its download link downloads the notebook."""
    ctx = browser.new_context()
    ctx.route(lambda url: urlparse(url).hostname != "127.0.0.1", lambda route: route.abort())
    try:
        def visit(path):
            page, requests, errors = ctx.new_page(), [], []
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(site_url + path, wait_until="load")
            return page, {u for u in requests if urlparse(u).hostname != "127.0.0.1"}, errors

        _, baseline, _ = visit("practice/")
        for name, lang in CASES:
            page, external, errors = visit(page_path(name, lang))
            assert not errors and external <= baseline, f"{page_path(name, lang)}: {errors} {external - baseline}"
            with page.expect_download() as info:
                page.locator("a.nb-download__link").click()
            nbformat.validate(nbformat.read(info.value.path(), as_version=4))
            assert info.value.suggested_filename == f"{name}.{lang}.ipynb"
    finally:
        ctx.close()


@pytest.mark.fast
def test_patches_refuse_a_version_they_were_not_written_for(monkeypatch):
    import jupyter_i18n
    from mkdocs.exceptions import PluginError

    monkeypatch.setattr(jupyter_i18n.importlib.metadata, "version", lambda package: "99.0")
    with pytest.raises(PluginError, match=r"workaround 4 replaces mkdocs_jupyter\.convert\.slugify, "
                                          r"written for mkdocs-jupyter 0\.26\.3; installed is mkdocs-jupyter 99\.0"):
        jupyter_i18n.on_config({})


@pytest.mark.fast
def test_patches_refuse_a_target_that_is_gone(monkeypatch):
    import jupyter_i18n
    import nbconvert.filters.strings
    from mkdocs.exceptions import PluginError

    monkeypatch.delattr(nbconvert.filters.strings, "_convert_header_id")
    with pytest.raises(PluginError, match=r"nbconvert\.filters\.strings\._convert_header_id.*which has no "
                                          r"_convert_header_id.*then update or drop"):
        jupyter_i18n.on_config({})
