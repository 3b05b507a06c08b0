#!/usr/bin/env bash
# Side-by-side throughput: the live fuzzer (`upi-conformance fuzz`) and Schemathesis, one after
# the other in one run, against ONE reference server (`upi-conformance serve`) on loopback. Both
# are measured the same way: the server's own count of answered requests (`GET /sandbox/stats`,
# read before and after each tool; reading it is not counted) over the tool's wall time.
#
# Usage (from any directory; needs cargo, python3 with venv, and PyPI the first time):
#
#   benches/side_by_side.sh                  # 30 s per tool
#   DURATION=20 benches/side_by_side.sh      # 20 s per tool
#
# Environment: DURATION (seconds per tool, default 30), PORT (server port, default 0: a free
# one, named by the server's ready line), MIN_RATIO (default 20), SCHEMATHESIS (pip requirement,
# default 'schemathesis==4.*'; installed into target/schemathesis-venv when that has no `st`),
# BIN (the binary serving and fuzzing; set, nothing is built), FUZZ_ARGS (extra fuzz arguments).
#
# It builds `cargo build --release -p upi-conformance`, starts the server, runs
#   upi-conformance fuzz --target URL --duration ${DURATION}s --seed 1 --format json
#   st run ../../../schemas/openapi.json --url URL --max-time $DURATION --checks all --workers 2 \
#     --seed 1 --auth test_api_key: --generation-database none --no-color
# (the fuzzer's workers default to the number of cores), and prints a table: tool, version,
# command line, wall s, server-counted requests, requests/s, and the ratio fuzzer/Schemathesis
# (the goal's measure), the cores each kept busy and the CPU time per request (the tool's user +
# system time, bash's `time`, plus the server's from /proc/PID/stat) with the ratio of those (the
# figure that moves least with the shared machine's other load), plus the failures Schemathesis
# reported. Schemathesis is a cross-check tool here, never a
# dependency of the crates; its exit code on findings does not stop the script.
#
# (Schemathesis runs in an emptied target/side-by-side/schemathesis-cwd, hence the spec path
# ../../../schemas/openapi.json: its .schemathesis/ cache and crash files must not carry over.)
#
# Output: the table on stdout, target/side-by-side.json, and the logs in target/side-by-side/
# (server.log, fuzz.json, fuzz.stderr, schemathesis.log).
# Exit: 0 ratio >= MIN_RATIO; 1 ratio below it; 2 something else failed.

set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
DURATION=${DURATION:-30}
PORT=${PORT:-0}
MIN_RATIO=${MIN_RATIO:-20}
SCHEMATHESIS=${SCHEMATHESIS:-'schemathesis==4.*'}
OUT=target/side-by-side
VENV=target/schemathesis-venv
READY='upi-reference-server listening on '

die() {
    echo "side_by_side: error: $*" >&2
    exit 2
}

