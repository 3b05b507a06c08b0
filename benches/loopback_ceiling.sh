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
# Usage: benches/loopback_ceiling.sh        Environment: DURATION (seconds each, default 10),
# CONNECTIONS (wrk connections, default 16), WORKERS (fuzz --workers, default: the cores),
# BIN (the binary serving and fuzzing, default the release build: an older build kept aside and
# measured the same way gives a before/after pair).
# Needs `wrk` (apt-get install wrk). Output: the table on stdout; logs in target/loopback/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
CORES=$(nproc)
WORKERS=${WORKERS:-$CORES}
OUT=target/loopback
BIN=${BIN:-}
READY='upi-reference-server listening on '
command -v wrk >/dev/null || { echo "loopback_ceiling: needs wrk (apt-get install wrk)" >&2; exit 2; }

echo "== building (release)" >&2
# One command: built separately, the two would unify features differently and rebuild the lot.
# `--bin` too: with `--example` alone cargo builds no binary of upi-conformance.
cargo build --release -p upi-conformance --bin upi-conformance -p upi-spec --example rsa_rate >&2
BIN=${BIN:-target/release/upi-conformance}
mkdir -p "$OUT"

SERVER_PID=
cleanup() { [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
"$BIN" serve --addr 127.0.0.1:0 >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
BASE=
for _ in $(seq 1 300); do
    BASE=$(sed -n "s/^${READY}//p" "$OUT/server.log")
    [[ -n $BASE ]] && break
    sleep 0.1
done
[[ -n $BASE ]] || { echo "loopback_ceiling: no ready line: $(cat "$OUT/server.log")" >&2; exit 2; }

echo "load before: $(uptime | sed 's/.*load average/load average/'), $CORES cores"
wrk -t"$CORES" -c"$CONNECTIONS" -d"${DURATION}s" "$BASE/sandbox/health" >"$OUT/wrk.txt"
CEILING=$(sed -n 's/^Requests\/sec: *//p' "$OUT/wrk.txt")

fuzz_rate() { # NAME SUITES
    "$BIN" fuzz --target "$BASE" --suite "$2" --duration "${DURATION}s" --seed 1 --workers "$WORKERS" \
        --format json >"$OUT/fuzz-$1.json" 2>"$OUT/fuzz-$1.stderr" || (($? == 1))
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(round(r["requests_per_second"],1), r["cases"], len(r["findings"]))' "$OUT/fuzz-$1.json"
}
read -r EC EC_CASES EC_FIND < <(fuzz_rate ec ec-txns)
read -r PAYU PAYU_CASES PAYU_FIND < <(fuzz_rate payu payu-intent,payu-postservice)
read -r MS MS_CASES MS_FIND < <(fuzz_rate merchant merchant-register-intent)
RSA=$(target/release/examples/rsa_rate 3)
echo "load after: $(uptime | sed 's/.*load average/load average/')"

export CEILING EC EC_CASES EC_FIND PAYU PAYU_CASES PAYU_FIND MS MS_CASES MS_FIND RSA CORES DURATION WORKERS CONNECTIONS
python3 - <<'PY'
import json, os
e = os.environ
ceiling = float(e["CEILING"]); rsa = json.loads(e["RSA"]); cores = int(e["CORES"])
bound = cores / (2 / rsa["sign_per_s"] + 2 / rsa["verify_per_s"])
print(f"\n| what | requests/s | ratio | goal |\n|---|---|---|---|")
print(f"| `wrk -t{cores} -c{e['CONNECTIONS']}` GET /sandbox/health ({e['DURATION']} s) | {ceiling:,.0f} | ceiling | |")
for name, key in [("EC (ec-txns)", "EC"), ("PayU (payu-intent, payu-postservice)", "PAYU")]:
    r = float(e[key])
    print(f"| fuzz {name}, {e['WORKERS']} workers, {e[key+'_CASES']} cases, {e[key+'_FIND']} findings | {r:,.0f} | {100*r/ceiling:.1f} % of ceiling | >= 25 % |")
print(f"| RSA-2048 sign / verify per core | {rsa['sign_per_s']:,.0f} / {rsa['verify_per_s']:,.0f} | | |")
print(f"| Merchant Stack bound: {cores} / (2/sign + 2/verify) | {bound:,.0f} | RSA bound | |")
ms = float(e["MS"])
print(f"| fuzz Merchant Stack (merchant-register-intent), {e['MS_CASES']} cases, {e['MS_FIND']} findings | {ms:,.0f} | {100*ms/bound:.1f} % of RSA bound, {100*ms/ceiling:.1f} % of ceiling | >= 50 % of bound |")
PY
