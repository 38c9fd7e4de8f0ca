"""The layer check of the training-step page. BatchNorm: with PyTorch's momentum set to one
minus Keras's and the same epsilon, training-mode passes give the same outputs and the same
running means, while the running variances follow two different updates: PyTorch averages the
unbiased batch variance, Keras the population variance, so the part each added is in the ratio
n/(n−1). Dropout: both arguments are the probability of dropping; kept units are scaled by
1/(1−p) in training, and inference returns the input unchanged. Run alone it prints the check
(job `step_layers`); `results()` gives the measured values and tolerances (job `step_layers_check`)."""

# --8<-- [start:code]
import keras
import numpy as np
import torch
from torch import nn

TOL = 1e-6  # float32 的舍入，数值约为 1 / float32 rounding of values near 1
KERAS_MOMENTUM, EPS, N = 0.9, 1e-3, 4  # 每批 N 个样本 / N samples per batch
rng = np.random.default_rng(0)
batches = [rng.normal(2.0, 1.5, size=(N, 3)).astype(np.float32) for _ in range(3)]


def batchnorm(torch_momentum=1 - KERAS_MOMENTUM, torch_eps=EPS):
    """三个批次的训练模式前向传播 / training-mode passes over three batches."""
    bn_torch = nn.BatchNorm1d(3, momentum=torch_momentum, eps=torch_eps)  # 新建时即为训练模式 / training mode
    bn_keras = keras.layers.BatchNormalization(momentum=KERAS_MOMENTUM, epsilon=EPS)
    outputs = 0.0
    for b in batches:
        ours = bn_torch(torch.from_numpy(b)).detach().numpy()
        theirs = keras.ops.convert_to_numpy(bn_keras(b, training=True))
        outputs = max(outputs, float(np.abs(ours - theirs).max()))
    stats = [s.numpy() for s in (bn_torch.running_mean, bn_torch.running_var)]
    return outputs, stats, [v.numpy() for v in (bn_keras.moving_mean, bn_keras.moving_variance)]


outputs, (mean_t, var_t), (mean_k, var_k) = batchnorm()
left = KERAS_MOMENTUM ** len(batches)  # 初始方差 1 留下的权重 / weight left on the initial variance 1
checks = {  # 名称：(说明, 实测, 容差) / name: (label, measured, tolerance)
    "bn_outputs": ("BatchNorm outputs, training mode", outputs, TOL),
    "bn_running_mean": ("running_mean vs moving_mean", float(np.abs(mean_t - mean_k).max()), TOL),
    "bn_running_var": ("running_var − m³ vs n/(n−1) · (moving_variance − m³)",
                       float(np.abs((var_t - left) - N / (N - 1) * (var_k - left)).max()), TOL),
    "bn_momentum_copied": ("running_mean, PyTorch momentum=m copied as is", float(np.abs(
        batchnorm(torch_momentum=KERAS_MOMENTUM)[1][0] - mean_k).max()), TOL),
}
print(f"BatchNorm: Keras momentum m = {KERAS_MOMENTUM}, PyTorch momentum 1 − m, eps = epsilon = {EPS}, "
      f"{len(batches)} batches of n = {N}")
print(f"running_var / moving_variance = {np.round(var_t / var_k, 4)}; n/(n−1) = {N / (N - 1):.4f}")

P = 0.25
ones, x = np.ones((1000, 100), np.float32), rng.standard_normal((1000, 100)).astype(np.float32)
torch.manual_seed(0)


def dropout(torch_p=P, keras_rate=P):
    """训练模式与推断模式的输出 / outputs in training mode and in inference mode."""
    drop_torch, drop_keras = nn.Dropout(p=torch_p), keras.layers.Dropout(rate=keras_rate, seed=0)
    trained = {"PyTorch": drop_torch(torch.from_numpy(ones)).numpy(),
               "Keras": keras.ops.convert_to_numpy(drop_keras(ones, training=True))}
    inferred = {"PyTorch": drop_torch.eval()(torch.from_numpy(x)).numpy(),
                "Keras": keras.ops.convert_to_numpy(drop_keras(x, training=False))}
    return trained, inferred


trained, inferred = dropout()
for side, out in trained.items():
    kept = out[out != 0]  # 保留下来的单元 / the units kept
    checks[f"dropout_scale_{side.lower()}"] = (f"Dropout, {side}: kept units vs 1/(1−p)",
                                                float(np.abs(kept - np.float32(1 / (1 - P))).max()), 0.0)
for side, out in inferred.items():
    checks[f"dropout_inference_{side.lower()}"] = (f"Dropout, {side}: inference output vs input",
                                                    float(np.abs(out - x).max()), 0.0)
for label, d, tol in checks.values():
    print(f"{label:52} max |Δ| = {d:.1e} ≤ {tol:g}: {d <= tol}")
print(f"p = {P}: share of zeros in training mode, PyTorch {(trained['PyTorch'] == 0).mean():.4f}, "
      f"Keras {(trained['Keras'] == 0).mean():.4f}")
# --8<-- [end:code]


def results():
    bn = "nn.BatchNorm1d(momentum=0.1, eps=1e-3) vs BatchNormalization(momentum=0.9, epsilon=1e-3)"
    compared = {
        "bn_outputs": f"training-mode outputs over three batches of 4 × 3, {bn}",
        "bn_running_mean": f"running means after three training-mode batches of 4 × 3, {bn}",
        "bn_running_var": f"running variances after three batches of n = 4: running_var − 0.9³ vs "
                          f"n/(n−1) · (moving_variance − 0.9³), {bn}",
        "bn_momentum_copied": "running means after the same batches with nn.BatchNorm1d(momentum=0.9), "
                              "Keras's number copied, vs BatchNormalization(momentum=0.9)",
        "dropout_scale_pytorch": "every kept unit of nn.Dropout(p=0.25) on 10⁵ ones, training mode,"
                                 " vs float32(1/(1−p))",
        "dropout_scale_keras": "every kept unit of Dropout(rate=0.25) on 10⁵ ones, training=True,"
                               " vs float32(1/(1−p))",
        "dropout_inference_pytorch": "nn.Dropout(p=0.25) in eval mode on 10⁵ normal values vs the input",
        "dropout_inference_keras": "Dropout(rate=0.25) with training=False on 10⁵ normal values vs the input",
    }
    return {name: {"measured": d, "tolerance": tol, "compared": compared[name]}
            for name, (_, d, tol) in checks.items()}
