"""The side-by-side chapter's checks hold, with the tolerances they state, and each one fails
when one of the rules it proves is broken on purpose (a missing transpose, axes in the wrong
order, rows not reordered after Flatten, epsilon not matched, padding on the wrong side)."""

import json
import os

import pytest

from pvt import render
from pvt.pipeline import results

STORE = results.STORE
# Every stored check of the chapter (both parts) -> the rows that are mistakes run on purpose: those
# must exceed their tolerance, every other row must hold. The pages' own tests break the rules live.
TRAPS = {
    "port_weights_check": set(), "pad_check_data": {"symmetric_padding"},
    "save_torch_check": set(), "save_keras_check": set(), "save_neutral_check": set(),
    "export_torch_check": set(), "export_keras_check": set(), "export_keras_other_check": set(),
    "keras_backends_check": set(),
    "step_loss_check": {"adam_defaults", "adam_both_1e-7", "adam_rule_same"},
    "step_logits_check": {"ce_default", "bce_torch_order"}, "step_layers_check": {"bn_momentum_copied"},
    "clip_check_data": {"clipnorm"}, "schedule_check_data": {"t_max_in_epochs", "alpha_absolute", "past_t_max"},
    "early_check_data": set(),
    "repro_runs_check": {"torch_no_seed", "keras_no_seed"}, "custom_grad_torch_check": {"naive"},
    "custom_grad_keras_check": {"naive"}, "amp_torch_check": set(), "amp_keras_check": set(),
    "data_order_check": {"mismatched"}, "data_parallel_check": set(),
}


@pytest.mark.fast
def test_every_check_of_the_summary_table_is_listed():
    assert {c for *_, checks in render.SIDE_BY_SIDE for c in checks} <= TRAPS.keys()


@pytest.mark.fast
@pytest.mark.parametrize("name", TRAPS)
def test_stored_checks_have_measured_and_tolerance(name):
    data = json.loads((STORE / f"{name}.json").read_text(encoding="utf-8"))
    for key, check in data.items():
        assert {"measured", "tolerance", "compared"} <= check.keys(), f"{name}.json › {key}: {check}"
        assert isinstance(check["measured"], float) and isinstance(check["tolerance"], float)


@pytest.mark.fast
@pytest.mark.parametrize("name", TRAPS)
def test_stored_checks_hold_and_the_traps_are_shown(name):
    data = json.loads((STORE / f"{name}.json").read_text(encoding="utf-8"))
    assert TRAPS[name] <= data.keys(), (name, sorted(data))
    for key, check in data.items():
        holds = check["measured"] <= check["tolerance"]  # False for NaN too
        assert holds is (key not in TRAPS[name]), f"{name}.json › {key}: {check}"


@pytest.mark.fast
def test_reloads_are_bit_identical():
    for name, keys in [("save_torch_check", ["state_dict_reload"]),
                       ("save_keras_check", ["keras_file_reload", "save_weights_reload"]),
                       ("save_neutral_check", ["torch_reload"])]:
        data = json.loads((STORE / f"{name}.json").read_text(encoding="utf-8"))
        assert all(data[k]["measured"] == data[k]["tolerance"] == 0.0 for k in keys), (name, data)


@pytest.mark.fast
def test_stored_port_checks_pass_and_the_round_trip_is_exact():
    data = json.loads((STORE / "port_weights_check.json").read_text(encoding="utf-8"))
    assert all(c["measured"] <= c["tolerance"] for c in data.values()), data
    assert data["cnn_round_trip"]["measured"] == data["cnn_round_trip"]["tolerance"] == 0.0


@pytest.mark.fast
def test_stored_padding_check_shows_the_trap_and_the_fix():
    data = json.loads((STORE / "pad_check_data.json").read_text(encoding="utf-8"))
    assert data["symmetric_padding"]["measured"] > data["symmetric_padding"]["tolerance"]
    assert data["bottom_right_padding"]["measured"] <= data["bottom_right_padding"]["tolerance"]


# Live runs: they import torch and TensorFlow.

@pytest.fixture(scope="module")
def pw():
    import port_weights
    return port_weights


