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

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["torch", "tensorflow-cpu", "keras", "numpy"]


def versions():
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    return found


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


def git_commit():
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


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
    digest = hashlib.sha256(repr((info["cpu"], info["os"], sorted(info["versions"].items()))).encode())
    kind = "cpu" if info["device"] == "cpu" else "gpu"
    return f"{kind}-{slug[:40]}-{info['threads']}t-{digest.hexdigest()[:6]}"


def record(device=None, **extra):
    info = machine(device)
    return {
        **info,
        "fingerprint": fingerprint(info),
        "commit": git_commit(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **extra,
    }
