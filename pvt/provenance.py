"""Where and with what a result was produced: the provenance recorded beside every result.

Reads package versions from their metadata, so nothing here imports torch or TensorFlow.
"""

import datetime
import hashlib
import importlib.metadata
import os
import platform
import re
import subprocess
from pathlib import Path

from pvt.common import write_atomic  # noqa: F401 (the benchmark runner writes through provenance)

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["torch", "tensorflow-cpu", "keras", "numpy"]
LOCK = ROOT / "requirements.txt"  # every package pinned by `make lock`


def versions():
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    return found


def normalize(name: str) -> str:
    """A distribution name as the package index compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins(lock: Path = LOCK) -> dict:
    """{normalized name: version} for every `name==version` line of a lock file."""
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", lock.read_text(encoding="utf-8"), re.M)
    return {normalize(name): version for name, version in pins}


def locked_versions():
    """versions() as the lock pins them: what input hashes use, so that freshness follows the
    lock and needs nothing installed (a test checks that the installed versions are these)."""
    pins = lock_pins()
    return {"python": platform.python_version(), **{name: pins.get(name) for name in PACKAGES}}


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def threads():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


class DirtyInputs(Exception):
    pass


def commit_for(inputs, allow_dirty=False, given=None, root=ROOT):
    """The commit whose files are the ones measured: HEAD, when none of `inputs` (paths
    relative to root) differs from it. Changed or untracked inputs raise DirtyInputs,
    unless allow_dirty: then the result says `<commit>-dirty`. `given` is recorded as it
    is, for a checkout without git history (the lent GPU machine)."""
    if given:
        return given
    def git(*cmd):  # not stripped: a porcelain line starts with its status, " M path"
        return subprocess.run(["git", *cmd], cwd=root, capture_output=True, text=True,
                              check=True).stdout
    try:
        head = git("rev-parse", "--short=12", "HEAD").strip()
        changed = git("status", "--porcelain", "--", *inputs).splitlines()
    except (OSError, subprocess.CalledProcessError):
        if allow_dirty:
            return "unknown-dirty"
        raise DirtyInputs("no git commit to record (not a git checkout?); pass --commit SHA "
                          "or --allow-dirty") from None
    if not changed:
        return head
    if allow_dirty:
        return head + "-dirty"
    names = ", ".join(line[3:] for line in changed[:8]) + (" ..." if len(changed) > 8 else "")
    raise DirtyInputs(f"inputs differ from commit {head}: {names}; commit them first (or pass "
                      "--allow-dirty, and the pages will say the inputs were not committed)")


def machine(device=None):
    """The machine and environment, as recorded with every result."""
    return {
        "cpu": cpu_model(),
        "threads": threads(),
        "device": device or "cpu",
        "os": f"{platform.system()} {platform.release()}",
        "versions": versions(),
    }


def fingerprint(info):
    """A short, readable key for a machine and environment, e.g. `cpu-amd-epyc-7b13-2t-1a2b3c`."""
    name = info["device"] if info["device"] != "cpu" else info["cpu"]
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"\(.*?\)|@.*|processor|cpu", "", name.lower())).strip("-")
    # not the kernel release: the same kind of machine must keep its key across reboots
    digest = hashlib.sha256(repr((info["cpu"], platform.system(), info["threads"],
                                  sorted(info["versions"].items()))).encode())
    kind = "cpu" if info["device"] == "cpu" else "gpu"
    return f"{kind}-{slug[:40]}-{info['threads']}t-{digest.hexdigest()[:6]}"


def record(commit, device=None, **extra):
    info = machine(device)
    return {
        **info,
        "fingerprint": fingerprint(info),
        "commit": commit,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **extra,
    }
