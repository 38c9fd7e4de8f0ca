"""One worker of TensorFlow data-parallel training: a Keras 3 model under
tf.distribute.MultiWorkerMirroredStrategy (cluster in TF_CONFIG, 127.0.0.1 only), a custom
training step run with strategy.run, K steps on the worker's own half of the global batch; it
saves its final weights. The check program snippets/data_parallel.py starts two of them (jobs
`data_parallel` and `data_parallel_check`) and imports `single_process()`, the same training in
one process on the whole batch. Run by the launcher: `TF_CONFIG=... python mwms_worker.py OUT.npy`."""

# --8<-- [start:code]
import sys

import keras
import numpy as np
import tensorflow as tf

WORLD, BATCH, STEPS = 2, 4, 3  # 2 个进程，每个进程 B = 4 个样本，K = 3 步 / 2 workers, B = 4 samples each, K = 3 steps
rng = np.random.default_rng(0)
X = rng.standard_normal((WORLD * BATCH, 4)).astype(np.float32)  # 全局批量 2B / the global batch 2B
Y = rng.standard_normal((WORLD * BATCH, 1)).astype(np.float32)


def make_model():
    keras.utils.set_random_seed(0)  # 两个进程的初始权重相同 / the same initial weights in every process
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)])


def train_step(model, optimizer, x, y):
    with tf.GradientTape() as tape:
        per_example = tf.reduce_mean((model(x, training=True) - y) ** 2, axis=1)
        # 除以全局批量 2B，不是本进程的批量 / divided by the global batch 2B, not by this worker's batch
        loss = tf.nn.compute_average_loss(per_example, global_batch_size=WORLD * BATCH)
    grads = tape.gradient(loss, model.trainable_variables)
    # 在策略下，优化器先对各进程的梯度求和 / under the strategy the optimizer first sums the workers' gradients
    optimizer.apply_gradients(zip(grads, model.trainable_variables))


def weights(model):
    return np.concatenate([w.ravel() for w in model.get_weights()])


def single_process():  # 参照：一个进程，整个批量 2B / the reference: one process, the whole batch 2B
    model, optimizer = make_model(), keras.optimizers.SGD(learning_rate=0.1)
    for _ in range(STEPS):
        train_step(model, optimizer, X, Y)
    return weights(model)


def half(context):  # 本进程的一半 / this worker's half
    part = slice(context.replica_id_in_sync_group * BATCH, (context.replica_id_in_sync_group + 1) * BATCH)
    return X[part], Y[part]


def worker(out):
    strategy = tf.distribute.MultiWorkerMirroredStrategy()  # 从 TF_CONFIG 读集群 / reads the cluster from TF_CONFIG
    with strategy.scope():
        model, optimizer = make_model(), keras.optimizers.SGD(learning_rate=0.1)
    x, y = strategy.experimental_distribute_values_from_function(half)
    step = tf.function(lambda x, y: strategy.run(train_step, args=(model, optimizer, x, y)))
    for _ in range(STEPS):
        step(x, y)
    np.save(out, weights(model))


if __name__ == "__main__":
    worker(sys.argv[1])
# --8<-- [end:code]
