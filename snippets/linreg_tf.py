"""Linear regression in TensorFlow 2.21 / Keras 3: the article's program, corrected."""

# --8<-- [start:code]
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)  # 固定初始权重 / fixed initial weights

# 定义模型 / define the model
model = tf.keras.Sequential([
    tf.keras.Input(shape=(1,)),
    tf.keras.layers.Dense(units=1),
])

# 编译模型：SGD 的默认学习率是 0.01 / compile: SGD's default learning rate is 0.01
model.compile(optimizer="sgd", loss="mean_squared_error")

# 训练数据：y = x - 1（浮点数）/ training data: y = x - 1 (floats)
x_train = np.array([[1.0], [2.0], [3.0], [4.0]])
y_train = np.array([[0.0], [1.0], [2.0], [3.0]])
history = model.fit(x_train, y_train, epochs=100, verbose=0)
for epoch in range(9, 100, 10):
    print(f"Epoch {epoch + 1}, Loss: {history.history['loss'][epoch]:.6f}")

# 评估模型 / evaluate at x = 5 (true value 4)
x_test = np.array([[5.0]])
y_pred = model.predict(x_test, verbose=0)
print(f"Predicted value: {y_pred[0, 0]:.4f}")
# --8<-- [end:code]
