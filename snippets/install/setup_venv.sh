# A virtual environment with the versions this site was built with (Linux or Windows, x86-64).
# --8<-- [start:code]
python3 -m venv .venv
source .venv/bin/activate
python -m pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
python -m pip install tensorflow-cpu==2.21.0
# --8<-- [end:code]
