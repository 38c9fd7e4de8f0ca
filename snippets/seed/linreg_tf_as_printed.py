"""The article's TensorFlow listing exactly as printed in the seed (section 5.2)."""

# --8<-- [start:code]
import tensorflow as tf

# 定义模型
model = tf.keras.Sequential([
    tf.keras.layers.Dense(units=1, input_shape=[1])
])

# 编译模型
model.compile(optimizer='sgd', loss='mean_squared_error')

# 训练模型
x_train = [[1], [2], [3], [4]]
y_train = [[0], [1], [2], [3]]
model.fit(x_train, y_train, epochs=100, verbose=0)

# 评估模型
x_test = [[5]]
y_test = [[4]]
model.predict(x_test)
# --8<-- [end:code]
