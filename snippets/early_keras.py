"""The Keras side of early stopping: keras.callbacks.EarlyStopping(monitor="val_loss", patience,
restore_best_weights=True) decides when model.fit stops and which weights it restores; a callback
placed before it writes a scripted validation loss into the epoch's logs, and another records the
weights at the end of every epoch. Definitions only, nothing printed: early_check.py imports them
(jobs `early_check` and `early_check_data`)."""

# --8<-- [start:code]
import keras

PATIENCE, LR = 3, 0.1


class ScriptedValLoss(keras.callbacks.Callback):
    """把给定的验证损失写进每轮的 logs / writes the given validation loss into each epoch's logs"""

    def __init__(self, val_losses):
        super().__init__()
        self.val_losses = val_losses

    def on_epoch_end(self, epoch, logs=None):
        logs["val_loss"] = self.val_losses[epoch]


class Snapshots(keras.callbacks.Callback):
    """每轮结束时的权重，用来核对恢复的是哪一轮 / the weights at the end of each epoch"""

    def on_train_begin(self, logs=None):
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append(self.model.get_weights())


def fit_early_stopping(model, x, y, val_losses, patience=PATIENCE, restore_best=True):
    """返回跑了几轮、最好的是第几轮（从 1 数起）和每轮的权重 / returns the epochs run, the best
    epoch (from 1) and the weights of every epoch"""
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=LR), loss="mse")
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience,
                                         restore_best_weights=restore_best)
    snapshots = Snapshots()
    history = model.fit(x, y, batch_size=len(x), epochs=len(val_losses), shuffle=False, verbose=0,
                        callbacks=[ScriptedValLoss(val_losses), stop, snapshots])  # 先写入，再判断 / written, then read
    return len(history.history["loss"]), stop.best_epoch + 1, snapshots.weights
# --8<-- [end:code]
