"""UI strings that Markdown extensions and mkdocs-jupyter write in English on every page, in
the page's language: the heading permalink tooltip (toc's `permalink_title` is one setting for
all languages) and the copy button of notebook code cells.

mkdocs-static-i18n builds each language with its own `theme.language`; the English strings
are kept on English pages and replaced on the others.
"""

UI = {
    "zh": {'title="Permanent link"': 'title="永久链接"',
           'aria-label="Copy to Clipboard"': 'aria-label="复制到剪贴板"',
           ">Copied!</span>": ">已复制</span>"},
}


def on_page_content(html, page, config, files):
    for english, local in UI.get(config["theme"]["language"], {}).items():
        html = html.replace(english, local)
    return html
