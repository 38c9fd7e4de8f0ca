"""The glue hook's stale notices, on made-up pages and a made-up store."""

import glue

from pvt import store


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


def test_a_result_without_a_recorded_run_is_never_called_current():
    from pvt.common import ROOT
    for lang in ("zh", "en"):
        index = glue.results_index(lang, ROOT / "docs", ROOT / "docs" / "results")
        rows = [line.split(" | ") for line in index.split("\n\n")[0].splitlines()[2:]]
        unrecorded = [r for r in rows if r[4] == "—"]
        assert unrecorded, "the store has a result without a commit (the diagrams); this test needs one"
        for r in unrecorded:
            assert r[-1].rstrip(" |") == glue.text(lang, "glue.unrecorded"), r
