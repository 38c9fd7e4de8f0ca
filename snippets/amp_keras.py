"""Mixed precision on the CPU in Keras: the same small MLP trained for a few steps in float32 and
under the "mixed_bfloat16" dtype policy, from the same initial weights. Under the policy the layers
compute in bfloat16 while the variables stay float32, and every step's loss stays within a
relative tolerance of the float32 run. The global policy is set only while the model is built
and restored in a finally block. Run alone it prints the check (job `amp_keras`); `results()`
gives the measured values (job `amp_keras_check`)."""

# --8<-- [start:code]
import keras
import numpy as np
import tensorflow as tf

# bfloat16 只有 8 位有效二进制位：每次舍入的相对误差可达 2⁻⁸ ≈ 3.9e-3，输入、权重和激活都要舍入
# bfloat16 keeps 8 significant bits: each rounding is off by up to 2⁻⁸ ≈ 3.9e-3, of inputs, weights, activations
TOL = 1e-2  # 损失的相对容差 / relative tolerance on the loss
STEPS = 5
rng = np.random.default_rng(0)
x = rng.standard_normal((64, 16)).astype(np.float32)
y = rng.standard_normal((64, 1)).astype(np.float32)


def build(policy):
    previous = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy(policy)  # 层在创建时取用全局策略 / a layer takes the policy when created
    try:
        return keras.Sequential([keras.Input((16,)), keras.layers.Dense(32, activation="relu"),
                                 keras.layers.Dense(1)])
    finally:
        keras.mixed_precision.set_global_policy(previous)  # 不影响同一进程里的其他代码 / leave the process as found


keras.utils.set_random_seed(0)
start = build("float32").get_weights()  # 两次训练的共同起点 / both runs start here


def train(policy):
    model = build(policy)
    model.set_weights(start)
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    mse = keras.losses.MeanSquaredError()  # 损失在 float32 中计算 / the loss in float32
    losses = []
    for _ in range(STEPS):
        with tf.GradientTape() as tape:
            out = model(x, training=True)
            loss = mse(y, out)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        losses.append(float(loss))
    return np.array(losses), out.dtype.name, {v.dtype for v in model.trainable_variables}


f32, _, _ = train("float32")
losses, out_dtype, variable_dtypes = train("mixed_bfloat16")
rel = float(np.max(np.abs(losses - f32) / np.abs(f32)))
print(f"output under mixed_bfloat16: {out_dtype}; bfloat16: {out_dtype == 'bfloat16'}")
print(f"variables after training: {sorted(variable_dtypes)}; all float32: {variable_dtypes == {'float32'}}")
print(f"loss over {STEPS} steps, max relative |Δ| to float32 = {rel:.1e} ≤ {TOL:.0e}: {rel <= TOL}")
print(f"global policy afterwards: {keras.mixed_precision.global_policy().name}")
# --8<-- [end:code]


def results():
    return {"compute_bf16": {"measured": float(out_dtype != "bfloat16"), "tolerance": 0.0,
                             "compared": "1 if the MLP's output under the mixed_bfloat16 policy is not bfloat16, "
                                         "else 0"},
            "variables_f32": {"measured": float(variable_dtypes != {"float32"}), "tolerance": 0.0,
                              "compared": "1 if any trainable variable is not float32 after 5 steps under the "
                                          "policy, else 0"},
            "loss": {"measured": rel, "tolerance": TOL,
                     "compared": "max over 5 SGD steps of |loss_bf16 − loss_f32| / loss_f32, same initial weights"}}
