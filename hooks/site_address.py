"""The site's absolute address, published only where it is known.

mkdocs.yml gives `site_url` a placeholder default (`https://example.github.io/…`) so that a
build without SITE_URL works; the Pages workflow sets SITE_URL to the real address. A build
without it must not publish the placeholder as if it existed, so it leaves out what only an
absolute address is for: the `<link rel="canonical">` tags and sitemap.xml (search engines'
hreflang pairs). The notebooks' links to the site: hooks/jupyter_i18n.py.
"""

import os
import re
from pathlib import Path

from mkdocs.plugins import event_priority

from pvt.common import SITE_URL_ENV

CANONICAL = re.compile(r'<link\b(?=[^>]*\brel="canonical")[^>]*>\s*')


def known():
    """True when the build was given the site's address."""
    return bool(os.environ.get(SITE_URL_ENV, "").strip())


@event_priority(-150)  # after the other hooks have written the page
def on_post_page(output, page, config):
    return output if known() else CANONICAL.sub("", output)


@event_priority(-300)  # after i18n and hooks/languages.py
def on_post_build(config):
    if not known():
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (Path(config.site_dir) / name).unlink(missing_ok=True)
