#!/usr/bin/env bash
# The live fuzzer against the loopback ceiling, in one run against ONE `upi-conformance serve`:
#   1. the ceiling: `wrk` on `GET /sandbox/health` (nothing generated, signed or judged);
#   2. the fuzzer's judged requests/s per suite: EC (ec-txns), PayU (payu-intent,
#      payu-postservice), Merchant Stack (merchant-register-intent);
#   3. RSA-2048 sign and verify per second on one core (`spec/examples/rsa_rate.rs`) and the
#      Merchant Stack bound they set: CORES / (2/sign + 2/verify) requests/s (each judged
#      Merchant Stack request costs the runner's JWS signature, the server's verification, the
#      server's response signature and the runner's verification of it).
# and prints each ratio: EC and PayU to the ceiling (goal >= 25 %), Merchant Stack to its RSA
# bound (goal >= 50 %).
#
# Requests/s on a shared machine move with the other processes' load (the ceiling itself by 2x
# between runs), so the script also reports the CPU time each request costs: the client's user +
# system time (`/usr/bin/time`) plus the server's over the same phase (`/proc/PID/stat`), divided
# by the judged requests (those whose answers the fuzzer judged). `CPU ratio` is the ceiling's
# CPU per request over the suite's per judged request (for
# Merchant Stack: the CPU time of the RSA work per request, 2 signatures and 2 verifications, over
# the suite's CPU per request):
# the share of the ceiling a run would reach if CPU alone set the rate. That figure holds when
# other processes take the cores; it is the one to judge a change by.
# EC cases make an order first (`POST /orders`, a set-up request): builds before s6-ec counted
# it but did not judge it, later ones judge it (the report's `judged`); the table shows judged
# requests apart (a report without `judged`: one per case).
#
# Usage: benches/loopback_ceiling.sh        Environment: DURATION (seconds each, default 10),
# CONNECTIONS (wrk connections, default 16), WORKERS (fuzz --workers, default: the cores),
# BIN (the binary serving and fuzzing, default the release build, built first: an older build
# kept aside and measured the same way gives a before/after pair; with BIN set nothing is built).
# Extra fuzz arguments (say `--in-flight 1`, which an older build does not take): FUZZ_ARGS.
# Needs `wrk` (apt-get install wrk). Output: the table on stdout; logs in target/loopback/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
CORES=$(nproc)
WORKERS=${WORKERS:-$CORES}
OUT=target/loopback
BIN=${BIN:-}
command -v wrk >/dev/null || { echo "loopback_ceiling: needs wrk (apt-get install wrk)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "loopback_ceiling: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

if [[ -n $BIN && -x target/release/examples/rsa_rate ]]; then
    echo "== measuring $BIN (not building: BIN is set)" >&2
else
    echo "== building (release)" >&2
    # One command: built separately, the two would unify features differently and rebuild the lot.
    # `--bin` too: with `--example` alone cargo builds no binary of upi-conformance.
    cargo build --release -p upi-conformance --bin upi-conformance -p upi-spec --example rsa_rate >&2
fi
BIN=${BIN:-target/release/upi-conformance}
mkdir -p "$OUT"

SERVER_PID=
cleanup() { [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
# shellcheck source=benches/serve_lib.sh
source benches/serve_lib.sh
start_serve "$OUT/server.log" "$BIN" || exit 2

LOAD_BEFORE=$(uptime | sed 's/.*load average: //')
echo "load before: load average $LOAD_BEFORE, $CORES cores"
S0=$(server_cpu)
/usr/bin/time -f '%U %S' -o "$OUT/wrk.time" \
    wrk -t"$CORES" -c"$CONNECTIONS" -d"${DURATION}s" "$BASE/sandbox/health" >"$OUT/wrk.txt"
S1=$(server_cpu)
CEILING=$(sed -n 's/^Requests\/sec: *//p' "$OUT/wrk.txt")
CEILING_REQUESTS=$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' "$OUT/wrk.txt")
CEILING_CPU=$(awk -v s0="$S0" -v s1="$S1" '{ print $1 + $2 + s1 - s0 }' "$OUT/wrk.time")

# fuzz_rate NAME SUITES: requests/s, cases, findings, requests, CPU seconds (client + server), ms.
fuzz_rate() {
    local s0 s1
    s0=$(server_cpu)
    /usr/bin/time -f '%U %S' -o "$OUT/fuzz-$1.time" \
        "$BIN" fuzz --target "$BASE" --suite "$2" --duration "${DURATION}s" --seed 1 --workers "$WORKERS" \
        ${FUZZ_ARGS:-} --format json >"$OUT/fuzz-$1.json" 2>"$OUT/fuzz-$1.stderr" || (($? == 1))
    s1=$(server_cpu)
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); u,s=map(float,open(sys.argv[2]).read().split()[-2:])
print(round(r["requests_per_second"],1), r.get("judged", r["cases"]), len(r["findings"]), r["requests"], round(u+s+float(sys.argv[4])-float(sys.argv[3]),3), r["elapsed_ms"], r["cases"])' \
        "$OUT/fuzz-$1.json" "$OUT/fuzz-$1.time" "$s0" "$s1"
}
read -r EC EC_JUDGED EC_FIND EC_REQUESTS EC_CPU EC_MS EC_CASES < <(fuzz_rate ec ec-txns)
read -r PAYU PAYU_JUDGED PAYU_FIND PAYU_REQUESTS PAYU_CPU PAYU_MS PAYU_CASES < <(fuzz_rate payu payu-intent,payu-postservice)
read -r MS MS_JUDGED MS_FIND MS_REQUESTS MS_CPU MS_MS MS_CASES < <(fuzz_rate merchant merchant-register-intent)
# rsa_rate's rates are per wall second; its CPU share over that time turns them into CPU time.
RSA_STARTED=$(date +%s%N)
RSA=$(/usr/bin/time -f '%U %S' -o "$OUT/rsa.time" target/release/examples/rsa_rate 3)
RSA_SHARE=$(awk -v t0="$RSA_STARTED" -v t1="$(date +%s%N)" '{ print ($1 + $2) / ((t1 - t0) / 1e9) }' "$OUT/rsa.time")
LOAD_AFTER=$(uptime | sed 's/.*load average: //')
echo "load after: load average $LOAD_AFTER"

export CEILING CEILING_REQUESTS CEILING_CPU RSA RSA_SHARE CORES DURATION WORKERS CONNECTIONS LOAD_BEFORE LOAD_AFTER BIN
export EC EC_JUDGED EC_CASES EC_FIND EC_REQUESTS EC_CPU EC_MS PAYU PAYU_JUDGED PAYU_CASES PAYU_FIND PAYU_REQUESTS PAYU_CPU PAYU_MS
export MS MS_JUDGED MS_CASES MS_FIND MS_REQUESTS MS_CPU MS_MS
python3 - <<'PY'
import json, os
e = os.environ
ceiling = float(e["CEILING"]); rsa = json.loads(e["RSA"]); cores = int(e["CORES"])
bound = cores / (2 / rsa["sign_per_s"] + 2 / rsa["verify_per_s"])
ceiling_us = 1e6 * float(e["CEILING_CPU"]) / int(e["CEILING_REQUESTS"])
# CPU time of the RSA work of one Merchant Stack request (rsa_rate's wall rates times its CPU share).
rsa_us = 1e6 * float(e["RSA_SHARE"]) * (2 / rsa["sign_per_s"] + 2 / rsa["verify_per_s"])
print(f"\nbinary {e['BIN']}; load average {e['LOAD_BEFORE']} before, {e['LOAD_AFTER']} after; {cores} cores")
print(f"\n| what | requests/s | judged/s | ratio (judged/s) | CPU µs per judged request (client + server) | CPU ratio | goal |")
print("|---|---|---|---|---|---|---|")
print(f"| `wrk -t{cores} -c{e['CONNECTIONS']}` GET /sandbox/health ({e['DURATION']} s) | {ceiling:,.0f} | | ceiling | {ceiling_us:,.1f} | ceiling | |")
def row(name, key, base_rate, base_us, base_name, goal):
    r = float(e[key]); requests = int(e[key + "_REQUESTS"]); cases = int(e[key + "_CASES"])
    judged_requests = int(e[key + "_JUDGED"])
    # The ratios are of judged requests: CPU time per judged request, judged requests/s.
    us = 1e6 * float(e[key + "_CPU"]) / max(judged_requests, 1)
    judged = judged_requests / (int(e[key + "_MS"]) / 1000)
    print(f"| fuzz {name}, {e['WORKERS']} workers, {cases:,} cases, {requests:,} requests, {e[key + '_FIND']} findings "
          f"| {r:,.0f} | {judged:,.0f} | {100 * judged / base_rate:.1f} % of {base_name} | {us:,.1f} | {100 * base_us / us:.1f} % | {goal} |")
row("EC (ec-txns)", "EC", ceiling, ceiling_us, "ceiling", ">= 25 %")
row("PayU (payu-intent, payu-postservice)", "PAYU", ceiling, ceiling_us, "ceiling", ">= 25 %")
print(f"| RSA-2048 sign / verify per core | {rsa['sign_per_s']:,.0f} / {rsa['verify_per_s']:,.0f} | | | | | |")
print(f"| Merchant Stack bound: {cores} / (2/sign + 2/verify) | {bound:,.0f} | | RSA bound | {rsa_us:,.1f} (RSA CPU alone) | RSA bound | |")
row("Merchant Stack (merchant-register-intent)", "MS", bound, rsa_us, "RSA bound", ">= 50 % of bound")
PY
