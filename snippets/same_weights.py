"""The two linear-regression programs from identical initial weights: the weights are drawn
once with NumPy and copied into each framework's layout, then both train on the same data with
the same SGD settings. Run alone, it prints the two loss trajectories and predictions side by
side (job `same_weights`); `results()` gives the largest differences, and the same for an MLP
of the benchmark's shape, to the results store (job `equivalence`)."""

# --8<-- [start:code]
import numpy as np
import tensorflow as tf
import torch

x = np.array([[1.0], [2.0], [3.0], [4.0]], dtype=np.float32)
y = x - 1.0
w0 = np.random.default_rng(0).uniform(-1.0, 1.0, size=(1, 1)).astype(np.float32)  # 一次生成 / drawn once
b0 = np.zeros(1, dtype=np.float32)


def train_torch(epochs=100, lr=0.01):
    model = torch.nn.Linear(1, 1)
    with torch.no_grad():  # PyTorch 的权重形状是 (输出, 输入) / PyTorch stores (out, in)
        model.weight.copy_(torch.from_numpy(w0.T))
        model.bias.copy_(torch.from_numpy(b0))
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(torch.from_numpy(x)), torch.from_numpy(y))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with torch.no_grad():
        return losses, model(torch.tensor([[5.0]])).item()


def train_keras(epochs=100, lr=0.01):
    model = tf.keras.Sequential([tf.keras.Input(shape=(1,)), tf.keras.layers.Dense(1)])
    model.layers[0].set_weights([w0, b0])  # Keras 的核形状是 (输入, 输出) / Keras stores (in, out)
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=lr), loss="mse")
    history = model.fit(x, y, epochs=epochs, batch_size=len(x), shuffle=False, verbose=0)
    return history.history["loss"], float(model.predict(np.array([[5.0]]), verbose=0)[0, 0])


torch_losses, torch_pred = train_torch()
keras_losses, keras_pred = train_keras()
print("epoch   PyTorch loss   Keras loss   |difference|")
for epoch in (1, 10, 25, 50, 75, 100):
    a, b = torch_losses[epoch - 1], keras_losses[epoch - 1]
    print(f"{epoch:5d}   {a:12.6f}   {b:10.6f}   {abs(a - b):.1e}")
print("largest |difference| over all epochs:", f"{max(abs(a - b) for a, b in zip(torch_losses, keras_losses)):.1e}")
print(f"prediction at x = 5: PyTorch {torch_pred:.6f}, Keras {keras_pred:.6f}")
# --8<-- [end:code]


def mlp_losses(steps=5, lr=0.05, seed=0):
    """The benchmark's MLP shape (784-256-10), identical weights, the same batch, `steps` SGD steps."""
    rng = np.random.default_rng(seed)
    shapes = [(784, 256), (256, 10)]
    kernels = [rng.uniform(-0.05, 0.05, size=s).astype(np.float32) for s in shapes]
    biases = [np.zeros(s[1], dtype=np.float32) for s in shapes]
    data = rng.standard_normal((128, 784)).astype(np.float32)
    labels = rng.integers(0, 10, size=128)

    net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    with torch.no_grad():
        for layer, k, b in zip(net[::2], kernels, biases):
            layer.weight.copy_(torch.from_numpy(k.T))
            layer.bias.copy_(torch.from_numpy(b))
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    ours = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(torch.from_numpy(data)), torch.from_numpy(labels))
        loss.backward()
        optimizer.step()
        ours.append(loss.item())

    model = tf.keras.Sequential([tf.keras.Input(shape=(784,)), tf.keras.layers.Dense(256, activation="relu"),
                                 tf.keras.layers.Dense(10)])
    for layer, k, b in zip(model.layers, kernels, biases):
        layer.set_weights([k, b])
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=lr),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    theirs = model.fit(data, labels, epochs=steps, batch_size=len(data), shuffle=False, verbose=0)
    return ours, theirs.history["loss"]


def results():
    ours, theirs = mlp_losses()
    return {
        "epochs": len(torch_losses), "float32_eps": float(np.finfo(np.float32).eps),
        "torch_pred": torch_pred, "keras_pred": keras_pred,
        "max_abs_diff_loss": max(abs(a - b) for a, b in zip(torch_losses, keras_losses)),
        "abs_diff_pred": abs(torch_pred - keras_pred),
        "mlp": {"steps": len(ours), "torch_losses": ours, "keras_losses": theirs,
                "max_abs_diff_loss": max(abs(a - b) for a, b in zip(ours, theirs))},
    }
