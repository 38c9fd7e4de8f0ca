"""The same Keras model on two backends: one process with KERAS_BACKEND=tensorflow builds it and
saves its weights, another with KERAS_BACKEND=torch loads them; both predict the same input, and
the torch one then trains from a torch DataLoader. Run alone it prints the check (job
`keras_backends`); `results()` gives the values (job `keras_backends_check`)."""

# --8<-- [start:code]
import os
import subprocess
import sys
import tempfile

import numpy as np

TOL = 1e-6
MODEL = """
import sys
import numpy as np
import keras

keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(3)])
weights, out = sys.argv[1], sys.argv[2]
if keras.backend.backend() == "tensorflow":
    model.save_weights(weights)  # 张量按 Keras 的名字保存 / saved under Keras's names
else:
    model.load_weights(weights)
x = np.linspace(-1, 1, 32, dtype="float32").reshape(4, 8)
np.save(out, keras.ops.convert_to_numpy(model(x)))
print(keras.backend.backend(), "backend:", type(model.layers[0].kernel.value).__module__)
if keras.backend.backend() == "torch":  # 在 torch 后端上，fit 接受 DataLoader / fit takes a DataLoader
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    data = TensorDataset(torch.from_numpy(x), torch.zeros(4, 3))
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(DataLoader(data, batch_size=2), epochs=1, verbose=0)
    print("trained from a DataLoader:", len(history.history["loss"]), "epoch")
"""

with tempfile.TemporaryDirectory() as folder:
    outputs = {}
    for backend in ("tensorflow", "torch"):  # 各在一个新进程里 / each in a fresh process
        env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "2"}
        run = subprocess.run([sys.executable, "-c", MODEL, f"{folder}/mlp.weights.h5", f"{folder}/{backend}.npy"],
                             env=env, capture_output=True, text=True, check=True, timeout=300)
        print(run.stdout, end="")
        outputs[backend] = np.load(f"{folder}/{backend}.npy")
diff = float(np.abs(outputs["torch"] - outputs["tensorflow"]).max())
print(f"same weights, two backends: max |Δ| = {diff:.1e} ≤ {TOL:.0e}: {diff <= TOL}")
# --8<-- [end:code]


def results():
    return {"backends": {"measured": diff, "tolerance": TOL,
                        "compared": "outputs (4, 3) of one Keras MLP run with KERAS_BACKEND=tensorflow and, "
                                    "from the weights it saved, with KERAS_BACKEND=torch"}}
