"""Three facts about Keras 3 `fit` that the article's TensorFlow listing relies on."""

# --8<-- [start:code]
import contextlib
import io

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
print("default SGD learning rate:", round(float(tf.keras.optimizers.get("sgd").learning_rate), 6))

model = tf.keras.Sequential([tf.keras.Input(shape=(1,)), tf.keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mean_squared_error")
x = np.array([[1.0], [2.0], [3.0], [4.0]])
y = x - 1.0

steps = []
count = tf.keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: steps.append(batch))
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    model.fit(x, y, epochs=3, verbose=0, callbacks=[count])
print("characters printed by fit(verbose=0):", len(printed.getvalue()))
print("training steps per epoch (4 samples, default batch size):", len(steps) // 3)
# --8<-- [end:code]
