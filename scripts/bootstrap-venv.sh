#!/usr/bin/env bash
# Create (idempotently) the repo-local Python virtualenv `.venv/` and install
# the pinned moto server into it.
#
# Usage: bash scripts/bootstrap-venv.sh
# Env:   PYTHON  python interpreter used to create the venv (default: python3)
set -euo pipefail

MOTO_VERSION="5.2.5"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"

die() {
    echo "bootstrap-venv: error: $*" >&2
    exit 1
}

command -v "$PYTHON" >/dev/null 2>&1 || die "'$PYTHON' not found; install Python >= 3.9"

installed_moto_version() {
    "$VENV/bin/python" -m pip show moto 2>/dev/null | sed -n 's/^Version: //p'
}

if [[ "$(installed_moto_version)" == "$MOTO_VERSION" ]] &&
    "$VENV/bin/python" -c 'import moto.server' 2>/dev/null; then
    echo "bootstrap-venv: moto $MOTO_VERSION already installed in .venv"
    exit 0
fi

# A venv whose python runs but has no pip (made for a Python since
# upgraded, or without pip) is made again rather than failing every run.
if [[ -x "$VENV/bin/python" ]] && ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
    echo "bootstrap-venv: .venv has no working pip; making it again"
    rm -rf "$VENV"
fi

# A Python whose venv module cannot install pip (Debian's without the
# python3-venv package) still has pip itself: then virtualenv, fetched with
# that pip into .cache/, makes the venv (it carries its own pip).
make_venv_with_virtualenv() {
    local target="$ROOT/.cache/virtualenv"
    rm -rf "$VENV"
    PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-input \
        --target "$target" "virtualenv>=20,<21" ||
        die "'$PYTHON -m venv' failed and so did installing virtualenv with pip (is PyPI reachable?)"
    PYTHONPATH="$target" "$PYTHON" -m virtualenv --quiet "$VENV" ||
        die "neither '$PYTHON -m venv' nor virtualenv could create $VENV"
}

if [[ ! -x "$VENV/bin/python" ]]; then
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null || [[ ! -x "$VENV/bin/python" ]] ||
        ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
        echo "bootstrap-venv: '$PYTHON -m venv' cannot make a venv with pip here; using virtualenv"
        make_venv_with_virtualenv
    fi
fi

start=$SECONDS
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    --no-input "moto[server]==$MOTO_VERSION" >"$log" 2>&1; then
    cat "$log" >&2
    die "pip install moto[server]==$MOTO_VERSION failed (is PyPI reachable?)"
fi
"$VENV/bin/python" -c 'import moto.server' 2>/dev/null ||
    die "moto installed but its server module does not import"
echo "bootstrap-venv: installed moto $MOTO_VERSION into .venv ($((SECONDS - start))s)"
