"""Language switcher and search, per language, on any base path.

1. mkdocs-static-i18n gives the home pages' language links as absolute paths taken from
   `site_url` (`/pytorch-vs-tensorflow/en/`), every other page relative ones: served under
   another base path the home page's switch led to a 404. Here every link is made relative.
2. Material fetches `sitemap.xml` beside every `<link rel="alternate">` in the head, for a
   "stay on the page" lookup built for links to language roots and a site served at its
   `site_url`. i18n's page-level alternates made that two 404s per page, and the lookup
   cannot work under another base path or port. The header switcher already links each page
   to its translation, so the head alternates are left out: no request, no lookup.
   Search engines get the same hreflang pairs, with absolute URLs, from sitemap.xml (written
   when the build is given SITE_URL: hooks/site_address.py).
3. One search index per language: Material loads `search/search_index.json` below the
   page's `base`, so a non-default language's pages get their language root as `base`,
   and the index that i18n writes for all languages is split into `search/` (default
   language) and `<lang>/search/`.
"""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority

from pvt.common import LANGS, url_prefix, write_atomic

HEAD_ALTERNATE = re.compile(r'<link\b(?=[^>]*\brel="alternate")(?=[^>]*\bhreflang=)[^>]*>\s*')


def page_lang(page):
    return next((lang for lang in LANGS[1:] if page.url.startswith(url_prefix(lang))), LANGS[0])


@event_priority(-50)  # after i18n has set this page's alternates
def on_page_context(context, page, config, nav):
    site_path = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
    # i18n sets the attribute, which the templates read, not the item
    for alternate in getattr(config.extra, "alternate", None) or []:
        link = alternate["link"]
        if link.startswith(site_path):  # root-absolute: make it relative to the site root
            alternate["link"] = link[len(site_path):] or "./"
    lang = page_lang(page)
    if lang != LANGS[0]:
        context["base_url"] = f"{context['base_url']}/{url_prefix(lang)}"
    return context


def on_template_context(context, template_name, config):
    """404.html is served at any missing URL: its links are root-absolute, to the language roots."""
    if template_name == "404.html":
        site_path = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
        for alternate in getattr(config.extra, "alternate", None) or []:
            alternate["link"] = site_path + url_prefix(alternate["lang"])
    return context


@event_priority(-100)  # after mermaid2 has re-serialised the page
def on_post_page(output, page, config):
    return HEAD_ALTERNATE.sub("", output)


def on_post_template(output, template_name, config):
    return HEAD_ALTERNATE.sub("", output)


@event_priority(-200)  # after i18n (-100) has built every language and written the joint index
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # a language build inside i18n's loop; the joint index comes after it
    site = Path(config.site_dir)
    joint = site / "search" / "search_index.json"
    if not joint.exists():
        return
    index = json.loads(joint.read_text(encoding="utf-8"))
    for lang in reversed(LANGS):  # the default language ('' prefix) takes what is left
        prefix = url_prefix(lang)
        docs = [d for d in index["docs"] if d["location"].startswith(prefix)]
        index["docs"] = [d for d in index["docs"] if not d["location"].startswith(prefix)]
        own = {**index, "docs": [{**d, "location": d["location"][len(prefix):]} for d in docs]}
        if lang != LANGS[0]:
            own["config"] = {**index["config"], "lang": [lang]}
        write_atomic(site / prefix / "search" / "search_index.json",
                     json.dumps(own, ensure_ascii=False, separators=(",", ":")))
