#!/usr/bin/env bash
# botocraft vs aws-sdk-rust benchmark (opt-in; see BENCHMARKS.md).
#
#     bash scripts/bench.sh [--rounds N] [--ec2 N] [--ecs N] [--asg N]
#
# Builds the separate cargo workspace in benches/ in release (the first build
# compiles aws-sdk-ec2 and takes many minutes and up to ~8 GB of memory; it
# lives in benches/target only), runs the driver (canned-response server on
# 127.0.0.1 + both client binaries, alternating, one warm-up round + N
# measured rounds) and prints the Markdown tables. Also prints the stripped
# sizes of both client binaries.
#
# Env:
#   BENCH_COLD_BUILD=1  additionally time cold `cargo build --release` of each
#                       client in fresh target dirs (benches/target/cold-*),
#                       and of bench-deps-floor (botocraft's external
#                       dependencies alone: the floor under botocraft's own);
#                       slow: the aws-sdk-rust one is ~9 min on 2 cores.
#   BENCH_PYTHON=1      also run the Python botocraft (botocraft==0.36.0 from
#                       PyPI, in benches/.venv-py) as a third client.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benches"
TARGET="$BENCH/target"
RESULTS="$BENCH/results"
mkdir -p "$RESULTS"

if [[ "${CI:-}" == "true" ]]; then
    export CARGO_TERM_COLOR=never
fi

cold_build() { # package, target-dir name
    local pkg="$1" dir="$TARGET/cold-$2"
    rm -rf "$dir"
    local start end
    start=$(date +%s)
    /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB peak RSS (largest single process)" \
        -o "$RESULTS/cold-$2.time" \
        cargo build --release --quiet --manifest-path "$BENCH/Cargo.toml" -p "$pkg" --target-dir "$dir"
    end=$(date +%s)
    echo "cold build of $pkg: $((end - start)) s ($(cat "$RESULTS/cold-$2.time"))"
}

if [[ "${BENCH_COLD_BUILD:-0}" == "1" ]]; then
    command -v /usr/bin/time >/dev/null || { echo "bench.sh: /usr/bin/time is needed for BENCH_COLD_BUILD" >&2; exit 1; }
    cold_build bench-deps-floor deps-floor
    cold_build bench-botocraft-client botocraft
    cold_build bench-sdk-client sdk
fi

echo "bench.sh: building benches/ (release)..." >&2
# One package per build: building the workspace at once would unify the
# clients' dependency features, giving botocraft's binary the rustls,
# hyper-rustls and tokio features aws-sdk-rust turns on (aws-lc-rs, http2,
# native roots: +1.4 MB), which a program using botocraft alone never has.
for pkg in bench-harness bench-botocraft-client bench-sdk-client; do
    cargo build --release --quiet --manifest-path "$BENCH/Cargo.toml" --target-dir "$TARGET" -p "$pkg"
done

echo "stripped binary sizes:"
for b in bench-botocraft bench-sdk; do
    strip -o "$RESULTS/$b.stripped" "$TARGET/release/$b"
    awk -v n="$b" -v s="$(stat -c %s "$RESULTS/$b.stripped")" -v u="$(stat -c %s "$TARGET/release/$b")" \
        'BEGIN { printf "  %-16s %6.1f MB stripped (%6.1f MB as built)\n", n, s / 1e6, u / 1e6 }'
done

python_args=()
if [[ "${BENCH_PYTHON:-0}" == "1" ]]; then
    venv="$BENCH/.venv-py"
    if [[ ! -x "$venv/bin/python" ]]; then
        echo "bench.sh: installing the Python botocraft into $venv..." >&2
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet "botocraft==0.36.0"
    fi
    python_args=(--python "$venv/bin/python" "$BENCH/python-client/bench_botocraft.py")
fi

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); rustc: $(rustc --version)"
"$TARGET/release/bench" run --csv "$RESULTS/runs-$stamp.csv" "${python_args[@]}" "$@"
echo "per-run samples: benches/results/runs-$stamp.csv"
