"""The benchmark's workloads: the same three models, written once for each framework.

`scripts/bench` times these builders and training steps under every configuration;
run alone, this file prints each workload's batch size and parameter count
(snippets/bench_flops.py counts their floating-point operations). Nothing imports torch or TensorFlow until a builder for it is called, so a
process timing one framework never loads the other.
"""

# --8<-- [start:code]
import numpy as np

SEED = 0
LR = 0.01  # 普通 SGD 的学习率 / plain SGD learning rate, all workloads
BATCH = {"linreg": 4, "mlp": 128, "cnn": 64}
EPOCHS = 100  # 文中线性回归的轮数 / the article's linear-regression epochs


# 数据：每个工作负载一批（线性回归是文中的四个点，其余为固定种子的随机数）
# data: one batch per workload (the article's four points; seeded random data otherwise)
def make_batch(workload, n_batches=1, channels_first=False):
    if workload == "linreg":
        x = np.tile(np.arange(1, 5, dtype=np.float32).reshape(4, 1), (n_batches, 1))
        return x, x - 1.0
    rng = np.random.default_rng(SEED)
    n = BATCH[workload] * n_batches
    shape = (n, 784) if workload == "mlp" else (n, 28, 28, 1)
    x = rng.standard_normal(shape, dtype=np.float32)
    y = rng.integers(0, 10, size=n).astype(np.int64)
    if channels_first and workload == "cnn":  # PyTorch 的卷积用 NCHW / PyTorch convs use NCHW
        x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    return x, y


# PyTorch 模型与损失 / PyTorch models and losses
def torch_model(workload):
    import torch
    from torch import nn

    torch.manual_seed(SEED)
    if workload == "linreg":
        return nn.Linear(1, 1)
    if workload == "mlp":
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 10),
    )


def torch_loss(workload):
    from torch import nn

    return nn.MSELoss() if workload == "linreg" else nn.CrossEntropyLoss()


def torch_train_step(model, loss_fn, optimizer, x, y):
    """One full-batch SGD update, the loop body every PyTorch tutorial writes."""
    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss
    return step


# TensorFlow / Keras 模型与损失 / TensorFlow / Keras models and losses
def keras_model(workload):
    import keras
    from keras import layers

    keras.utils.set_random_seed(SEED)
    if workload == "linreg":
        return keras.Sequential([keras.Input((1,)), layers.Dense(1)])
    if workload == "mlp":
        return keras.Sequential([keras.Input((784,)), layers.Dense(256, activation="relu"),
                                 layers.Dense(10)])
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Flatten(), layers.Dense(10),
    ])


def keras_loss(workload):
    import keras

    if workload == "linreg":
        return keras.losses.MeanSquaredError()
    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def tf_train_step(model, loss_fn, optimizer):
    """The same update with a GradientTape; wrap it in tf.function to build a graph."""
    import tensorflow as tf

    def step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss
    return step


# 参数个数（按层手算，测试会与两个框架各自的计数核对）
# parameters per layer, by hand (the tests check them against both frameworks' own counts)
LAYERS = {
    "linreg": [1 * 1 + 1],
    "mlp": [784 * 256 + 256, 256 * 10 + 10],
    "cnn": [3 * 3 * 1 * 32 + 32, 3 * 3 * 32 * 64 + 64, 5 * 5 * 64 * 10 + 10],
}


def parameters(workload):
    return sum(LAYERS[workload])


# 浮点运算由 PyTorch 的 FlopCounterMode 计数：它数的是 autograd 真正做的运算，
# 例如第一层不需要对输入求梯度。
# FLOPs are counted by PyTorch's FlopCounterMode: it counts what autograd really computes
# (for example, no gradient with respect to the first layer's input).
def torch_flops(workload):
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    model = torch_model(workload)
    x, y = (torch.from_numpy(a) for a in make_batch(workload, channels_first=True))
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    step = torch_train_step(model, torch_loss(workload), optimizer, x, y)
    with FlopCounterMode(display=False) as train:
        step()
    with torch.no_grad(), FlopCounterMode(display=False) as infer:
        model(x)
    return {"train": train.get_total_flops(), "infer": infer.get_total_flops()}


for name in BATCH:
    print(f"{name:6s} batch {BATCH[name]:3d}  parameters {parameters(name):7,d}")
# --8<-- [end:code]