def ported_cnn(pw, break_it=None):
    """max |Δ| of the CNN ported PyTorch → Keras, after break_it(keras_model) if given."""
    src, dst = pw.randomize_bn(pw.torch_cnn()), pw.keras_cnn()
    pw.torch_to_keras(src.state_dict(), dst, pw.FLAT)
    if break_it:
        break_it(dst)
    return pw.max_diff(src, dst, pw.x_nchw, pw.x_nhwc)


def ported_mlp(pw, break_it=None):
    src, dst = pw.torch_mlp().eval(), pw.keras_mlp()
    pw.torch_to_keras(src.state_dict(), dst)
    if break_it:
        break_it(dst)
    return pw.max_diff(src, dst, pw.x_mlp, pw.x_mlp)


def test_the_port_check_holds(pw):
    assert all(diff <= pw.TOL for diff in pw.checks.values()), pw.checks
    assert pw.exact == 0.0
    assert ported_cnn(pw) <= pw.TOL and ported_mlp(pw) <= pw.TOL


def test_a_missing_transpose_fails_the_check(pw):
    def untransposed(model):  # the square 32×32 layer keeps PyTorch's (out, in) layout
        layer = model.layers[1]
        kernel, bias = layer.get_weights()
        layer.set_weights([kernel.T, bias])
    assert ported_mlp(pw, untransposed) > pw.TOL


def test_a_missing_transpose_of_a_non_square_layer_is_refused(pw):
    layer = pw.keras_mlp().layers[0]
    with pytest.raises(ValueError):
        layer.set_weights([w.T for w in layer.get_weights()])


def test_conv_axes_in_the_wrong_order_fail_the_check(pw):
    def swapped(model):  # (W, H, I, O) instead of (H, W, I, O): same shape, other numbers
        conv = model.layers[0]
        kernel, bias = conv.get_weights()
        conv.set_weights([kernel.transpose(1, 0, 2, 3), bias])
    assert ported_cnn(pw, swapped) > pw.TOL


def test_rows_not_reordered_after_flatten_fail_the_check(pw, monkeypatch):
    import port_helpers
    monkeypatch.setattr(port_helpers, "chw_to_hwc", lambda kernel, c, h, w: kernel)
    assert ported_cnn(pw) > pw.TOL


def test_epsilon_not_matched_fails_the_check(pw):
    def keras_default(model):
        model.layers[1].epsilon = 1e-3
    assert ported_cnn(pw, keras_default) > pw.TOL


def test_a_wrong_reverse_reordering_breaks_the_round_trip(pw, monkeypatch):
    import port_helpers
    monkeypatch.setattr(port_helpers, "hwc_to_chw", port_helpers.chw_to_hwc)  # the forward rule twice
    assert pw.round_trip(pw.torch_cnn, pw.keras_cnn, pw.FLAT) > 0.0


def test_the_padding_check_holds_and_the_wrong_side_fails():
    import pad_check
    from torch import nn
    assert pad_check.fix <= pad_check.TOL < pad_check.trap
    top_left = pad_check.torch_conv(padding=0, pad_first=nn.ZeroPad2d((1, 0, 1, 0)))
    assert pad_check.max_diff(top_left) > pad_check.TOL


def test_the_save_checks_hold_and_a_model_left_in_training_mode_fails():
    import save_torch
    import torch
    assert save_torch.diff == 0.0
    again = save_torch.torch_cnn()  # loaded, but not switched to eval(): BatchNorm uses the batch
    again.load_state_dict(save_torch.model.state_dict())
    with torch.no_grad():
        assert (save_torch.model(save_torch.x) - again(save_torch.x)).abs().max().item() > 0.0


def test_keras_reloads_are_exact_and_a_model_not_loaded_differs():
    import save_keras
    assert save_keras.whole == save_keras.weights == 0.0
    assert save_keras.max_diff(save_keras.model, save_keras.keras_cnn()) > 0.0


def test_the_neutral_file_loads_in_keras_only_with_the_layout_rules():
    import numpy as np
    import save_neutral
    assert save_neutral.same == 0.0 and save_neutral.cross <= save_neutral.TOL
    unordered = save_neutral.keras_cnn()  # the rows after Flatten left in PyTorch's order
    save_neutral.torch_to_keras(save_neutral.arrays, unordered, flat=None)
    got = np.asarray(unordered(save_neutral.x.numpy().transpose(0, 2, 3, 1), training=False))
    assert np.abs(got - save_neutral.expected).max() > save_neutral.TOL
    raw = save_neutral.keras_cnn()  # the file's arrays put in as they are
    with pytest.raises(ValueError):
        raw.layers[0].set_weights([save_neutral.arrays["0.weight"], save_neutral.arrays["0.bias"]])


