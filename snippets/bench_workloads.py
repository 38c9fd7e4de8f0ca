"""The benchmark's models, written once for each framework: the article's linear regression,
an MLP, a small CNN, a ResNet-18 for 32x32 images and a Transformer encoder layer.

`pvt/bench` times these builders and training steps under every configuration; run
alone, this file prints each workload's batch size and parameter count
(snippets/bench_flops.py counts their floating-point operations). Nothing imports torch or
TensorFlow until a builder for it is called, so a process timing one framework never loads
the other.
"""

# --8<-- [start:code]
import numpy as np

SEED = 0
LR = 0.01  # 普通 SGD 的学习率 / plain SGD learning rate, all workloads
BATCH = {"linreg": 4, "mlp": 128, "cnn": 64, "resnet": 16, "transformer": 16}
# ResNet-18 每个残差块的 (通道, 步长) / (channels, stride) of each ResNet-18 block
RESNET = [(64, 1), (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1)]
SEQ, D_MODEL, HEADS, D_FF = 128, 256, 4, 1024  # Transformer 编码层 / encoder layer
EPOCHS = 100  # 原文线性回归的轮数 / the article's linear-regression epochs


# 数据：每个工作负载一批（线性回归是原文的四个点，其余为固定种子的随机数）
# data: one batch per workload (the article's four points; seeded random data otherwise)
def make_batch(workload, n_batches=1, channels_first=False):
    if workload == "linreg":
        x = np.tile(np.arange(1, 5, dtype=np.float32).reshape(4, 1), (n_batches, 1))
        return x, x - 1.0
    rng = np.random.default_rng(SEED)
    n = BATCH[workload] * n_batches
    if workload == "transformer":  # 回归到随机目标 / regression onto a random target
        return (rng.standard_normal((n, SEQ, D_MODEL), dtype=np.float32),
                rng.standard_normal((n, SEQ, D_MODEL), dtype=np.float32))
    shape = {"mlp": (n, 784), "cnn": (n, 28, 28, 1), "resnet": (n, 32, 32, 3)}[workload]
    x = rng.standard_normal(shape, dtype=np.float32)
    y = rng.integers(0, 10, size=n).astype(np.int64)
    if channels_first and x.ndim == 4:  # PyTorch 的卷积用 NCHW / PyTorch convs use NCHW
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
    if workload == "resnet":
        return torch_resnet()
    if workload == "transformer":  # 后归一化，与 Keras 版相同 / post-norm, as the Keras layer
        return nn.TransformerEncoderLayer(D_MODEL, HEADS, D_FF, dropout=0.0, batch_first=True)
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 10),
    )


def torch_resnet():
    """ResNet-18（32×32 图像）：3×3 起始卷积，没有最大池化，四个阶段，每个阶段两个基本块。
    ResNet-18 for 32×32 images: a 3×3 stem, no max-pool, four stages of two basic blocks.
    """
    import torch
    from torch import nn

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.down = None if (cin, stride) == (cout, 1) else nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

        def forward(self, x):
            out = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
            return torch.relu(out + (x if self.down is None else self.down(x)))

    layers, cin = [nn.Conv2d(3, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU()], 64
    for cout, stride in RESNET:
        layers.append(Block(cin, cout, stride))
        cin = cout
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 10))


def torch_loss(workload):
    from torch import nn

    return nn.MSELoss() if workload in ("linreg", "transformer") else nn.CrossEntropyLoss()


def torch_train_step(model, loss_fn, optimizer, x, y):
    """一次全批量 SGD 更新，即 PyTorch 教程里写的循环体。
    One full-batch SGD update: the loop body that PyTorch's tutorials write.
    """
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
    if workload == "resnet":
        return keras_resnet()
    if workload == "transformer":
        return keras_transformer()
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Flatten(), layers.Dense(10),
    ])


def keras_resnet():
    """同一个 ResNet-18；BatchNormalization 使用 PyTorch 的 momentum 与 epsilon。
    The same ResNet-18; BatchNormalization with PyTorch's momentum and epsilon.
    """
    import keras
    from keras import layers

    def bn():
        return layers.BatchNormalization(momentum=0.9, epsilon=1e-5)

    def block(x, cout, stride):
        out = layers.ReLU()(bn()(layers.Conv2D(cout, 3, stride, padding="same", use_bias=False)(x)))
        out = bn()(layers.Conv2D(cout, 3, 1, padding="same", use_bias=False)(out))
        if (x.shape[-1], stride) != (cout, 1):
            x = bn()(layers.Conv2D(cout, 1, stride, use_bias=False)(x))
        return layers.ReLU()(layers.Add()([out, x]))

    inputs = keras.Input((32, 32, 3))
    x = layers.ReLU()(bn()(layers.Conv2D(64, 3, padding="same", use_bias=False)(inputs)))
    for cout, stride in RESNET:
        x = block(x, cout, stride)
    return keras.Model(inputs, layers.Dense(10)(layers.GlobalAveragePooling2D()(x)))


