#!/usr/bin/env bash
# Start/stop a local moto_server (from .venv, see scripts/bootstrap-venv.sh).
#
# Sourced (preferred; the caller owns the lifetime):
#     source scripts/moto.sh
#     moto_start                 # exports BOTOCRAFT_MOTO_ENDPOINT and MOTO_PID
#     trap moto_stop EXIT
#
# As a command (the server outlives the call; state in .cache/moto.{pid,endpoint}):
#     eval "$(bash scripts/moto.sh start)"   # prints `export BOTOCRAFT_MOTO_ENDPOINT=...`
#     bash scripts/moto.sh stop
#
# Env: MOTO_START_TIMEOUT (seconds, default 60), MOTO_WARMUP=0 to skip the
# one-request-per-service warm-up after the server answers.

MOTO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MOTO_PIDFILE="$MOTO_ROOT/.cache/moto.pid"
MOTO_ENDPOINT_FILE="$MOTO_ROOT/.cache/moto.endpoint"
# The command's server keeps .cache/moto.{log,pid,endpoint}; a script that
# sources this file has its own log and no state files, so it never
# overwrites, truncates or stops the server a developer started as a command.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    _MOTO_COMMAND=1
    MOTO_LOG="$MOTO_ROOT/.cache/moto.log"
else
    _MOTO_COMMAND=0
    MOTO_LOG="$MOTO_ROOT/.cache/moto-run.log"
fi

_moto_python() {
    if [[ -x "$MOTO_ROOT/.venv/bin/python" ]]; then
        echo "$MOTO_ROOT/.venv/bin/python"
    else
        echo python3
    fi
}

