"""Keras 3 no longer saves a model as a SavedModel folder with model.save (job
`save_keras_savedmodel`, kind error); model.export does (the export page)."""

# --8<-- [start:code]
from port_models_keras import keras_cnn

keras_cnn().save("cnn_savedmodel")  # Keras 2 写出 SavedModel 目录 / Keras 2 wrote a SavedModel folder
# --8<-- [end:code]
