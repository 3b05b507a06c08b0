#!/usr/bin/env bash
# Runs .clusterfuzzlite/build.sh the way OSS-Fuzz's base-builder-rust image does, without Docker,
# then checks what it left in $OUT. The layout and environment of the image: $SRC/build.sh (a
# copy of build.sh), $SRC/upi-conformance (the project; here a symlink to this checkout, so the
# build lands in fuzz/target and fuzz/smoke.sh reuses it), $OUT and $WORK, the variables of
# `compile` for SANITIZER=address (env.sh: CC=clang, CFLAGS with -fsanitize=address and
# -fsanitize=fuzzer-no-link, RUSTFLAGS with --cfg fuzzing -Zsanitizer=address), and
# `bash -eux $SRC/build.sh` from the project directory. Then check_out.py checks $OUT: one
# libFuzzer+ASan binary per `cargo fuzz list` target that runs its seed corpus, a seed corpus zip
# per seed directory, dictionaries libFuzzer parses, .options files naming existing files and
# flags libFuzzer accepts; and (--self-test) that each check fails on a broken copy of $OUT.
#
# Usage: .clusterfuzzlite/check.sh [--no-build] [--self-test]
# Env:   CFL_DIR (default target/cflite): where src/, out/ and work/ go.
# Needs: clang (installed with apt-get when missing and running as root), python3, cargo-fuzz
#        (installed like fuzz/smoke.sh does), a nightly toolchain or RUSTC_BOOTSTRAP=1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build=1
self_test=0
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    --self-test) self_test=1 ;;
    *) echo "usage: $0 [--no-build] [--self-test]" >&2; exit 2 ;;
  esac
done

cfl="${CFL_DIR:-$root/target/cflite}"
export SRC="$cfl/src" OUT="$cfl/out" WORK="$cfl/work"

if [[ $build == 1 ]]; then
  if ! compgen -c clang | grep -qx 'clang\(-[0-9]*\)\?'; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
      echo "== installing clang (the image's C compiler)"
      apt-get install -y --no-install-recommends clang >/dev/null 2>&1 ||
        { apt-get update >/dev/null && apt-get install -y --no-install-recommends clang >/dev/null; }
    else
      echo "check.sh: clang is needed (the OSS-Fuzz image builds C code with clang)" >&2
      exit 2
    fi
  fi
  if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked
  fi
  rm -rf "$OUT" "$WORK"
  mkdir -p "$SRC" "$OUT" "$WORK"
  ln -sfn "$root" "$SRC/upi-conformance"
  cp .clusterfuzzlite/build.sh "$SRC/build.sh"
  echo "== compile (OSS-Fuzz style): SRC=$SRC OUT=$OUT WORK=$WORK"
  start=$(date +%s)
  (
    # shellcheck source=env.sh
    source "$root/.clusterfuzzlite/env.sh"
    echo "CC=${CC:-} CFLAGS=${CFLAGS:-}"
    echo "RUSTFLAGS=$RUSTFLAGS"
    cd "$SRC/upi-conformance"
    bash -eux "$SRC/build.sh"
  )
  # compile copies the symbolizer next to the binaries.
  if command -v llvm-symbolizer >/dev/null; then cp "$(command -v llvm-symbolizer)" "$OUT/"; fi
  echo "== built in $(($(date +%s) - start)) s"
fi

targets="$(cd fuzz && cargo fuzz list 2>/dev/null || ls fuzz/fuzz_targets | sed 's/\.rs$//')"
args=("$OUT" --fuzz-dir fuzz --targets $targets)
[[ $self_test == 1 ]] && args+=(--self-test)
python3 .clusterfuzzlite/check_out.py "${args[@]}"
