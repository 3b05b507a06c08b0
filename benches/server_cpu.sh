#!/usr/bin/env bash
# The reference server's CPU time per request, per fuzz suite: `SERVER_BIN serve` in one process,
# `CLIENT_BIN fuzz --target` in another (the same client for every server measured, so the
# request mix is the same), the server's user + system time read from /proc/PID/stat before and
# after each suite, divided by the requests the fuzzer made. Also `GET /sandbox/health` by wrk
# (the loopback ceiling's own cost on that server).
#
# Usage: benches/server_cpu.sh SERVER_BIN [CLIENT_BIN]   Environment: DURATION (s, default 4),
# WORKERS (fuzz --workers, default 16), SUITES (default "ec-txns payu-intent payu-postservice"),
# SERVER_ENV (variables for the server only, say TOKIO_WORKER_THREADS=1), SERVE_ARGS (more
# `serve` arguments, say `--threads 2`).
# Output: one line per suite: `suite requests server_cpu_s us_per_request`.
set -euo pipefail
SERVER_BIN=$1
CLIENT_BIN=${2:-$1}
DURATION=${DURATION:-4}
WORKERS=${WORKERS:-16}
SUITES=${SUITES:-ec-txns payu-intent payu-postservice}
OUT=$(mktemp -d)
# shellcheck source=benches/serve_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/serve_lib.sh"
SERVER_PID=
trap '[[ -n $SERVER_PID ]] && kill $SERVER_PID 2>/dev/null; wait 2>/dev/null; rm -rf "$OUT"' EXIT
# The server's variables only (`env` with none runs the command as it is).
start_serve "$OUT/server.log" env ${SERVER_ENV:-} "$SERVER_BIN" || exit 2
for suite in $SUITES; do
    s0=$(server_cpu)
    "$CLIENT_BIN" fuzz --target "$BASE" --suite "$suite" --duration "${DURATION}s" --seed 1 \
        --workers "$WORKERS" --format json >"$OUT/f.json" 2>/dev/null || true
    s1=$(server_cpu)
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); c=float(sys.argv[3])-float(sys.argv[2])
print(sys.argv[4], r["requests"], round(c,3), round(1e6*c/max(r["requests"],1),1))' "$OUT/f.json" "$s0" "$s1" "$suite"
done
if command -v wrk >/dev/null; then
    s0=$(server_cpu)
    wrk -t2 -c16 -d"${DURATION}s" "$BASE/sandbox/health" >"$OUT/wrk.txt"
    s1=$(server_cpu)
    n=$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' "$OUT/wrk.txt")
    python3 -c 'import sys; c=float(sys.argv[2])-float(sys.argv[1]); print("health", sys.argv[3], round(c,3), round(1e6*c/int(sys.argv[3]),1))' "$s0" "$s1" "$n"
fi