def test_the_exports_match_eager_and_an_export_in_training_mode_does_not():
    import export_torch
    import torch
    assert all(d <= export_torch.TOL for d in export_torch.diffs.values()), export_torch.diffs
    model = export_torch.torch_cnn()
    model.load_state_dict(export_torch.model.state_dict())  # the same weights, left in training mode
    program = torch.export.export(model, (export_torch.x,))
    with torch.no_grad():
        got = program.module()(export_torch.x).numpy()
    assert abs(got - export_torch.eager).max() > export_torch.TOL


def test_the_saved_model_matches_and_a_stale_export_does_not():
    import export_keras
    import numpy as np
    assert export_keras.diff <= export_keras.TOL
    other = export_keras.keras_cnn()  # another model's weights: the check must see the difference
    assert np.abs(export_keras.served - np.asarray(other(export_keras.x, training=False))).max() > export_keras.TOL


@pytest.mark.fast
def test_the_defaults_table_is_rendered_from_the_stored_values():
    from pvt import render
    data = json.loads((STORE / "defaults.json").read_text(encoding="utf-8"))
    assert sorted(render.DEFAULT_ROWS) == sorted(data), "every value read has a row"
    for path, text in render.defaults_tables(STORE):
        assert path.read_text(encoding="utf-8") == text, f"{path.name}: run `make results`"


@pytest.mark.fast
def test_a_typed_value_would_not_match_the_table(tmp_path):
    from pvt import render
    (tmp_path / "tables").mkdir()
    data = json.loads((STORE / "defaults.json").read_text(encoding="utf-8"))
    data["adam_eps"]["keras"] = 1e-8  # the value an article might assume
    (tmp_path / "defaults.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "defaults.meta.json").write_bytes((STORE / "defaults.meta.json").read_bytes())
    for path, text in render.defaults_tables(tmp_path):
        assert (STORE / "tables" / path.name).read_text(encoding="utf-8") != text


@pytest.mark.fast
def test_the_measured_batchnorm_update_follows_each_momentum_convention():
    data = json.loads((STORE / "defaults.json").read_text(encoding="utf-8"))
    weight, momentum = data["bn_batch_weight"], data["bn_momentum"]
    assert abs(weight["pytorch"] - momentum["pytorch"]) < 1e-6  # momentum weighs the new batch
    assert abs(weight["keras"] - (1 - momentum["keras"])) < 1e-6  # momentum weighs the old average


def test_the_defaults_read_now_are_the_stored_ones():
    import defaults
    stored = json.loads((STORE / "defaults.json").read_text(encoding="utf-8"))
    assert json.loads(json.dumps(defaults.results())) == stored


@pytest.mark.bench  # two Keras processes
def test_the_backends_agree_only_when_the_weights_are_shared():
    """The torch process that does not load the TensorFlow process's weights gives other outputs:
    the check compares the backends, not two seeded initializations."""
    import contextlib
    import io

    from pages import ROOT

    source = (ROOT / "snippets/keras_backends.py").read_text(encoding="utf-8")
    for broken, holds in ((source, True), (source.replace("    model.load_weights(weights)", "    pass"), False)):
        assert broken != source or holds
        namespace = {}
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(broken, "keras_backends.py", "exec"), namespace)
        assert (namespace["diff"] <= namespace["TOL"]) is holds, namespace["diff"]



@pytest.mark.bench  # TensorFlow in a subprocess
def test_the_litert_check_fails_against_the_model_in_training_mode():
    """Compared with the Keras model in training mode (batch statistics instead of the moving
    averages), the LiteRT output is off: the check compares the exported model, not a constant."""
    import subprocess
    import sys

    from pages import ROOT

    source = (ROOT / "snippets/export_keras_other.py").read_text(encoding="utf-8")
    broken = source.replace("model(x, training=False)", "model(x, training=True)")
    assert broken != source
    code = broken + "\nprint('DIFF', diff > TOL)\n"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "snippets", capture_output=True, text=True,
                          timeout=300, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "DIFF True" in proc.stdout, proc.stdout
