"""Test tiers. `make test-fast` runs `-m fast`: tests that read files and call functions, with
no site build, browser, subprocess of torch or TensorFlow, or benchmark. Other tiers are
marked where they are defined (`build`, `browser`, `bench`); tests that use the built site or
the browser get those marks from their fixtures here, so a fast-marked test that starts
using them is caught."""

import os

import pytest

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

BY_FIXTURE = {"site": "build", "site_url": "build", "site_elsewhere": "build", "browser": "browser"}


def pytest_collection_modifyitems(items):
    for item in items:
        for fixture, tier in BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(tier)
        tiers = {m.name for m in item.iter_markers()} & {"build", "browser", "bench"}
        if tiers and item.get_closest_marker("fast"):
            raise pytest.UsageError(f"{item.nodeid} is marked fast but needs {', '.join(sorted(tiers))}")
