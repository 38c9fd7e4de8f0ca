"""Check the installed versions against the ones this site was built with."""

# --8<-- [start:code]
import sys

import keras
import numpy
import tensorflow as tf
import torch

print(f"Python {sys.version_info.major}.{sys.version_info.minor}")
print(f"torch {torch.__version__}")
print(f"tensorflow {tf.__version__}, keras {keras.__version__}")
print(f"numpy {numpy.__version__}")
# --8<-- [end:code]
