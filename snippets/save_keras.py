"""Save and load in Keras 3: the native .keras file and save_weights reload bit for bit. Run
alone it prints both (job `save_keras`); `results()` gives the check (job `save_keras_check`)."""

# --8<-- [start:code]
import tempfile

import keras
import numpy as np

from port_models_keras import keras_cnn  # 权重迁移一页的 CNN / the CNN of the porting-weights page

keras.utils.set_random_seed(0)
model, x = keras_cnn(), np.random.default_rng(0).standard_normal((16, 8, 8, 3)).astype("float32")
model(x, training=True)  # 更新 BatchNorm 的统计量 / updates BatchNorm's statistics


def max_diff(a, b):
    return float(np.abs(keras.ops.convert_to_numpy(a(x) - b(x))).max())


with tempfile.TemporaryDirectory() as folder:
    model.save(f"{folder}/cnn.keras")  # 结构、权重和编译设置 / architecture, weights, compile settings
    whole = max_diff(model, keras.models.load_model(f"{folder}/cnn.keras"))
    model.save_weights(f"{folder}/cnn.weights.h5")  # 只有权重 / weights only
    again = keras_cnn()
    again.load_weights(f"{folder}/cnn.weights.h5")
    weights = max_diff(model, again)
print(f".keras reloaded:     max |Δ| = {whole} ≤ 0: {whole == 0}")
print(f"save_weights reload: max |Δ| = {weights} ≤ 0: {weights == 0}")
# --8<-- [end:code]


def results():
    compared = "CNN outputs (16, 10) in inference mode before saving and after loading"
    return {"keras_file_reload": {"measured": whole, "tolerance": 0.0, "compared": compared},
            "save_weights_reload": {"measured": weights, "tolerance": 0.0, "compared": compared}}
