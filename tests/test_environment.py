"""The environment is locked and results know what they ran on: every installed package is
the one the lock pins, input hashes follow the lock, and the machine key survives a reboot."""

import importlib.metadata
import platform

import pytest

from pvt import provenance
from pvt.common import ROOT

pytestmark = pytest.mark.fast

FULL, DOCS = ROOT / "requirements.txt", ROOT / "requirements-docs.txt"


PROJECT = "pvt"  # this project's own package (pyproject.toml), installed from the checkout, not the lock


def installed():
    return {provenance.normalize(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()
            if d.metadata["Name"] != PROJECT}


def test_the_lock_pins_every_installed_package_at_its_installed_version():
    pins, have = provenance.lock_pins(FULL), installed()
    unpinned = sorted(set(have) - set(pins))
    wrong = {name: (have[name], pins[name]) for name in have.keys() & pins.keys() if have[name] != pins[name]}
    missing = sorted(set(pins) - set(have))
    assert not (unpinned or wrong or missing), (
        f"the environment and requirements.txt disagree: installed but not locked {unpinned}; "
        f"installed vs locked {wrong}; locked but not installed {missing}. Add new packages to "
        "requirements.in and run `make lock`, or reinstall with `make test`.")


def test_the_site_lock_is_the_full_lock_restricted_to_the_site():
    docs, full = provenance.lock_pins(DOCS), provenance.lock_pins(FULL)
    differ = {name: (v, full.get(name)) for name, v in docs.items() if full.get(name) != v}
    assert docs and not differ, f"requirements-docs.txt pins differently from requirements.txt: {differ}"
    assert "torch" not in docs and "tensorflow-cpu" not in docs, "the site must build without the frameworks"


def test_input_hashes_use_the_locked_versions(monkeypatch):
    from pvt.pipeline import results

    job = results.JOBS[0]
    before = results.input_hash(job)
    monkeypatch.setattr(provenance, "versions", lambda: {"torch": "0.0"})  # what is installed: ignored
    assert results.input_hash(job) == before
    locked = provenance.locked_versions()
    monkeypatch.setattr(provenance, "locked_versions", lambda: {**locked, "keras": "99.0"})
    assert results.input_hash(job) != before


def test_the_machine_key_ignores_the_kernel_build(monkeypatch):
    first = provenance.fingerprint(provenance.machine())
    monkeypatch.setattr(platform, "release", lambda: "6.1.0-99-cloud-amd64")
    monkeypatch.setattr(platform, "version", lambda: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.999-1 (2099-01-01)")
    again = provenance.machine()
    assert again["os"].endswith("6.1.0-99-cloud-amd64")  # recorded, but not part of the key
    assert provenance.fingerprint(again) == first
    assert provenance.fingerprint({**again, "threads": again["threads"] + 2}) != first
