"""What the article's 100 epochs really achieve: loss curves and a convergence study.

Both frameworks train the same model (one weight, one bias, full-batch SGD on the
four points of y = x - 1) and record, after every epoch, the loss and the
prediction at x = 5. `pvt/pipeline/results.py` calls `results()` and stores its data.
"""

# --8<-- [start:code]
import time

import numpy as np

X = np.array([[1.0], [2.0], [3.0], [4.0]], dtype=np.float32)
Y = X - 1.0


def train_torch(epochs, lr, per_step=False):
    """Loss before each update and prediction at x = 5 after it, per epoch."""
    import torch

    torch.manual_seed(0)
    model = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    x, y = torch.from_numpy(X), torch.from_numpy(Y)
    losses, preds = [], []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        preds.append((model.weight * 5 + model.bias).item())
    return losses, preds


def train_tf(epochs, lr, per_step=False):
    """The same with Keras `fit`; a callback reads the weights after every epoch.

    With `per_step=True` one epoch holds `epochs` copies of the full batch, which is the
    same sequence of full-batch SGD updates with far less per-epoch overhead in `fit`.
    """
    import tensorflow as tf

    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input(shape=(1,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=lr), loss="mse")
    dense, preds = model.layers[0], []

    def read(*_, **__):
        preds.append(float(dense.kernel.numpy()[0, 0] * 5 + dense.bias.numpy()[0]))

    if per_step:
        steps = tf.data.Dataset.from_tensors((X, Y)).repeat(epochs)
        model.fit(steps, epochs=1, verbose=0, shuffle=False,
                  callbacks=[tf.keras.callbacks.LambdaCallback(on_train_batch_end=read)])
        return None, preds
    history = model.fit(X, Y, epochs=epochs, verbose=0,
                        callbacks=[tf.keras.callbacks.LambdaCallback(on_epoch_end=read)])
    return history.history["loss"], preds


def epochs_to_converge(preds, target=4.0, tol=0.01):
    """First epoch after which every later prediction stays within `tol` of `target`."""
    outside = [i for i, p in enumerate(preds) if not abs(p - target) < tol]
    if not outside:
        return 1
    return outside[-1] + 2 if outside[-1] + 1 < len(preds) else None


def timed(train, epochs, lr, repeats=5):
    """Median wall time of `repeats` whole training runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        train(epochs, lr)
        times.append(time.perf_counter() - start)
    return float(np.median(times)), times


def curvature(lr):
    """Eigenvalues of the Hessian of the MSE loss in (w, b): 2/n * [x 1]^T [x 1].

    Gradient descent converges when lr < 2 / largest eigenvalue; along the flattest
    direction the error shrinks by a factor (1 - lr * smallest eigenvalue) per epoch.
    """
    design = np.hstack([X, np.ones_like(X)]).astype(np.float64)
    low, high = (float(v) for v in np.linalg.eigvalsh(2 / len(X) * design.T @ design))
    return {"eig_min": low, "eig_max": high, "max_stable_lr": 2 / high,
            "shrink_per_epoch_pct": 100 * lr * low}


def results(epochs=100, lr=0.01, max_epochs=2000, rates=(0.01, 0.03, 0.1, 0.12), repeats=5):
    out = {"epochs": epochs, "lr": lr, "max_epochs": max_epochs, "timing_repeats": repeats, "frameworks": {},
           "curvature": curvature(lr)}
    for name, train in [("pytorch", train_torch), ("tensorflow", train_tf)]:
        losses, preds = train(epochs, lr)
        median, times = timed(train, epochs, lr, repeats)
        convergence = {}
        for rate in rates:
            _, long_preds = train(max_epochs, rate, per_step=True)
            convergence[str(rate)] = epochs_to_converge(long_preds)
        out["frameworks"][name] = {
            "loss": losses, "pred": preds, "final_loss": losses[-1], "pred_at_5": preds[-1],
            "train_seconds_median": median, "train_seconds": times, "epochs_to_converge": convergence,
        }
    return out
# --8<-- [end:code]
