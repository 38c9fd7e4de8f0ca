"""The About page's weight table: its byte columns are every kind measured, they add up to the
total, and the published table is what the stored measurements render to."""

import json

from pvt.site import page_weight

DATA = json.loads(page_weight.STORE.read_text(encoding="utf-8"))


def test_every_kind_is_measured_and_the_kinds_add_up_to_the_total():
    for page in DATA["pages"]:
        assert list(page["bytes_by_kind"]) == page_weight.KINDS, page["path"]
        assert sum(page["bytes_by_kind"].values()) == page["size"], page["path"]


def test_the_table_has_a_column_for_every_kind_and_the_cells_add_up():
    for lang in page_weight.LANGS:
        lines = page_weight.table(DATA["pages"], lang).splitlines()
        header = [c.strip() for c in lines[0].strip("|").split("|")]
        first_kind = header.index(page_weight.text(lang, "page_weight.head_html"))
        kinds = slice(first_kind, first_kind + len(page_weight.KINDS))
        total = header.index(page_weight.text(lang, "page_weight.head_size"))
        for line in lines[2:]:
            cells = [c.strip() for c in line.strip("|").split("|")]
            parts = [float(c.replace(",", "")) for c in cells[kinds]]
            # each cell is rounded to 1 KB: the sum may be off by half a KB per kind
            assert abs(sum(parts) - float(cells[total].replace(",", ""))) <= len(parts) / 2, line


def test_the_published_tables_are_rendered_from_the_stored_measurements():
    for lang in page_weight.LANGS:
        published = (page_weight.TABLES / f"page_weight.{lang}.md").read_text(encoding="utf-8")
        assert published == page_weight.table(DATA["pages"], lang), (
            f"docs/results/tables/page_weight.{lang}.md is not the rendering of "
            f"docs/results/page_weight.json: run `python -m pvt.site.page_weight --tables`")


def test_no_page_loads_the_search_index_as_the_about_page_says():
    """The About page says the index loads only when the reader opens search (overrides/main.html)
    and that its column has no bytes: the measurement must agree."""
    loaded = [p["path"] for p in DATA["pages"] if p["bytes_by_kind"]["search index"]]
    assert not loaded, f"pages that loaded the search index: {loaded}; the About page says none does"
    for lang, says in {"en": "shows no bytes for it", "zh": "搜索索引一栏没有字节数"}.items():
        assert says in (page_weight.ROOT / f"docs/about.{lang}.md").read_text(encoding="utf-8")


def test_scores_show_the_median_with_the_lowest_and_highest_run():
    page = {"performance": 94, "runs": [{"performance": 99}, {"performance": 94}, {"performance": 92}]}
    assert page_weight.spread(page, "performance", "en") == "94 (92–99)"
    assert page_weight.spread(page, "performance", "zh") == "94（92–99）"
