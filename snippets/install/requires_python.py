"""Which Python versions do the installed frameworks require? Their own metadata says."""

# --8<-- [start:code]
from importlib.metadata import metadata

PACKAGES = ["torch", "tensorflow-cpu", "keras"]


def results():
    """The Requires-Python field of each package, as its installed metadata declares it."""
    return {name: metadata(name)["Requires-Python"] for name in PACKAGES}


if __name__ == "__main__":
    for name, requires in results().items():
        print(f"{name}: Requires-Python {requires}")
# --8<-- [end:code]
