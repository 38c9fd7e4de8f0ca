"""The benchmark's input pipelines: the same in-memory images and the same per-sample transform
(reflect-pad by 4, random 32x32 crop, random horizontal flip, scale to [0, 1], normalize), fed
by torch.utils.data.DataLoader and by tf.data. `pvt/bench` times them with 1 and 2
workers, over whole epochs; snippets/pipeline_lines.py counts the lines of code of each section.
"""

import numpy as np

IMAGES = 2048  # 内存中的 32x32 RGB 图像 / 32x32 RGB images in memory
BATCH = 64
BATCHES_PER_EPOCH = -(-IMAGES // BATCH)
MEAN, STD = 0.5, 0.25


def images():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(IMAGES, 32, 32, 3), dtype=np.uint8)
    return x, rng.integers(0, 10, size=IMAGES)


# --8<-- [start:torch]
def torch_loader(x, y, workers):
    import torch
    from torch.utils.data import DataLoader, Dataset

    class Images(Dataset):
        def __len__(self):
            return len(x)

        def __getitem__(self, i):
            rng = np.random.default_rng()
            padded = np.pad(x[i], ((4, 4), (4, 4), (0, 0)), mode="reflect")
            top, left = rng.integers(0, 9, size=2)
            image = padded[top:top + 32, left:left + 32]
            if rng.random() < 0.5:
                image = image[:, ::-1]
            image = (image.astype(np.float32) / 255 - MEAN) / STD
            return torch.from_numpy(image.transpose(2, 0, 1).copy()), int(y[i])

    return DataLoader(Images(), batch_size=BATCH, shuffle=True, num_workers=workers,
                      persistent_workers=True)
# --8<-- [end:torch]


# --8<-- [start:tf]
def tf_dataset(x, y, workers):
    import tensorflow as tf

    def transform(image, label):
        padded = tf.pad(image, [[4, 4], [4, 4], [0, 0]], mode="REFLECT")
        image = tf.image.random_crop(padded, (32, 32, 3))
        image = tf.image.random_flip_left_right(image)
        image = (tf.cast(image, tf.float32) / 255 - MEAN) / STD
        return image, label

    dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x))
    return dataset.map(transform, num_parallel_calls=workers).batch(BATCH).prefetch(tf.data.AUTOTUNE)
# --8<-- [end:tf]


def epochs(loader, n):
    """n passes over the data, each from a fresh iterator, as a training loop makes them.

    A pipeline starts each epoch empty, so a timed block never includes batches that were
    prepared before it began (DataLoader's workers persist between epochs; they wait idle).
    """
    for _ in range(n):
        for _batch in loader:
            pass