def keras_transformer():
    """同一个编码层：注意力，残差相加与归一化，前馈，残差相加与归一化。
    The same encoder layer: attention, add & norm, feed-forward, add & norm.
    """
    import keras
    from keras import layers

    inputs = keras.Input((SEQ, D_MODEL))
    attention = layers.MultiHeadAttention(HEADS, D_MODEL // HEADS)(inputs, inputs)
    x = layers.LayerNormalization(epsilon=1e-5)(layers.Add()([inputs, attention]))
    ff = layers.Dense(D_MODEL)(layers.Dense(D_FF, activation="relu")(x))
    return keras.Model(inputs, layers.LayerNormalization(epsilon=1e-5)(layers.Add()([x, ff])))


def keras_loss(workload):
    import keras

    if workload in ("linreg", "transformer"):
        return keras.losses.MeanSquaredError()
    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def tf_train_step(model, loss_fn, optimizer):
    """同一次更新，用 GradientTape 写；用 tf.function 包装它即可构建计算图。
    The same update with a GradientTape; wrap it in tf.function to build a graph.
    """
    import tensorflow as tf

    def step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss
    return step


# 参数量（按层手算，测试会与两个框架各自的计数核对）
# parameters per layer, by hand (the tests check them against both frameworks' own counts)
def resnet_layers():
    """ResNet 的卷积（无偏置）与批归一化（缩放与平移），然后是输出层。
    Convolutions (no bias) and batch norms (scale and shift) of the ResNet, then the head.
    """
    counts, cin = [3 * 3 * 3 * 64, 2 * 64], 64
    for cout, stride in RESNET:
        counts += [3 * 3 * cin * cout, 2 * cout, 3 * 3 * cout * cout, 2 * cout]
        if (cin, stride) != (cout, 1):
            counts += [cin * cout, 2 * cout]
        cin = cout
    return counts + [512 * 10 + 10]


LAYERS = {
    "linreg": [1 * 1 + 1],
    "mlp": [784 * 256 + 256, 256 * 10 + 10],
    "cnn": [3 * 3 * 1 * 32 + 32, 3 * 3 * 32 * 64 + 64, 5 * 5 * 64 * 10 + 10],
    "resnet": resnet_layers(),
    # Q、K、V 投影与输出投影，两层前馈，两个层归一化 / Q, K, V and output projections, the feed-forward, two norms
    "transformer": [3 * (D_MODEL * D_MODEL + D_MODEL), D_MODEL * D_MODEL + D_MODEL,
                    D_MODEL * D_FF + D_FF, D_FF * D_MODEL + D_MODEL, 2 * D_MODEL, 2 * D_MODEL],
}


def parameters(workload):
    return sum(LAYERS[workload])


# 浮点运算由 PyTorch 的 FlopCounterMode 计数：它数的是 autograd 真正做的运算，
# 例如第一层不需要对输入求梯度。CPU 上的注意力算子它没有公式，这里借用 GPU 版的公式
# （同样的 QKᵀ 与 AV 两次矩阵乘；反向重算 QKᵀ，另有四次乘法）。
# FLOPs are counted by PyTorch's FlopCounterMode: it counts what autograd really computes
# (for example, no gradient with respect to the first layer's input). It has no formula for
# the CPU attention operator, so the GPU one's is lent to it (the same QKᵀ and AV products;
# the backward pass recomputes QKᵀ and does four more).
def torch_flops(workload):
    import torch
    from torch.utils import flop_counter

    def attention(q, k, v, *args, out_shape=None, **kwargs):  # 参数是形状 / shapes
        return flop_counter.sdpa_flop_count(q, k, v)

    def attention_backward(grad_out, q, k, v, *args, out_shape=None, **kwargs):
        return flop_counter.sdpa_backward_flop_count(grad_out, q, k, v)

    aten = torch.ops.aten
    cpu_attention = {aten._scaled_dot_product_flash_attention_for_cpu: attention,
                     aten._scaled_dot_product_flash_attention_for_cpu_backward: attention_backward}
    model = torch_model(workload)
    x, y = (torch.from_numpy(a) for a in make_batch(workload, channels_first=True))
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    step = torch_train_step(model, torch_loss(workload), optimizer, x, y)
    with flop_counter.FlopCounterMode(display=False, custom_mapping=cpu_attention) as train:
        step()
    with torch.no_grad(), flop_counter.FlopCounterMode(display=False, custom_mapping=cpu_attention) as infer:
        model(x)
    return {"train": train.get_total_flops(), "infer": infer.get_total_flops()}


for name in BATCH:
    print(f"{name:11s} batch {BATCH[name]:3d}  parameters {parameters(name):10,d}")
# --8<-- [end:code]
