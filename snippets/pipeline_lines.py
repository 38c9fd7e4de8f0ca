"""How many lines of code each input pipeline of the benchmark needs."""

# --8<-- [start:code]
import inspect

import input_pipeline

source = inspect.getsource(input_pipeline)


def code_lines(section):
    """Lines of a section of the file that are neither blank nor comments."""
    body = source.split(f"# --8<-- [start:{section}]")[1].split(f"# --8<-- [end:{section}]")[0]
    return sum(1 for line in body.splitlines() if line.strip() and not line.strip().startswith("#"))


print(f"DataLoader pipeline: {code_lines('torch')} lines of code; tf.data pipeline: {code_lines('tf')}")
# --8<-- [end:code]
