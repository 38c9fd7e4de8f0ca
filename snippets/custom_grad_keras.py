"""A custom gradient in TensorFlow: log(1 + eˣ) at x = 100 in float32, the example of the
tf.custom_gradient documentation. The gradient tape through the formula gives NaN; the function
decorated with tf.custom_gradient, whose gradient is written as 1 − 1/(1 + eˣ), gives 1.0. Run
alone it prints the check (job `custom_grad_keras`); `results()` gives the measured values (job
`custom_grad_keras_check`)."""

# --8<-- [start:code]
import tensorflow as tf

TOL = 0.0  # 1 − 1/(1 + inf) 恰好等于 1 / is exactly 1


def naive(x):
    return tf.math.log(1 + tf.exp(x))


@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))

    return tf.math.log(1 + e), grad


def value_and_grad(f, x=100.0):
    x = tf.constant(x)  # float32
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return float(y), float(tape.gradient(y, x))


errors = {}
for name, f in (("naive", naive), ("log1pexp", log1pexp)):
    y, dy_dx = value_and_grad(f)
    errors[name] = abs(dy_dx - 1)
    print(f"{name:8} x = 100: y = {y}, dy/dx = {dy_dx}, |dy/dx − 1| = {errors[name]} ≤ {TOL}: {errors[name] <= TOL}")
# --8<-- [end:code]


def results():
    compared = "|dy/dx − 1| of log(1 + exp(x)) at x = 100 in float32 (the exact derivative rounds to 1.0)"
    return {"naive": {"measured": errors["naive"], "tolerance": TOL, "compared": f"{compared}, plain GradientTape"},
            "custom": {"measured": errors["log1pexp"], "tolerance": TOL,
                       "compared": f"{compared}, tf.custom_gradient with gradient 1 − 1/(1 + exp(x))"}}
