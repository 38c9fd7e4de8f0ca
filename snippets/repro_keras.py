"""The Keras program of the reproducibility check: a short training with dropout and a shuffled
tf.data pipeline, run three times in one process (no random seed, a seed only, a seed and
tf.config.experimental.enable_op_determinism), printing every step's loss as JSON. Its output
changes from run to run (the first training has no seed), so it has no job of its own:
repro_runs.py starts it twice, each time in a fresh process, and compares the losses (jobs
`repro_runs`, `repro_runs_check`)."""

# --8<-- [start:code]
import json

import keras
import numpy as np
import tensorflow as tf

data = np.random.default_rng(0)  # 数据固定，与种子无关 / fixed data, independent of any seed
X = data.standard_normal((96, 8)).astype(np.float32)
Y = X @ data.standard_normal((8, 1)).astype(np.float32)


def train(seed=None):
    """两轮，每轮 6 步；返回每一步的损失 / two epochs of 6 steps; returns every step's loss"""
    if seed is not None:
        keras.utils.set_random_seed(seed)  # Python、NumPy、TensorFlow 和 Keras 的种子 / all four at once
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dropout(0.5), keras.layers.Dense(1)])
    dataset = tf.data.Dataset.from_tensor_slices((X, Y)).shuffle(96).batch(16)
    optimizer = keras.optimizers.SGD(learning_rate=0.05)
    mse = keras.losses.MeanSquaredError()
    losses = []
    for _ in range(2):
        for x, y in dataset:
            with tf.GradientTape() as tape:
                loss = mse(y, model(x, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            losses.append(float(loss))
    return losses


runs = {"no seed": train()}  # 必须最先运行：此前没有设过种子 / must come first, before any seed is set
runs["seed only"] = train(seed=0)
tf.config.experimental.enable_op_determinism()  # 没有确定性实现的算子会报错 / ops without one raise an error
runs["seed + deterministic"] = train(seed=0)
print(json.dumps(runs))
# --8<-- [end:code]
