"""The Keras side of the cosine learning-rate schedule: CosineDecay advances with the optimizer's
step count, towards the floor initial_learning_rate * alpha (alpha is a fraction); the learning rate
each optimizer step applies is read off the update of a variable whose gradient is 1. Definitions
only, nothing printed: schedule_check.py imports them (jobs `schedule_check` and
`schedule_check_data`)."""

# --8<-- [start:code]
import keras
import numpy as np

LR, ALPHA = 0.1, 0.01  # alpha 是初始学习率的比例：下限 = LR * ALPHA / alpha is a fraction: floor = LR * ALPHA
STEPS = 100  # 优化器步数 / optimizer steps


def keras_lrs(steps=STEPS, decay_steps=STEPS, alpha=ALPHA):
    """每个优化器步实际用的学习率 / the rate each optimizer step applies"""
    schedule = keras.optimizers.schedules.CosineDecay(LR, decay_steps, alpha=alpha)
    optimizer = keras.optimizers.SGD(learning_rate=schedule)  # 每步按已走的步数取值 / read at the step count
    w = keras.Variable(np.zeros(1, "float32"))
    used = []
    for _ in range(steps):
        w.assign(np.zeros(1, "float32"))
        optimizer.apply_gradients([(np.ones(1, "float32"), w)])  # 梯度为 1 / gradient 1
        used.append(-float(np.asarray(w)[0]))
    return used
# --8<-- [end:code]