# Wait until GET <endpoint>/moto-api/ answers 200 while <pid> is alive, then
# (unless MOTO_WARMUP=0) send one cheap request per service so the lazy
# imports in moto happen now rather than inside the first test.
_moto_wait_ready() {
    local endpoint="$1" pid="$2" timeout="$3"
    "$(_moto_python)" - "$endpoint" "$pid" "$timeout" "${MOTO_WARMUP:-1}" <<'PY'
import os, sys, time, urllib.error, urllib.request

endpoint, pid, timeout, warmup = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
# Straight to 127.0.0.1: urllib would send it through an http_proxy.
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
deadline = time.monotonic() + timeout
while True:
    try:
        os.kill(pid, 0)
    except OSError:
        print("moto_server exited during startup", file=sys.stderr)
        sys.exit(2)
    try:
        with opener.open(endpoint + "/moto-api/", timeout=2) as resp:
            if resp.status == 200:
                break
    except (urllib.error.URLError, OSError):
        pass
    if time.monotonic() > deadline:
        print(f"moto_server did not answer 200 on {endpoint}/moto-api/ within {timeout:.0f}s",
              file=sys.stderr)
        sys.exit(3)
    time.sleep(0.1)

if warmup == "0":
    sys.exit(0)

def auth(service):
    return ("AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/%s/aws4_request, "
            "SignedHeaders=host, Signature=x" % service)

calls = [
    ("ecs", {"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.ListClusters",
             "Content-Type": "application/x-amz-json-1.1"}, b"{}"),
    ("ecr", {"X-Amz-Target": "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories",
             "Content-Type": "application/x-amz-json-1.1"}, b"{}"),
    ("ec2", {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
     b"Action=DescribeVpcs&Version=2016-11-15"),
    ("autoscaling", {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
     b"Action=DescribeAutoScalingGroups&Version=2011-01-01"),
]
for service, headers, body in calls:
    headers = dict(headers, Authorization=auth(service))
    req = urllib.request.Request(endpoint + "/", data=body, headers=headers, method="POST")
    try:
        opener.open(req, timeout=30).read()
    except Exception as exc:  # warm-up is best effort
        print(f"moto warm-up for {service} failed: {exc}", file=sys.stderr)
PY
}

# Start moto_server on a free 127.0.0.1 port. Exports BOTOCRAFT_MOTO_ENDPOINT
# and MOTO_PID. Returns non-zero (after printing the log tail) on failure.
moto_start() {
    # Run as a module of the venv's python, not through bin/moto_server,
    # whose shebang names the path the venv was made at (a moved checkout).
    local python="$MOTO_ROOT/.venv/bin/python"
    if [[ ! -x "$python" ]] || ! "$python" -c 'import moto.server' 2>/dev/null; then
        echo "moto: no moto in $MOTO_ROOT/.venv; run scripts/bootstrap-venv.sh first" >&2
        return 1
    fi
    mkdir -p "$MOTO_ROOT/.cache"

    local port
    port="$("$(_moto_python)" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()')" || {
        echo "moto: could not pick a free port" >&2
        return 1
    }

    local started=$SECONDS
    # The command's server outlives the shell: its own session, so a Ctrl-C
    # at the prompt later does not reach it.
    local detach=()
    if [[ "$_MOTO_COMMAND" == 1 ]] && command -v setsid >/dev/null 2>&1; then
        detach=(setsid)
    fi
    MOTO_EC2_LOAD_DEFAULT_AMIS=false \
        "${detach[@]}" "$python" -m moto.server -H 127.0.0.1 -p "$port" >"$MOTO_LOG" 2>&1 </dev/null &
    MOTO_PID=$!
    export MOTO_PID
    # Not exported: a script this shell runs must not stop this server.
    _MOTO_OWN_PID=$MOTO_PID
    if [[ "$_MOTO_COMMAND" == 1 ]]; then
        echo "$MOTO_PID" >"$MOTO_PIDFILE"
    fi

    local endpoint="http://127.0.0.1:$port"
    if ! _moto_wait_ready "$endpoint" "$MOTO_PID" "${MOTO_START_TIMEOUT:-60}"; then
        echo "moto: startup failed; last lines of $MOTO_LOG:" >&2
        tail -n 40 "$MOTO_LOG" >&2 || true
        moto_stop
        return 1
    fi
    export BOTOCRAFT_MOTO_ENDPOINT="$endpoint"
    if [[ "$_MOTO_COMMAND" == 1 ]]; then
        echo "$endpoint" >"$MOTO_ENDPOINT_FILE"
    fi
    echo "moto: moto_server (pid $MOTO_PID) ready at $endpoint in $((SECONDS - started))s (log: ${MOTO_LOG#"$MOTO_ROOT"/})" >&2
}

# Whether <pid> is a moto server (a pid file outlives its process, and the
# number may since name another).
_moto_is_moto() {
    [[ -r "/proc/$1/cmdline" ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q 'moto'
}

# Stop the server this shell's moto_start started (as a command: the one
# .cache/moto.pid names, if it is still a moto server). Safe to call more
# than once and when nothing is running.
moto_stop() {
    local pid="${_MOTO_OWN_PID:-}"
    if [[ "$_MOTO_COMMAND" == 1 && -z "$pid" && -f "$MOTO_PIDFILE" ]]; then
        pid="$(cat "$MOTO_PIDFILE")"
        _moto_is_moto "$pid" || pid=""
    fi
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        local tries=0
        while kill -0 "$pid" 2>/dev/null && ((tries++ < 50)); do
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -9 "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    fi
    if [[ "$_MOTO_COMMAND" == 1 ]]; then
        rm -f "$MOTO_PIDFILE" "$MOTO_ENDPOINT_FILE"
    fi
    unset MOTO_PID _MOTO_OWN_PID
    return 0
}

# Subcommand mode when executed rather than sourced.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    case "${1:-}" in
        start)
            if [[ -f "$MOTO_PIDFILE" ]] && kill -0 "$(cat "$MOTO_PIDFILE")" 2>/dev/null &&
                _moto_is_moto "$(cat "$MOTO_PIDFILE")" && [[ -f "$MOTO_ENDPOINT_FILE" ]]; then
                echo "moto: already running (pid $(cat "$MOTO_PIDFILE"))" >&2
                echo "export BOTOCRAFT_MOTO_ENDPOINT=$(cat "$MOTO_ENDPOINT_FILE")"
                exit 0
            fi
            moto_start
            disown "$MOTO_PID" 2>/dev/null || true
            echo "export BOTOCRAFT_MOTO_ENDPOINT=$BOTOCRAFT_MOTO_ENDPOINT"
            ;;
        stop)
            moto_stop
            ;;
        *)
            echo "usage: $0 start|stop   (or: source $0; moto_start; trap moto_stop EXIT)" >&2
            exit 2
            ;;
    esac
fi
