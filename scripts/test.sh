#!/usr/bin/env bash
# The full botocraft test suite, exactly as CI runs it (.ci/run):
#
#     bash scripts/test.sh
#
# Installs moto into .venv, fetches the pinned botocore models, starts a
# moto_server for the integration tests, then runs: generated-code drift check,
# rustfmt, clippy, tests, rustdoc and the README's demo. Any failure exits non-zero.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# The user's AWS settings (a profile, a CA bundle, endpoint variables, the
# files under ~/.aws) are no part of a run against a local moto.
while read -r var; do
    unset "$var"
done < <(compgen -e | grep '^AWS_' || true)
export AWS_CONFIG_FILE="$ROOT/.cache/no-aws-config"
export AWS_SHARED_CREDENTIALS_FILE="$ROOT/.cache/no-aws-credentials"

if [[ "${CI:-}" == "true" ]]; then
    export CARGO_TERM_COLOR=never
fi
# One shared target dir for every step (no --release anywhere).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

T0=$SECONDS
STEP_START=$SECONDS
STEP_NAME=""
STEP_TIMES=()

banner() {
    finish_step
    STEP_NAME="$1"
    STEP_START=$SECONDS
    printf '\n==> [%s] %s\n' "$(date +%H:%M:%S)" "$STEP_NAME"
}

finish_step() {
    if [[ -n "$STEP_NAME" ]]; then
        STEP_TIMES+=("$STEP_NAME: $((SECONDS - STEP_START))s")
    fi
    STEP_NAME=""
}

on_exit() {
    local rc=$?
    moto_stop
    if [[ $rc -ne 0 ]]; then
        printf '\n==> FAILED%s (exit %d) after %ds\n' "${STEP_NAME:+ in step \"$STEP_NAME\"}" "$rc" "$((SECONDS - T0))" >&2
    fi
    exit "$rc"
}

# shellcheck source=scripts/moto.sh
source "$ROOT/scripts/moto.sh"
trap on_exit EXIT

banner "bootstrap Python venv (moto)"
bash scripts/bootstrap-venv.sh

banner "fetch botocore models"
python3 scripts/fetch-botocore.py
python3 scripts/fetch-botocore.py --sdist

banner "start moto_server"
moto_start

banner "generated-code drift check (botocraft-codegen --check)"
cargo run -q -p botocraft-codegen -- --check

banner "cargo fmt --check"
cargo fmt --all -- --check

banner "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

banner "the facade with one service each (features build alone)"
for feature in ecs ec2 ecr autoscaling; do
    cargo check --quiet -p botocraft --no-default-features --features "$feature" --all-targets
done

banner "cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps

banner "cargo test (integration tests against moto at $BOTOCRAFT_MOTO_ENDPOINT)"
# Tests that skip without moto or botocore's protocol suites fail instead.
export BOTOCRAFT_FULL_SUITE=1
TEST_LOG="$ROOT/.cache/cargo-test.log"
mkdir -p "$ROOT/.cache"
cargo test --workspace 2>&1 | tee "$TEST_LOG"
# Sum every test binary's result line into one closing line.
TOTALS=$(python3 - "$TEST_LOG" <<'PY'
import re, sys
passed = failed = ignored = 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.search(r"test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored", line)
    if m:
        passed += int(m.group(1)); failed += int(m.group(2)); ignored += int(m.group(3))
print(f"tests: {passed} passed, {failed} failed, {ignored} skipped")
PY
)

banner "the README's demo (examples/tour.rs, as scripts/demo.sh runs it) against the same moto"
# It works in a fresh moto account of its own, so the tests' leftovers do not
# show; built by the cargo test above, so this costs only its run.
(
    export AWS_ENDPOINT_URL="$BOTOCRAFT_MOTO_ENDPOINT"
    export AWS_REGION=us-east-1
    export AWS_ACCESS_KEY_ID=testing
    export AWS_SECRET_ACCESS_KEY=testing
    cargo run -q -p botocraft --example tour > "$ROOT/.cache/demo.log" 2>&1 || {
        cat "$ROOT/.cache/demo.log" >&2
        exit 1
    }
)
printf '    demo: %s\n' "$(tail -n 1 "$ROOT/.cache/demo.log")"

finish_step
printf '\n==> step times:\n'
printf '      %s\n' "${STEP_TIMES[@]}"
printf '==> OK: all checks passed in %ds\n' "$((SECONDS - T0))"
printf '%s\n' "$TOTALS"
