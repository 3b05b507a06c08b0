#!/usr/bin/env bash
# Is the cost of `run` linear in its cases? Runs the embedded `upi-conformance run` with
# `limits.generated_per_message` = 3, 30 and 100 (a config file each) and prints, per setting,
# the cases run, the wall time, the maximum RSS and the wall time per case: a super-linear
# step shows as a growing ms/case.
#
# Usage: benches/run_scaling.sh            (REPEAT=3 runs of each setting, the fastest kept)
# Environment: SETTINGS (default "3 30 100"), REPEAT (default 3), BIN (default: the release
# build, built first).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SETTINGS=${SETTINGS:-"3 30 100"}
REPEAT=${REPEAT:-3}
if [[ -z ${BIN:-} ]]; then
    echo "== building: cargo build --release -p upi-conformance" >&2
    cargo build --release -p upi-conformance >&2
    BIN=target/release/upi-conformance
fi
OUT=target/run-scaling
mkdir -p "$OUT"
echo "load: $(uptime | sed 's/.*load average/load average/'), $(nproc) cores"
printf '| generated_per_message | cases | wall s (best of %s) | max RSS MB | ms per case |\n|---|---|---|---|---|\n' "$REPEAT"
for n in $SETTINGS; do
    printf '[limits]\ngenerated_per_message = %s\n' "$n" > "$OUT/run-$n.toml"
    best=""
    for _ in $(seq "$REPEAT"); do
        start=$(date +%s.%N)
        # `run` exits 1 when a check fails; the embedded server passes, but do not stop on it.
        /usr/bin/time -f '%M' -o "$OUT/rss-$n" "$BIN" run --config "$OUT/run-$n.toml" --format json \
            > "$OUT/run-$n.json" 2> "$OUT/run-$n.stderr" || [[ $? -eq 1 ]]
        wall=$(echo "$(date +%s.%N) - $start" | bc -l)
        if [[ -z $best ]] || (( $(echo "$wall < $best" | bc -l) )); then best=$wall; fi
    done
    cases=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len(r["cases"]))' "$OUT/run-$n.json")
    rss=$(( $(tail -1 "$OUT/rss-$n") / 1024 ))
    printf '| %s | %s | %.2f | %s | %.3f |\n' "$n" "$cases" "$best" "$rss" "$(echo "$best * 1000 / $cases" | bc -l)"
done
