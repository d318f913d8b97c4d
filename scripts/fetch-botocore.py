#!/usr/bin/env python3
"""Fetch the pinned botocore service models (and optionally its test suites).

Usage:
    python3 scripts/fetch-botocore.py           # service models, endpoint rule sets
                                                # and partitions.json -> .cache/botocore/<v>/data/
    python3 scripts/fetch-botocore.py --sdist   # protocol tests -> .cache/botocore/<v>/protocols/,
                                                # endpoint tests -> .cache/botocore/<v>/endpoint-tests/

Only the Python standard library is used; the download itself goes through
`python -m pip download` (the repo venv's pip when present, else this
interpreter's pip). Both modes are idempotent thanks to marker files.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

BOTOCORE_VERSION = "1.44.8"
# The SHA-256 of the files PyPI serves for that version: the models the
# generated code comes from, and the test suites the wire formats are
# checked against, are only what was pinned, whatever index pip is pointed
# at. Update both with BOTOCORE_VERSION.
WHEEL_SHA256 = "76342a76c338701db80dcb8afe1c9bd079283d6fffbb9d881442abb02a215043"
SDIST_SHA256 = "945b783c1a1259e2a8b078f3f3dd40fae32ea84ab01d3a9953af6b378da7108a"
SERVICES = ("ecs", "ec2", "ecr", "autoscaling")
# Services whose endpoint rules alone are used (by the credential providers).
RULES_ONLY = ("sts", "sso", "sso-oidc")
MODEL_FILES = ("service-2.json", "paginators-1.json", "waiters-2.json", "endpoint-rule-set-1.json")
REQUIRED_FILES = ("service-2.json", "endpoint-rule-set-1.json")
# Bumped whenever what is extracted changes, so older caches are refreshed.
MODELS_MARKER = ".complete-4"
TESTS_MARKER = ".tests-complete-4"

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "botocore" / BOTOCORE_VERSION


def log(msg: str) -> None:
    print(f"fetch-botocore: {msg}", flush=True)


def die(msg: str) -> "None":
    print(f"fetch-botocore: error: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def pip_python() -> str:
    venv_python = ROOT / ".venv" / "bin" / "python"
    if venv_python.is_file() and os.access(venv_python, os.X_OK):
        return str(venv_python)
    return sys.executable


def pip_download(dest: Path, binary: bool) -> Path:
    """Download botocore==BOTOCORE_VERSION into `dest` and return the file."""
    cmd = [
        pip_python(), "-m", "pip", "download",
        "--quiet", "--disable-pip-version-check", "--no-input", "--no-deps",
        "--only-binary=:all:" if binary else "--no-binary=:all:",
        f"botocore=={BOTOCORE_VERSION}",
        "-d", str(dest),
    ]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout)
        die(f"`{' '.join(cmd)}` failed with exit code {proc.returncode} (is PyPI reachable?)")
    pattern = "botocore-*.whl" if binary else "botocore-*.tar.gz"
    found = sorted(dest.glob(pattern))
    if not found:
        die(f"pip download succeeded but no {pattern} in {dest}: {os.listdir(dest)}")
    expected = WHEEL_SHA256 if binary else SDIST_SHA256
    digest = hashlib.sha256(found[0].read_bytes()).hexdigest()
    if digest != expected:
        die(f"{found[0].name} has SHA-256 {digest}, not the pinned {expected}: "
            "refusing it (a changed upload, or an index serving other files)")
    return found[0]


def newest_api_version(names: set[str], service: str) -> str:
    prefix = f"botocore/data/{service}/"
    versions = set()
    for name in names:
        if not name.startswith(prefix):
            continue
        parts = name[len(prefix):].split("/")
        if len(parts) == 2 and parts[1] in ("service-2.json", "service-2.json.gz"):
            versions.add(parts[0])
    if not versions:
        die(f"no service model for {service!r} in the botocore {BOTOCORE_VERSION} wheel")
    # API versions are ISO dates (YYYY-MM-DD), so lexical order is chronological.
    return max(versions)


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def fetch_models() -> None:
    marker = CACHE / MODELS_MARKER
    if marker.exists():
        log(f"models for botocore {BOTOCORE_VERSION} already in {CACHE.relative_to(ROOT)}/data (skipped)")
        return
    data_dir = CACHE / "data"
    with tempfile.TemporaryDirectory(prefix="botocore-whl-") as tmp:
        wheel = pip_download(Path(tmp), binary=True)
        with zipfile.ZipFile(wheel) as zf:
            names = set(zf.namelist())
            if data_dir.exists():
                shutil.rmtree(data_dir)
            summary = []
            for service in SERVICES:
                version = newest_api_version(names, service)
                base = f"botocore/data/{service}/{version}/"
                for fname in MODEL_FILES:
                    if base + fname in names:
                        data = zf.read(base + fname)
                    elif base + fname + ".gz" in names:
                        data = gzip.decompress(zf.read(base + fname + ".gz"))
                    elif fname in REQUIRED_FILES:
                        die(f"{base}{fname}[.gz] missing from the wheel")
                    else:
                        continue  # paginators/waiters are optional
                    write_atomic(data_dir / service / version / fname, data)
                summary.append(f"{service} {version}")
            for service in RULES_ONLY:
                version = newest_api_version(names, service)
                base = f"botocore/data/{service}/{version}/endpoint-rule-set-1.json"
                if base in names:
                    data = zf.read(base)
                elif base + ".gz" in names:
                    data = gzip.decompress(zf.read(base + ".gz"))
                else:
                    die(f"{base}[.gz] missing from the wheel")
                write_atomic(data_dir / service / version / "endpoint-rule-set-1.json", data)
                summary.append(f"{service} {version} (endpoint rules)")
            partitions = "botocore/data/partitions.json"
            if partitions not in names:
                die(f"{partitions} missing from the wheel")
            write_atomic(data_dir / "partitions.json", zf.read(partitions))
    marker.write_text(f"botocore {BOTOCORE_VERSION}\n")
    log(f"extracted botocore {BOTOCORE_VERSION} models ({', '.join(summary)}) "
        f"into {data_dir.relative_to(ROOT)}")


def fetch_protocols() -> None:
    marker = CACHE / TESTS_MARKER
    if marker.exists():
        log(f"protocol and endpoint tests for botocore {BOTOCORE_VERSION} already in "
            f"{CACHE.relative_to(ROOT)}/protocols and endpoint-tests (skipped)")
        return
    out_dir = CACHE / "protocols"
    endpoint_dir = CACHE / "endpoint-tests"
    with tempfile.TemporaryDirectory(prefix="botocore-sdist-") as tmp:
        sdist = pip_download(Path(tmp), binary=False)
        for d in (out_dir, endpoint_dir):
            if d.exists():
                shutil.rmtree(d)
        count = 0
        endpoint_tests = []
        with tarfile.open(sdist, "r:gz") as tf:
            for member in tf:
                if not member.isfile():
                    continue
                parts = PurePosixPath(member.name).parts
                # <botocore-X.Y.Z>/tests/functional/endpoint-rules/<service>/endpoint-tests-1.json
                if (len(parts) == 6 and parts[1:4] == ("tests", "functional", "endpoint-rules")
                        and parts[4] in SERVICES + RULES_ONLY
                        and parts[5] == "endpoint-tests-1.json"):
                    src = tf.extractfile(member)
                    if src is not None:
                        write_atomic(endpoint_dir / parts[4] / parts[5], src.read())
                        endpoint_tests.append(parts[4])
                    continue
                # <botocore-X.Y.Z>/tests/unit/protocols/<rest...>
                if len(parts) < 5 or parts[1:4] != ("tests", "unit", "protocols"):
                    continue
                rest = parts[4:]
                if any(p in ("", ".", "..") for p in rest):
                    die(f"refusing suspicious path in sdist: {member.name}")
                src = tf.extractfile(member)
                if src is None:
                    continue
                write_atomic(out_dir.joinpath(*rest), src.read())
                count += 1
        if count == 0:
            die(f"no tests/unit/protocols files in {sdist.name}")
        missing = sorted(set(SERVICES + RULES_ONLY) - set(endpoint_tests))
        if missing:
            die(f"no endpoint tests for {', '.join(missing)} in {sdist.name}")
    marker.write_text(f"botocore {BOTOCORE_VERSION}\n")
    log(f"extracted {count} protocol test files from {sdist.name} into {out_dir.relative_to(ROOT)}, "
        f"and the endpoint tests of {', '.join(sorted(endpoint_tests))} into {endpoint_dir.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdist", action="store_true",
                        help="fetch the botocore sdist and extract tests/unit/protocols/** and the "
                             "services' tests/functional/endpoint-rules instead")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    if args.sdist:
        fetch_protocols()
    else:
        fetch_models()


if __name__ == "__main__":
    main()
