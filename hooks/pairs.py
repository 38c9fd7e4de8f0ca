"""Fail the build when a page exists in only one language.

mkdocs-static-i18n would otherwise serve the Chinese page in place of a missing
English one (fallback_to_default, which shared images and plots need).
"""

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

LANGS = ("zh", "en")


@event_priority(100)  # before the i18n plugin rewrites the file list
def on_files(files, config):
    docs = Path(config["docs_dir"])
    missing = []
    for f in files.documentation_pages():
        for lang in LANGS:
            suffix = f".{lang}.md"
            if f.src_uri.endswith(suffix):
                for other in LANGS:
                    twin = f.src_uri[: -len(suffix)] + f".{other}.md"
                    if not (docs / twin).exists():
                        missing.append(f"docs/{f.src_uri} has no translation docs/{twin}")
    if missing:
        raise PluginError("pages without their translation:\n  " + "\n  ".join(sorted(set(missing)))
                          + "\nWrite the missing page (same headings, includes and admonitions).")
    return files
