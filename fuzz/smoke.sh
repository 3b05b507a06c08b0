#!/usr/bin/env bash
# Smoke-runs every cargo-fuzz target for FUZZ_SECONDS (default 5) from its committed seeds and
# dictionary, then prints each target's executions/s. Exits non-zero if any target crashes (the
# crashing input is left in fuzz/artifacts/<target>/). Called by CI; see fuzz/README.md.
#
# Toolchain: `cargo +nightly fuzz` when a nightly toolchain and cargo-fuzz are installed;
# otherwise cargo-fuzz is installed (`cargo install cargo-fuzz --locked`) and the targets are
# built on stable with RUSTC_BOOTSTRAP=1 (cargo-fuzz needs nightly-only sanitizer flags).
#
# Usage: fuzz/smoke.sh [target...]     (default: every target of `cargo fuzz list`)
# Env:   FUZZ_SECONDS=5  FUZZ_SANITIZER=address (or none: faster build, panics still caught)
#
# With AddressSanitizer the build uses the flags OSS-Fuzz's Rust builder gives build.sh
# (.clusterfuzzlite/env.sh: clang with ASan for C dependencies, --cfg fuzzing), so this run and
# .clusterfuzzlite/check.sh share one build in fuzz/target.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${FUZZ_SECONDS:-5}"
sanitizer="${FUZZ_SANITIZER:-address}"
if [[ "$sanitizer" == address ]]; then
  # shellcheck source=../.clusterfuzzlite/env.sh
  source ../.clusterfuzzlite/env.sh
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
if rustup run nightly rustc --version >/dev/null 2>&1; then
  fuzz=(cargo +nightly fuzz)
else
  echo "== no nightly toolchain: building on stable with RUSTC_BOOTSTRAP=1"
  export RUSTC_BOOTSTRAP=1
  fuzz=(cargo fuzz)
fi

if [[ $# -gt 0 ]]; then
  targets=("$@")
else
  mapfile -t targets < <("${fuzz[@]}" list)
fi

# One build of every target (shared dependencies), so the per-target runs below start at once.
echo "== building ${#targets[@]} targets"
start=$(date +%s)
"${fuzz[@]}" build -O -s "$sanitizer"
echo "== built in $(($(date +%s) - start)) s"

dict_for() {
  case "$1" in
    deeplink_*) echo dict/deeplink.dict ;;
    *) echo "dict/$1.dict" ;;
  esac
}
seeds_for() {
  case "$1" in
    deeplink_structured) echo "" ;; # arbitrary bytes, not text: starts from scratch
    *) echo "seeds/$1" ;;
  esac
}

failed=()
summary=()
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
for t in "${targets[@]}"; do
  corpus="corpus/$t"
  mkdir -p "$corpus"
  args=(-max_total_time="$seconds" -print_final_stats=1)
  dict="$(dict_for "$t")"
  [[ -f "$dict" ]] && args+=(-dict="$dict")
  seeds="$(seeds_for "$t")"
  dirs=("$corpus")
  [[ -n "$seeds" && -d "$seeds" ]] && dirs+=("$seeds")
  echo "== $t (${seconds}s)"
  if "${fuzz[@]}" run -O -s "$sanitizer" "$t" "${dirs[@]}" -- "${args[@]}" >"$logs/$t.log" 2>&1; then
    status=ok
  else
    status=CRASH
    failed+=("$t")
    tail -n 60 "$logs/$t.log"
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$logs/$t.log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$logs/$t.log" | tail -1 | cut -d' ' -f2)
  summary+=("$(printf '%-20s %-6s %10s exec/s %10s runs  cov %s' "$t" "$status" "${rate:-?}" "${runs:-?}" "${cov:-?}")")
done

echo "== summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "== crashed: ${failed[*]} (inputs in fuzz/artifacts/<target>/; see fuzz/README.md)"
  exit 1
fi
