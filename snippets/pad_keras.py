"""The Keras side of the stride-2 padding trap: the same convolution with padding="same"."""

# --8<-- [start:code]
import keras
import numpy as np

conv = keras.layers.Conv2D(1, 3, strides=2, padding="same", use_bias=False, kernel_initializer="ones")
print(keras.ops.convert_to_numpy(conv(np.ones((1, 4, 4, 1), "float32")))[0, :, :, 0])
# --8<-- [end:code]
