"""The Keras side of gradient clipping: one SGD step of model.train_on_batch with an optimizer that
clips by the global norm of all gradients (global_clipnorm) or, the trap, each variable's gradient
on its own (clipnorm). Definitions only, nothing printed: clip_check.py imports them (jobs
`clip_check` and `clip_check_data`)."""

# --8<-- [start:code]
import keras

MAX_NORM = 1.0  # 梯度范数的上限 / the cap on the gradient norm
LR = 0.1


def keras_step(model, x, y, per_variable=False):
    """一步 SGD，由优化器裁剪梯度 / one SGD step; the optimizer clips the gradients"""
    if per_variable:  # clipnorm：每个变量的梯度各自裁剪 / clipnorm: each variable's gradient on its own
        optimizer = keras.optimizers.SGD(learning_rate=LR, clipnorm=MAX_NORM)
    else:  # global_clipnorm：所有梯度一起按全局范数裁剪 / global_clipnorm: all gradients by their global norm
        optimizer = keras.optimizers.SGD(learning_rate=LR, global_clipnorm=MAX_NORM)
    model.compile(optimizer=optimizer, loss="mse")
    model.train_on_batch(x, y)
# --8<-- [end:code]
