"""The TensorFlow side of the input-pipeline check: tf.data.Dataset over the same in-memory arrays,
returning every epoch's batches as NumPy arrays. A builder only; it prints nothing (data_order.py
compares it with DataLoader, jobs `data_order` and `data_order_check`)."""

# --8<-- [start:code]
import tensorflow as tf


def tf_epochs(x, y, batch_size, shuffle, drop_remainder, epochs=1, seed=0):
    dataset = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle:  # 缓冲区装得下整个数据集才是完全打乱 / a full shuffle needs a buffer as large as the dataset
        dataset = dataset.shuffle(len(x), seed=seed)  # 默认每轮重新打乱 / reshuffled each epoch by default
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    return [[(xb.numpy(), yb.numpy()) for xb, yb in dataset] for _ in range(epochs)]
# --8<-- [end:code]
