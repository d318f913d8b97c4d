#!/usr/bin/env bash
# Run the botocraft tour example against a throw-away local moto_server:
#
#     bash scripts/demo.sh [extra args for the example...]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [[ "${CI:-}" == "true" ]]; then
    export CARGO_TERM_COLOR=never
fi

# shellcheck source=scripts/moto.sh
source "$ROOT/scripts/moto.sh"
trap moto_stop EXIT

bash scripts/bootstrap-venv.sh
moto_start

export AWS_ENDPOINT_URL="$BOTOCRAFT_MOTO_ENDPOINT"
export AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID=testing
export AWS_SECRET_ACCESS_KEY=testing

# Not `exec`: the EXIT trap must still stop moto afterwards.
cargo run -q -p botocraft --example tour -- "$@"
