"""Test tiers. `make test-fast` runs `-m fast`: tests that read files and call functions, with
no site build, browser, subprocess of torch or TensorFlow, or benchmark. The other tiers are
marked where they are defined (`build`, `browser`, `bench`), or come from the fixtures a test
uses (below); a test with none of them is `fast`. A fast-marked test that starts using a slow
fixture is caught."""

import os

import pytest

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

BY_FIXTURE = {"site": "build", "site_url": "build", "site_elsewhere": "build", "project": "build", "trimmed": "build",
              "built": "build", "browser": "browser"}
SLOW_TIERS = {"build", "browser", "bench"}


def pytest_collection_modifyitems(items):
    """Every test gets exactly one tier: `build`, `browser` or `bench` from its fixtures or its
    marks, and `fast` otherwise, so that no test falls between the tiers."""
    for item in items:
        for fixture, tier in BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(tier)
        tiers = {m.name for m in item.iter_markers()} & SLOW_TIERS
        if tiers and item.get_closest_marker("fast"):
            raise pytest.UsageError(f"{item.nodeid} is marked fast but needs {', '.join(sorted(tiers))}")
        if not tiers:
            item.add_marker(pytest.mark.fast)
