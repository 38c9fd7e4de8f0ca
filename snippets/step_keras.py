"""The Keras side of the training-step page: the same MLP with PyTorch's initial weights
copied in (each Linear weight transposed), trained on the same data with `model.fit` and with a
`tf.GradientTape` loop. Definitions only, it prints nothing: step_loss.py runs and compares both
sides (jobs `step_loss`, `step_loss_check`)."""

# --8<-- [start:code]
import keras
import tensorflow as tf

from port_helpers import torch_to_keras  # 权重迁移一页的规则 / the rules of the porting-weights page
from step_torch import LR, STEPS, torch_mlp, x, y


def keras_mlp():
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="tanh"),
                              keras.layers.Dense(16, activation="tanh"), keras.layers.Dense(1)])
    torch_to_keras(torch_mlp().state_dict(), model)  # 转置每个 Linear 的权重 / transposes each Linear weight
    return model


def optimizer(name, **options):  # options：例如 epsilon=1e-8 / e.g. epsilon=1e-8
    return {"sgd": keras.optimizers.SGD, "adam": keras.optimizers.Adam}[name](learning_rate=LR[name], **options)


def train_fit(name="sgd", steps=STEPS, batch_size=None, **options):  # 默认整批：每轮一步 / default: one step per epoch
    model = keras_mlp()
    model.compile(optimizer=optimizer(name, **options), loss=keras.losses.MeanSquaredError())
    history = model.fit(x, y, batch_size=batch_size or len(x), epochs=steps, shuffle=False, verbose=0)
    return history.history["loss"]  # 每轮各批次损失的均值 / per epoch, the mean loss of its batches


def train_tape(name="sgd", steps=STEPS, **options):
    model, opt = keras_mlp(), optimizer(name, **options)
    loss_fn = keras.losses.MeanSquaredError()
    losses = []
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))  # (目标, 预测) / (target, prediction)
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        losses.append(float(loss))  # 本步更新之前的损失 / the loss before this step's update
    return losses
# --8<-- [end:code]
