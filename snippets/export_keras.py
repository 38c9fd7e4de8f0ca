"""Export for deployment in Keras 3: model.export to a TensorFlow SavedModel, reloaded with
tf.saved_model.load and called through its `serve` endpoint; against the Keras model. Run alone
it prints the check (job `export_keras`); `results()` gives the value (job `export_keras_check`)."""

# --8<-- [start:code]
import tempfile

import keras
import numpy as np
import tensorflow as tf

from port_models_keras import keras_cnn  # 权重迁移一页的 CNN / the CNN of the porting-weights page

TOL = 1e-5
keras.utils.set_random_seed(0)
model, x = keras_cnn(), np.random.default_rng(0).standard_normal((16, 8, 8, 3)).astype("float32")
model(x, training=True)  # 更新 BatchNorm 的统计量 / updates BatchNorm's statistics
eager = keras.ops.convert_to_numpy(model(x, training=False))

with tempfile.TemporaryDirectory() as folder:
    model.export(f"{folder}/cnn", format="tf_saved_model", verbose=False)
    reloaded = tf.saved_model.load(f"{folder}/cnn")  # 不需要 Keras / no Keras needed
    served = reloaded.serve(x).numpy()

diff = float(np.abs(served - eager).max())
print(f"SavedModel serve: max |Δ| = {diff:.1e} ≤ {TOL:.0e}: {diff <= TOL}")
# --8<-- [end:code]


def results():
    return {"saved_model_serve": {"measured": diff, "tolerance": TOL,
                                  "compared": "CNN outputs (16, 10): the reloaded SavedModel's serve() against the "
                                              "Keras model in inference mode on the same input"}}
