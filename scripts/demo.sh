#!/usr/bin/env bash
# Run the botocraft tour example against a throw-away local moto_server:
#
#     bash scripts/demo.sh [extra args for the example...]
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
