"""The reproducibility page's checks hold, with the tolerances they state, and each one fails when
the rule it proves is broken on purpose: a training without its random seed repeats no loss; the
derivative of log(1 + eˣ) written as eˣ/(1 + eˣ) is NaN again and a wrong backward fails
gradcheck; without autocast or the mixed_bfloat16 policy the layers compute in float32; a
mismatched drop_last, or drop_last with shuffling, changes what an epoch delivers.

On this CPU, the seeded runs without torch.use_deterministic_algorithms or enable_op_determinism
also repeat bit for bit (the `*_seed_only` rows): the determinism flags cannot be shown to matter
here, so the live tests break the seed instead. The Keras program is not broken live (two more
TensorFlow processes): its `keras_no_seed` row, which tests/test_snippets.py recomputes on every run
of repro_runs.py, already shows that the comparison sees runs that differ."""

import json
import math

import pytest

from pvt.pipeline import results

STORE = results.STORE


def stored(name):
    return json.loads((STORE / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.fast
def test_stored_reruns_are_bit_identical_with_a_seed_and_differ_at_every_step_without():
    data = stored("repro_runs_check")
    for framework in ("torch", "keras"):
        assert data[f"{framework}_seed_deterministic"]["measured"] == 0.0
        assert data[f"{framework}_seed_only"]["measured"] == 0.0  # the page says so for this CPU
        assert data[f"{framework}_no_seed"]["measured"] == 12.0  # every one of the 12 steps


@pytest.mark.fast
def test_stored_naive_gradients_are_nan_and_the_custom_ones_exact():
    for name in ("custom_grad_torch_check", "custom_grad_keras_check"):
        data = stored(name)
        assert math.isnan(data["naive"]["measured"]), data
        assert data["custom"]["measured"] == 0.0, data


@pytest.mark.fast
def test_the_comparison_of_runs_is_bit_for_bit():
    import repro_runs  # the standard library only: importing it starts no run

    assert repro_runs.differing([0.5, 1.0, 2.0], [0.5, 1.0, 2.0]) == 0
    assert repro_runs.differing([0.5, 1.0, 2.0], [0.5, math.nextafter(1.0, 2.0), 2.0]) == 1  # one ulp apart
    with pytest.raises(ValueError):
        repro_runs.differing([0.5, 1.0], [0.5])  # runs of different lengths are an error, not a match


# Live runs: they import torch and TensorFlow, or start them in fresh processes.

@pytest.mark.bench  # two PyTorch processes
def test_the_pytorch_program_without_its_seed_repeats_no_step(tmp_path):
    import repro_runs

    source = repro_runs.PROGRAMS["PyTorch"].read_text(encoding="utf-8")
    broken = source.replace("        torch.manual_seed(seed)", "        pass")
    assert broken != source
    program = tmp_path / "repro_torch_unseeded.py"
    program.write_text(broken, encoding="utf-8")
    first, second = repro_runs.two_runs(program)
    assert sorted(first) == ["no seed", "seed + deterministic", "seed only"]
    for setting, losses in first.items():
        assert repro_runs.differing(losses, second[setting]) == len(losses), setting


@pytest.mark.bench
def test_the_custom_function_gives_one_and_the_unstable_forms_give_nan():
    import torch

    import custom_grad_torch as cg

    assert cg.value_and_grad(cg.Log1pExp.apply)[1] == 1.0
    assert math.isnan(cg.value_and_grad(cg.naive)[1])

    class Unstable(cg.Log1pExp):  # the same derivative written as eˣ / (1 + eˣ): inf / inf at x = 100
        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * torch.exp(x) / (1 + torch.exp(x))

    assert math.isnan(cg.value_and_grad(Unstable.apply)[1])


@pytest.mark.bench
def test_gradcheck_rejects_a_wrong_backward():
    import torch

    import custom_grad_torch as cg

    class Wrong(cg.Log1pExp):  # σ(−x) instead of σ(x)
        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output / (1 + torch.exp(x))

    assert cg.passed
    assert not torch.autograd.gradcheck(Wrong.apply, (cg.x64,), raise_exception=False)


@pytest.mark.bench
def test_the_tf_custom_gradient_gives_one_and_the_unstable_form_gives_nan():
    import tensorflow as tf

    import custom_grad_keras as cg

    assert cg.value_and_grad(cg.log1pexp)[1] == 1.0
    assert math.isnan(cg.value_and_grad(cg.naive)[1])

    @tf.custom_gradient
    def unstable(x):
        e = tf.exp(x)
        return tf.math.log(1 + e), lambda upstream: upstream * e / (1 + e)

    assert math.isnan(cg.value_and_grad(unstable)[1])


@pytest.mark.bench
def test_without_autocast_pytorch_computes_in_float32():
    import numpy as np
    import torch

    import amp_torch

    assert amp_torch.out_dtype == torch.bfloat16 and amp_torch.rel <= amp_torch.TOL
    losses, out_dtype, param_dtypes = amp_torch.train(bf16=False)
    assert out_dtype == torch.float32 and param_dtypes == {torch.float32}
    assert np.array_equal(losses, amp_torch.f32)  # the bfloat16 run above really differed from this one
    assert amp_torch.rel > 0.0


@pytest.mark.bench
def test_without_the_policy_keras_computes_in_float32_and_the_policy_is_restored(monkeypatch):
    import keras

    import amp_keras

    assert amp_keras.out_dtype == "bfloat16" and amp_keras.rel <= amp_keras.TOL
    assert amp_keras.train("float32")[1] == "float32"
    assert amp_keras.rel > 0.0
    assert keras.mixed_precision.global_policy().name == "float32"

    def fail(*args, **kwargs):
        raise RuntimeError("building failed")

    monkeypatch.setattr(keras, "Sequential", fail)
    with pytest.raises(RuntimeError):
        amp_keras.build("mixed_bfloat16")
    assert keras.mixed_precision.global_policy().name == "float32"  # the finally block ran


@pytest.mark.bench
def test_mismatched_batching_or_dropping_with_shuffling_changes_the_epoch():
    import data_order as d

    assert d.checks["keep_last"] == d.checks["drop_last"] == d.checks["epoch_1"] == d.checks["epoch_2"] == 0
    assert d.order_check(drop_last=False, drop_remainder=True)[0] == 1  # the other mismatch
    shuffled = d.torch_epochs(d.x, d.y, d.BATCH, shuffle=True, drop_last=False)[0]
    unshuffled = d.tf_epochs(d.x, d.y, d.BATCH, shuffle=False, drop_remainder=False)[0]
    assert d.samples(shuffled) == d.samples(unshuffled)  # the same multiset ...
    assert d.differing_batches(shuffled, unshuffled) > 0  # ... in other batches
    # With shuffling, drop_last drops other samples in each pipeline: the epochs' multisets differ.
    a = d.torch_epochs(d.x, d.y, d.BATCH, shuffle=True, drop_last=True)[0]
    b = d.tf_epochs(d.x, d.y, d.BATCH, shuffle=True, drop_remainder=True)[0]
    assert d.samples(a) != d.samples(b)
