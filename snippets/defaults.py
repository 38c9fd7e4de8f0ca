"""The defaults that differ between PyTorch and Keras, read from the installed packages: function
signatures, freshly built layers, their source and docstrings, and one BatchNorm update measured.
`results()` stores them (job `defaults`); pvt/render.py writes the table the page includes."""

# --8<-- [start:code]
import inspect
import re

import keras
import numpy as np
import torch
from torch import nn


def default(fn, name):
    param = inspect.signature(fn).parameters.get(name)
    if param is None:
        return "absent"  # 没有这个参数 / no such argument
    return "required" if param.default is inspect.Parameter.empty else param.default


def init_in_source(cls):  # PyTorch 在 reset_parameters 里初始化 / PyTorch initializes in reset_parameters
    source = inspect.getsource(cls.reset_parameters)
    calls = re.findall(r"init\.(\w+_)\(self\.(weight|bias),?\s*(.*)\)\s*$", source, re.M)
    return {name: f"{fn}({args})" for fn, name, args in calls}


def batch_weight():  # 一次训练前向后滑动均值里新批次的权重 / weight of the batch mean in the running mean
    x = np.full((4, 2, 2, 3), 2.0, dtype="float32")  # 批均值为 2 / batch mean 2
    t = nn.BatchNorm2d(3).train()
    t(torch.from_numpy(x.transpose(0, 3, 1, 2)))
    k = keras.layers.BatchNormalization()
    k(x, training=True)
    return float(t.running_mean[0]) / 2, float(keras.ops.convert_to_numpy(k.moving_mean)[0]) / 2


def doc_line(obj, pattern):
    return re.search(pattern, inspect.getdoc(obj)).group(0).strip()


def read_defaults():
    bn_torch, bn_keras = nn.BatchNorm2d(3), keras.layers.BatchNormalization()
    dense, conv = keras.layers.Dense(2), keras.layers.Conv2D(2, 3)
    channels_axis = nn.Conv2d(3, 2, 1)(torch.zeros(1, 3, 5, 7)).shape.index(2)  # 通道所在的轴 / the channels' axis
    return {
        "adam_eps": (default(torch.optim.Adam, "eps"), keras.optimizers.Adam().epsilon),
        "adam_weight_decay": (default(torch.optim.Adam, "weight_decay"), keras.optimizers.Adam().weight_decay),
        "adamw_eps": (default(torch.optim.AdamW, "eps"), keras.optimizers.AdamW().epsilon),
        "adamw_weight_decay": (default(torch.optim.AdamW, "weight_decay"), keras.optimizers.AdamW().weight_decay),
        "bn_momentum": (bn_torch.momentum, bn_keras.momentum),
        "bn_batch_weight": batch_weight(),
        "bn_eps": (bn_torch.eps, bn_keras.epsilon),
        "dense_kernel_init": (init_in_source(nn.Linear)["weight"], type(dense.kernel_initializer).__name__),
        "dense_bias_init": (init_in_source(nn.Linear)["bias"], type(dense.bias_initializer).__name__),
        "conv_kernel_init": (init_in_source(nn.Conv2d)["weight"], type(conv.kernel_initializer).__name__),
        "data_layout": ("channels_first" if channels_axis == 1 else "channels_last",
                        keras.config.image_data_format()),
        "loss_arguments": (", ".join(list(inspect.signature(nn.CrossEntropyLoss.forward).parameters)[1:]),
                           ", ".join(list(inspect.signature(keras.losses.Loss.__call__).parameters)[1:3])),
        "from_logits": (default(nn.CrossEntropyLoss, "from_logits"),
                        default(keras.losses.SparseCategoricalCrossentropy, "from_logits")),
        "dropout_argument": (next(iter(inspect.signature(nn.Dropout).parameters)),
                             next(iter(inspect.signature(keras.layers.Dropout).parameters))),
        "dropout_default": (default(nn.Dropout, "p"), default(keras.layers.Dropout, "rate")),
        "dropout_meaning": (doc_line(nn.Dropout, r"probability of an element to be zeroed[^.]*"),
                            doc_line(keras.layers.Dropout, r"Fraction of the input units to drop[^.]*")),
    }

# --8<-- [end:code]


def results():
    return {key: {"pytorch": pt, "keras": k} for key, (pt, k) in read_defaults().items()}