[[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "DURATION must be a whole number of seconds, not '$DURATION'"

if [[ -n ${BIN:-} ]]; then
    echo "== measuring $BIN (not building: BIN is set)" >&2
else
    echo "== building: cargo build --release -p upi-conformance" >&2
    cargo build --release -p upi-conformance >&2
fi
BIN=${BIN:-target/release/upi-conformance}

if [[ ! -x $VENV/bin/st ]]; then
    echo "== installing Schemathesis ($SCHEMATHESIS) into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "$SCHEMATHESIS" >&2
fi
ST_VERSION=$("$VENV/bin/st" --version | sed -n 's/.*version //p')
FUZZ_VERSION=$("$BIN" --version | sed -n 's/^upi-conformance //p')
[[ -n $ST_VERSION && -n $FUZZ_VERSION ]] || die "could not read the tools' versions"

mkdir -p "$OUT"
SERVER_PID=
cleanup() {
    if [[ -n $SERVER_PID ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SERVER_CMD="$BIN serve --addr 127.0.0.1:$PORT"
echo "== starting: $SERVER_CMD" >&2
$SERVER_CMD >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
BASE=
for _ in $(seq 1 300); do
    BASE=$(sed -n "s/^${READY}//p" "$OUT/server.log")
    [[ -n $BASE ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server ended: $(cat "$OUT/server.log")"
    sleep 0.1
done
[[ -n $BASE ]] || die "no ready line from the server in 30 s"
echo "== server at $BASE" >&2

# The server's counts as one line of JSON.
stats() {
    curl -fsS --max-time 5 "$BASE/sandbox/stats" || die "GET $BASE/sandbox/stats failed"
}

now_ns() {
    date +%s%N
}

# server_cpu: the server's CPU time so far.
# shellcheck source=benches/serve_lib.sh
source benches/serve_lib.sh

# in_dir DIR CMD...: runs CMD in DIR (a function, so that `time` reports on it as on any command).
in_dir() {
    (cd "$1" && shift && exec "$@")
}

# measure NAME CMD...: runs CMD (stdout and stderr as redirected by the caller) between two
# reads of the counter and records NAME_before, NAME_after, NAME_ns, NAME_rc, NAME_cpu (the
# tool's user + system seconds, its threads and child processes included: bash's `time`) and
# NAME_server_cpu (the server's over the same span).
measure() {
    local name=$1
    shift
    local before after start end s0 s1 rc=0
    before=$(stats)
    s0=$(server_cpu)
    start=$(now_ns)
    local TIMEFORMAT='%3U %3S'
    # `time` reports on the shell's stderr (to the .cpu file); the tool's own stderr goes to fd 4,
    # the caller's stderr.
    if [[ $name == st ]]; then
        { time in_dir "$ST_CWD" "$@" 2>&4; } 4>&2 2>"$OUT/$name.cpu" || rc=$?
    else
        { time "$@" 2>&4; } 4>&2 2>"$OUT/$name.cpu" || rc=$?
    fi
    end=$(now_ns)
    s1=$(server_cpu)
    after=$(stats)
    printf -v "${name}_before" '%s' "$before"
    printf -v "${name}_after" '%s' "$after"
    printf -v "${name}_ns" '%s' "$((end - start))"
    printf -v "${name}_rc" '%s' "$rc"
    printf -v "${name}_cpu" '%s' "$(awk '{ print $1 + $2 }' "$OUT/$name.cpu")"
    printf -v "${name}_server_cpu" '%s' "$(awk -v a="$s0" -v b="$s1" 'BEGIN { print b - a }')"
}

# shellcheck disable=SC2206 # FUZZ_ARGS is split into words on purpose
FUZZ_ARGS=(fuzz --target "$BASE" --duration "${DURATION}s" --seed 1 ${FUZZ_ARGS:-} --format json)
echo "== ${DURATION} s: upi-conformance ${FUZZ_ARGS[*]}" >&2
measure fuzz "$BIN" "${FUZZ_ARGS[@]}" >"$OUT/fuzz.json" 2>"$OUT/fuzz.stderr"
# 0: nothing found, 1: findings; anything else means the run itself failed.
((fuzz_rc <= 1)) || die "the fuzzer exited $fuzz_rc: $(cat "$OUT/fuzz.stderr")"

# Schemathesis keeps a cache and crash files under .schemathesis/ in its working directory and
# would replay them next time: it runs in an emptied directory, so every run starts clean.
ST_CWD=$OUT/schemathesis-cwd
rm -rf "$ST_CWD"
mkdir -p "$ST_CWD"
ST_ARGS=(run ../../../schemas/openapi.json --url "$BASE" --max-time "$DURATION" --checks all --workers 2 --seed 1
    --auth test_api_key: --generation-database none --no-color)
echo "== ${DURATION} s, in $ST_CWD: st ${ST_ARGS[*]}" >&2
measure st "$ROOT/$VENV/bin/st" "${ST_ARGS[@]}" >"$OUT/schemathesis.log" 2>&1

export ROOT DURATION MIN_RATIO OUT BASE SERVER_CMD ST_VERSION FUZZ_VERSION ST_CWD
export fuzz_before fuzz_after fuzz_ns fuzz_rc fuzz_cpu fuzz_server_cpu st_before st_after st_ns st_rc st_cpu st_server_cpu
export FUZZ_CMD="upi-conformance ${FUZZ_ARGS[*]}" ST_CMD="st ${ST_ARGS[*]}"
python3 - <<'EOF'
import json, os, platform, re, subprocess, sys

env = os.environ
out = env["OUT"]


def counted(name):
    before, after = json.loads(env[f"{name}_before"]), json.loads(env[f"{name}_after"])
    wall = int(env[f"{name}_ns"]) / 1e9
    delta = after["requests"] - before["requests"]
    by_status = {k: after["by_status"][k] - before["by_status"][k] for k in after["by_status"]}
    tool_cpu, server_cpu = float(env[f"{name}_cpu"]), float(env[f"{name}_server_cpu"])
    return {
        "wall_s": round(wall, 3),
        "server_requests": delta,
        "server_by_status": by_status,
        "requests_per_second": round(delta / wall, 1) if wall > 0 else 0.0,
        "exit_code": int(env[f"{name}_rc"]),
        "cpu_s": {"tool": round(tool_cpu, 3), "server": round(server_cpu, 3)},
        "cores_busy": round((tool_cpu + server_cpu) / wall, 2) if wall > 0 else None,
        "cpu_us_per_request": round(1e6 * (tool_cpu + server_cpu) / delta, 1) if delta > 0 else None,
    }


fuzz = {"tool": "upi-conformance fuzz", "version": env["FUZZ_VERSION"], "command": env["FUZZ_CMD"]}
fuzz.update(counted("fuzz"))
try:
    report = json.load(open(f"{out}/fuzz.json"))
    fuzz["self_reported"] = {
        "requests": report["requests"],
        "elapsed_s": report["elapsed_ms"] / 1000,
        "requests_per_second": round(report["requests_per_second"], 1),
        "cases": report["cases"],
        "findings": len(report["findings"]),
    }
except (OSError, ValueError, KeyError) as e:
    sys.exit(f"side_by_side: error: unreadable {out}/fuzz.json: {e}")

m = re.search(r"(\d+) workers", open(f"{out}/fuzz.stderr", encoding="utf-8", errors="replace").read())
fuzz["workers"] = int(m.group(1)) if m else None

st = {"tool": "schemathesis", "version": env["ST_VERSION"], "command": env["ST_CMD"], "cwd": env["ST_CWD"], "workers": 2}
st.update(counted("st"))
log = open(f"{out}/schemathesis.log", encoding="utf-8", errors="replace").read()
m = re.search(r"Test cases:\s*\n\s*(\d+) generated", log)
st["self_reported"] = {"test_cases_generated": int(m.group(1)) if m else None}

# Schemathesis's findings: per failing operation, each check that failed, the status it saw
# and the start of the body; then its warnings and its summary of failures.
findings = []
section = re.search(r"=+ FAILURES =+\n(.*?)(?:\n=+ [A-Z]+ =+\n|\Z)", log, re.S)
if section:
    for block in re.split(r"\n(?=_+ \S.* _+\n)", section.group(1)):
        head = re.match(r"_+ (\S.*?) _+\n", block)
        if not head:
            continue
        for case in re.split(r"\n(?=\d+\. Test Case ID)", block):
            checks = re.findall(r"^- (ST\d+ .*)$", case, re.M)
            status = re.search(r"^\[(\d+)\] ([^\n]*):\s*\n\s*\n\s*(.*)$", case, re.M)
            for check in checks:
                findings.append({
                    "operation": head.group(1),
                    "check": check.strip(),
                    "status": int(status.group(1)) if status else None,
                    "body": status.group(3).strip("` ")[:240] if status else None,
                })
warnings = re.search(r"=+ WARNINGS =+\n(.*?)\n=+ ", log, re.S)
summary = re.findall(r"^\s+❌ (ST\d+ .*)$", log, re.M)

ratio = fuzz["requests_per_second"] / st["requests_per_second"] if st["requests_per_second"] > 0 else None
# The same comparison by CPU time (tool + server per request): the requests/s of each move with
# what else the shared machine runs, and with how many cores the tool keeps busy (Schemathesis's
# workers are Python threads); the CPU each request costs moves much less.
cpu_ratio = (st["cpu_us_per_request"] / fuzz["cpu_us_per_request"]
             if st["cpu_us_per_request"] and fuzz["cpu_us_per_request"] else None)
min_ratio = float(env["MIN_RATIO"])
result = {
    "duration_s": int(env["DURATION"]),
    "server": {"command": env["SERVER_CMD"], "url": env["BASE"]},
    "machine": {"cores": os.cpu_count(), "arch": platform.machine(), "kernel": platform.release()},
    "commit": subprocess.run(["git", "-C", env["ROOT"], "describe", "--always", "--dirty"],
                             capture_output=True, text=True).stdout.strip() or None,
    "measure": "server-counted requests (GET /sandbox/stats delta) / the tool's wall seconds",
    "tools": [fuzz, st],
    "ratio": round(ratio, 2) if ratio is not None else None,
    "cpu_ratio": round(cpu_ratio, 2) if cpu_ratio is not None else None,
    "min_ratio": min_ratio,
    "pass": ratio is not None and ratio >= min_ratio,
    "schemathesis_findings": findings,
    "schemathesis_failure_summary": summary,
    "schemathesis_warnings": warnings.group(1).strip() if warnings else None,
}
with open("target/side-by-side.json", "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")

print(f"\nSide by side, {result['duration_s']} s each, one server: {env['SERVER_CMD']} ({env['BASE']})")
print(f"machine: {result['machine']['cores']} cores {result['machine']['arch']}; commit {result['commit']}\n")
vw = max(len("version"), len(fuzz["version"]), len(st["version"]))
print(f"{'tool':<22} {'version':<{vw}} {'wall s':>7} {'server-counted':>15} {'requests/s':>11} "
      f"{'cores busy':>10} {'CPU µs/request':>15}  exit")
for t in (fuzz, st):
    print(f"{t['tool']:<22} {t['version']:<{vw}} {t['wall_s']:>7.2f} {t['server_requests']:>15,} "
          f"{t['requests_per_second']:>11,.1f} {t['cores_busy'] or 0:>10.2f} {t['cpu_us_per_request'] or 0:>15,.1f}  "
          f"{t['exit_code']}")
print("(CPU: the tool's user + system time and the server's over the same span, per server-counted request)")
if cpu_ratio is not None:
    print(f"by CPU per request: fuzzer/Schemathesis = {cpu_ratio:.1f}x")
print()
for t in (fuzz, st):
    where = f" (in {t['cwd']}, emptied first)" if "cwd" in t else ""
    print(f"{t['tool']}, {t['workers']} workers{where}: {t['command']}")
    print(f"  by status: {t['server_by_status']}")
sr = fuzz["self_reported"]
print(f"  fuzz's own report: {sr['requests']:,} requests in {sr['elapsed_s']:.1f} s = "
      f"{sr['requests_per_second']:,.1f} requests/s, {sr['cases']:,} cases, {sr['findings']} findings")
print(f"  Schemathesis's own report: {st['self_reported']['test_cases_generated']} test cases generated")

print("\nSchemathesis reported:" if findings or summary else "\nSchemathesis reported no failures.")
for f in findings:
    print(f"  {f['operation']}: {f['check']} -> [{f['status']}] {f['body']}")
for s in summary:
    print(f"  total: {s}")
if result["schemathesis_warnings"]:
    print("  warnings: " + " | ".join(l.strip() for l in result["schemathesis_warnings"].splitlines() if l.strip()))
print(f"  (full log: {out}/schemathesis.log)")

print(f"\nwrote target/side-by-side.json")
if ratio is None:
    print("\nFAIL: Schemathesis made no requests the server counted; see the log")
    sys.exit(2)
verdict = "PASS" if result["pass"] else "FAIL"
print(f"\n{verdict}: fuzzer/Schemathesis = {ratio:.1f}x (goal: at least {min_ratio:g}x)")
sys.exit(0 if result["pass"] else 1)
EOF
