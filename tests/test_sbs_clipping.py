"""The clipping, schedule and early-stopping page's checks hold with the tolerances they state, its
traps are shown, and each check fails when the rule it proves is broken on purpose: clipnorm
instead of global_clipnorm, the scheduler stepped per epoch, eta_min given as a fraction, a PyTorch
loop that keeps the last weights instead of the best, patience off by one."""

import json

import pytest

from pvt.pipeline import results

STORE = results.STORE


def stored(name):
    return json.loads((STORE / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.fast
def test_stored_early_stopping_restores_exactly():
    data = stored("early_check_data")
    for key in ("epochs_run", "best_epoch", "torch_restored", "keras_restored", "keras_restores_without_stop"):
        assert data[key]["measured"] == data[key]["tolerance"] == 0.0, (key, data[key])


# Live runs: they import torch and TensorFlow.

@pytest.fixture(scope="module")
def clip():
    import clip_check
    return clip_check


@pytest.fixture(scope="module")
def schedule():
    import schedule_check
    return schedule_check


@pytest.fixture(scope="module")
def early():
    import early_check
    return early_check


def one_step(clip, per_parameter=False, per_variable=False):
    """max |Δ| of the weights after one clipped SGD step, PyTorch vs Keras, from the same start."""
    import torch

    t_model, k_model = clip.models()
    clip.torch_step(t_model, torch.from_numpy(clip.x), torch.from_numpy(clip.y), per_parameter=per_parameter)
    clip.keras_step(k_model, clip.x, clip.y, per_variable=per_variable)
    return clip.max_diff(t_model, k_model)


@pytest.mark.bench
def test_the_clipping_check_holds_and_clipping_was_needed(clip):
    diffs = {name: diff for name, (_, diff) in clip.checks.items()}
    assert diffs["global_clipnorm"] <= clip.TOL and diffs["clipnorm_per_parameter"] <= clip.TOL
    assert diffs["clipnorm"] > clip.TOL
    assert clip.norm > clip.MAX_NORM  # the gradients were clipped: the check compares two clippings
    assert one_step(clip) <= clip.TOL


@pytest.mark.bench
def test_clipnorm_instead_of_global_clipnorm_fails_the_check(clip):
    assert one_step(clip, per_variable=True) > clip.TOL


@pytest.mark.bench
def test_clipping_each_parameter_in_pytorch_fails_against_global_clipnorm(clip):
    assert one_step(clip, per_parameter=True) > clip.TOL


@pytest.mark.bench
def test_the_schedule_check_holds_and_shows_its_traps(schedule):
    checks = schedule.checks
    assert checks["matched"] <= schedule.TOL
    assert min(checks["t_max_in_epochs"], checks["alpha_absolute"], checks["past_t_max"]) > schedule.TOL
    # past T_max, CosineAnnealingLR climbs back to the initial rate; CosineDecay stays at its floor
    assert schedule.torch_long[2 * schedule.STEPS] == pytest.approx(schedule.LR, abs=schedule.TOL)
    import schedule_keras
    floor = schedule_keras.LR * schedule_keras.ALPHA
    assert all(lr == pytest.approx(floor, abs=schedule.TOL) for lr in schedule.keras_long[schedule.STEPS:])


@pytest.mark.bench
def test_a_scheduler_stepped_per_epoch_fails_the_check(schedule):
    keras = schedule.keras_long[:schedule.STEPS]
    per_epoch = schedule.torch_lrs(scheduler_every=schedule.BATCHES)  # T_max still counted in optimizer steps
    assert schedule.max_diff(per_epoch, keras) > schedule.TOL


@pytest.mark.bench
def test_eta_min_given_as_a_fraction_fails_the_check(schedule):
    import schedule_keras
    keras = schedule.keras_long[:schedule.STEPS]
    fraction = schedule.torch_lrs(eta_min=schedule_keras.ALPHA)
    assert schedule.max_diff(fraction, keras) > schedule.TOL


@pytest.mark.bench
def test_the_early_stopping_check_holds(early):
    found = early.found
    assert found["epochs run"][0] == found["epochs run"][1] < len(early.VAL_LOSSES)  # it did stop early
    assert found["best epoch"][0] == found["best epoch"][1]
    assert found["restored vs best epoch"] == (0.0, 0.0)
    assert found["across"] <= early.TOL
    assert found["keras vs last epoch"] > early.TOL  # the best epoch's weights are not the last ones
    assert early.no_stop["epochs run"][1] == len(early.NO_STOP)
    assert early.no_stop["restored vs best epoch"][1] == 0.0 < early.no_stop["keras vs last epoch"]


@pytest.mark.bench
def test_a_loop_that_keeps_the_last_weights_fails_the_check(early):
    found = early.run(early.VAL_LOSSES, restore_best=False)
    assert found["across"] > early.TOL
    assert found["restored vs best epoch"][0] > 0.0


@pytest.mark.bench
@pytest.mark.parametrize("patience_off_by", [-1, 1])
def test_patience_off_by_one_fails_the_check(early, patience_off_by):
    import early_torch
    found = early.run(early.VAL_LOSSES, patience=early_torch.PATIENCE + patience_off_by)
    assert found["epochs run"][0] != found["epochs run"][1]
    if patience_off_by > 0:  # the loop runs on past the stop and finds a later best epoch
        assert found["best epoch"][0] != found["best epoch"][1] and found["across"] > early.TOL


@pytest.mark.bench
def test_keras_without_restore_best_weights_keeps_the_last_epoch(early):
    import early_keras
    _, k_model = early.models()
    ran, best, epochs = early_keras.fit_early_stopping(k_model, early.x, early.y, early.VAL_LOSSES,
                                                       restore_best=False)
    assert early.max_diff(k_model.get_weights(), epochs[best - 1]) > early.TOL
    assert early.max_diff(k_model.get_weights(), epochs[-1]) == 0.0
