"""The glue hook's stale notices, on made-up pages and a made-up store."""

import glue
import store


def fake_store(monkeypatch):
    stale = store.Result("demo", ["demo.out"], "snippets/demo.py", {}, "demo: snippets/demo.py changed")
    monkeypatch.setattr(store, "result", lambda name, root=None: stale)
    monkeypatch.setattr(store, "name_of_file", lambda path: "demo")


def test_a_stale_output_inside_a_four_backtick_fence_keeps_its_notice(monkeypatch):
    """conftest.py asks for four backticks around an included file that brings its own fences:
    the ``` lines inside must not close the outer fence, or the include loses its notice."""
    fake_store(monkeypatch)
    page = "\n".join(["# Page", "", "````text", "```", "shown", "```",
                      '--8<-- "docs/results/demo.out"', "````", ""])
    out = glue.stale_notices(page, "en", "docs/page.en.md", set(), None).split("\n")
    fence = out.index("````text")
    assert out[fence - 4].startswith('!!! warning "Stale results"'), "\n".join(out)
    assert "This output predates the code above" in out[fence - 2]


def test_a_stale_output_in_a_plain_fence_gets_its_notice(monkeypatch):
    fake_store(monkeypatch)
    page = "\n".join(["# Page", "", "```text", '--8<-- "docs/results/demo.out"', "```", ""])
    out = glue.stale_notices(page, "zh", "docs/page.zh.md", set(), None)
    assert out.count('!!! warning "结果已过期"') == 2  # one for the page, one above the block
