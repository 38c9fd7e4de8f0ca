"""The Keras side of the weight-porting page: the CNN's weights, their names and shapes."""

from port_models_keras import keras_cnn

# --8<-- [start:code]
model = keras_cnn()
for layer in model.layers:
    for weight in layer.weights:
        print(f"{type(layer).__name__:19} {weight.name:16} {tuple(weight.shape)}")
# --8<-- [end:code]
