"""The two small models of the weight-porting page in Keras: an MLP and a CNN with BatchNorm.
Builders only; they print nothing (port_keras.py shows them, port_weights.py ports them)."""

# --8<-- [start:code]
import keras
from keras import layers


def keras_mlp():
    return keras.Sequential([keras.Input(shape=(20,)), layers.Dense(32, activation="relu"),
                             layers.Dense(32, activation="relu"), layers.Dense(10)])


def keras_cnn():  # 输入 (N, 8, 8, 3)，通道在后 / input (N, 8, 8, 3), channels last
    return keras.Sequential([
        keras.Input(shape=(8, 8, 3)), layers.Conv2D(8, 3, padding="same"), layers.BatchNormalization(),
        layers.ReLU(), layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(10)])
# --8<-- [end:code]
