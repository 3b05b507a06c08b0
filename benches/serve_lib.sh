# Sourced by the bench scripts: start_serve LOG CMD... starts `CMD serve --addr 127.0.0.1:0` in
# the background (its output in LOG; SERVE_ARGS, if set, are added to `serve`'s, say
# `--threads 2`), sets SERVER_PID, waits for the ready line (at most 30 s) and sets BASE to the
# address it names; returns 2 when no ready line comes.
start_serve() {
    local log=$1
    shift
    : >"$log"
    # shellcheck disable=SC2086 # SERVE_ARGS are words
    "$@" serve --addr 127.0.0.1:0 ${SERVE_ARGS:-} >"$log" 2>&1 &
    SERVER_PID=$!
    BASE=
    for _ in $(seq 1 300); do
        BASE=$(sed -n 's/^upi-reference-server listening on //p' "$log")
        [[ -n $BASE ]] && return 0
        sleep 0.1
    done
    echo "no ready line: $(cat "$log")" >&2
    return 2
}

# server_cpu: the CPU time SERVER_PID has used so far, in seconds (user + system, from
# /proc/PID/stat).
server_cpu() {
    awk -v t="$(getconf CLK_TCK)" '{ print ($14 + $15) / t }' "/proc/$SERVER_PID/stat"
}
