# The article's environment setup exactly as printed in the seed (section 5.1).
# --8<-- [start:code]
conda create -n deep_learning python=3.8
conda activate deep_learning
conda install pytorch torchvision torchaudio cpuonly -c pytorch
conda install tensorflow -c conda-forge
# --8<-- [end:code]
