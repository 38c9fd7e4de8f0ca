"""Keras 3's model.export to LiteRT (.tflite), run in TensorFlow's LiteRT interpreter against the
Keras model, and to ONNX, which on the TensorFlow backend needs tf2onnx (not installed here: the
real error is printed). Run alone it prints the check (job `export_keras_other`); `results()` gives
the value (job `export_keras_other_check`)."""

# --8<-- [start:code]
import tempfile

import keras
import numpy as np
import tensorflow as tf

from port_models_keras import keras_cnn  # 权重迁移一页的 CNN / the CNN of the porting-weights page

TOL = 1e-5
keras.utils.set_random_seed(0)
model, x = keras_cnn(), np.random.default_rng(0).standard_normal((1, 8, 8, 3)).astype("float32")
model(x, training=True)  # 更新 BatchNorm 的统计量 / updates BatchNorm's statistics
eager = keras.ops.convert_to_numpy(model(x, training=False))

with tempfile.TemporaryDirectory() as folder:
    model.export(f"{folder}/cnn.tflite", format="litert", verbose=False)
    interpreter = tf.lite.Interpreter(model_path=f"{folder}/cnn.tflite")
    interpreter.allocate_tensors()
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
    interpreter.invoke()
    litert = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
    try:
        model.export(f"{folder}/cnn.onnx", format="onnx", verbose=False)
    except ImportError as error:  # TensorFlow 后端导出 ONNX 需要 tf2onnx / needs tf2onnx on this backend
        print("ONNX:", type(error).__name__, error)

diff = float(np.abs(litert - eager).max())
print(f"LiteRT (.tflite): max |Δ| = {diff:.1e} ≤ {TOL:.0e}: {diff <= TOL}")
# --8<-- [end:code]


def results():
    return {"litert": {"measured": diff, "tolerance": TOL,
                       "compared": "CNN outputs (1, 10): the exported .tflite model in tf.lite.Interpreter against "
                                   "the Keras model in inference mode on the same input"}}
