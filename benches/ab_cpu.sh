#!/usr/bin/env bash
# Two builds compared on the CPU time each judged fuzz request costs, in alternated pairs: for
# each pair, `A serve` + `A fuzz` and `B serve` + `B fuzz` (the order swapped every other
# pair), each fuzzing SECONDS against its own server; per run the client's user + system time
# (`/usr/bin/time`) and the server's (`/proc/PID/stat`) over the judged requests. Prints every
# run, then per side (client, server, total) both builds' medians and the median of the
# pairwise ratios B / A with their range.
#
# One run on a shared machine moves by 10-20 % with the other tenants' load; two builds run
# minutes apart differ by as much. A pair runs seconds apart, so the median of ten pairwise
# ratios judges a change of a few per cent where single runs cannot (the client's ratio of a
# change to the server alone shows the noise left).
#
# Usage: benches/ab_cpu.sh A_BIN B_BIN [SUITES] [SECONDS] [PAIRS]
#   SUITES: comma-separated fuzz suites, or - for every suite (default payu-intent,payu-postservice)
#   SECONDS: per run (default 3); PAIRS: default 10.
# Example: benches/ab_cpu.sh /tmp/before/upi-conformance target/release/upi-conformance - 3 10
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
(($# >= 2)) || { sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
A=$1
B=$2
SUITES=${3:-payu-intent,payu-postservice}
SECONDS_EACH=${4:-3}
PAIRS=${5:-10}
for bin in "$A" "$B"; do
    [[ -x $bin ]] || { echo "ab_cpu: $bin is not an executable" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "ab_cpu: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
OUT=target/ab_cpu
mkdir -p "$OUT"
SUITE_ARGS=()
if [[ $SUITES != - ]]; then
    IFS=, read -ra names <<<"$SUITES"
    for s in "${names[@]}"; do SUITE_ARGS+=(--suite "$s"); done
fi

SERVER_PID=
cleanup() { [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
# shellcheck source=benches/serve_lib.sh
source benches/serve_lib.sh

# run PAIR NAME BIN: one line `PAIR NAME client_s server_s judged`.
run() {
    start_serve "$OUT/server.log" "$3" || exit 2
    local s0 s1
    s0=$(server_cpu)
    /usr/bin/time -f '%U %S' -o "$OUT/fuzz.time" "$3" fuzz --target "$BASE" "${SUITE_ARGS[@]}" \
        --duration "${SECONDS_EACH}s" --seed 1 --format json >"$OUT/fuzz.json" 2>"$OUT/fuzz.stderr" || (($? == 1))
    s1=$(server_cpu)
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); u,s=map(float,open(sys.argv[2]).read().split()[-2:])
print(sys.argv[5], sys.argv[6], u + s, float(sys.argv[4]) - float(sys.argv[3]), r.get("judged", r["cases"]))' \
        "$OUT/fuzz.json" "$OUT/fuzz.time" "$s0" "$s1" "$1" "$2"
}

echo "A = $A; B = $B; suites $SUITES; $SECONDS_EACH s per run; $PAIRS pairs"
: >"$OUT/runs.txt"
for ((i = 1; i <= PAIRS; i++)); do
    if ((i % 2)); then order=(A B); else order=(B A); fi
    for build in "${order[@]}"; do
        if [[ $build == A ]]; then bin=$A; else bin=$B; fi
        run "$i" "$build" "$bin" >>"$OUT/runs.txt"
        tail -n 1 "$OUT/runs.txt" | awk '{ printf "pair %s %s: client %.1f µs, server %.1f µs per judged request (%d judged)\n", $1, $2, 1e6 * $3 / $5, 1e6 * $4 / $5, $5 }'
    done
done

python3 - "$OUT/runs.txt" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    pair, build, client, server, judged = line.split()
    n = max(int(judged), 1)
    c, s = 1e6 * float(client) / n, 1e6 * float(server) / n
    runs[pair][build] = (c, s, c + s)
pairs = [r for r in runs.values() if "A" in r and "B" in r]
print()
for k, side in enumerate(["client", "server", "total"]):
    a = [r["A"][k] for r in pairs]
    b = [r["B"][k] for r in pairs]
    ratio = [r["B"][k] / r["A"][k] for r in pairs]
    print(f"{side:6}: A median {statistics.median(a):.1f} µs ({min(a):.1f}-{max(a):.1f}), "
          f"B median {statistics.median(b):.1f} µs ({min(b):.1f}-{max(b):.1f}); "
          f"B/A pairwise median {statistics.median(ratio):.3f} ({min(ratio):.3f}-{max(ratio):.3f}, {len(pairs)} pairs)")
PY
