#!/usr/bin/env bash
# Builds every cargo-fuzz target of fuzz/ and copies into $OUT, per target: the binary, the seed
# corpus as <target>_seed_corpus.zip, the dictionary as <target>.dict and <target>.options
# (libFuzzer flags: the dictionary). Run by ClusterFuzzLite / OSS-Fuzz in the image of the
# Dockerfile next to this file (`compile` runs `bash -eux $SRC/build.sh` from the WORKDIR, the
# project copy), and locally the same way by `.clusterfuzzlite/check.sh`, which checks $OUT.
#
# Locally a nightly toolchain is used when installed (`cargo +nightly`), else RUSTC_BOOTSTRAP=1.
set -euo pipefail
: "${OUT:?set OUT to the output directory}"
# In the image this script is $SRC/build.sh, outside the project: the project is the working
# directory (the Dockerfile's WORKDIR). Run from a checkout, it is the parent of this directory.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ -f "$here/../fuzz/Cargo.toml" ]]; then
  root="$(cd "$here/.." && pwd)"
elif [[ -f "$PWD/fuzz/Cargo.toml" ]]; then
  root="$PWD"
else
  echo "build.sh: no fuzz/Cargo.toml next to $here or in $PWD" >&2
  exit 1
fi
cd "$root/fuzz"
mkdir -p "$OUT"

if cargo --version | grep -q nightly || [[ -n "${RUSTC_BOOTSTRAP:-}" ]]; then
  cargo=(cargo)
elif command -v rustup >/dev/null && rustup run nightly rustc --version >/dev/null 2>&1; then
  cargo=(cargo +nightly)
else
  export RUSTC_BOOTSTRAP=1
  cargo=(cargo)
fi

"${cargo[@]}" fuzz build -O
release="target/x86_64-unknown-linux-gnu/release"
mapfile -t targets < <("${cargo[@]}" fuzz list)
for t in "${targets[@]}"; do
  cp "$release/$t" "$OUT/$t"
  case "$t" in
    deeplink_*) dict=dict/deeplink.dict ;;
    *) dict="dict/$t.dict" ;;
  esac
  if [[ -f "$dict" ]]; then
    cp "$dict" "$OUT/$t.dict"
    printf '[libfuzzer]\ndict = %s.dict\n' "$t" >"$OUT/$t.options"
  fi
  if [[ -d "seeds/$t" ]]; then
    python3 - "seeds/$t" "$OUT/${t}_seed_corpus.zip" <<'PY'
import sys, zipfile
from pathlib import Path
src, dst = Path(sys.argv[1]), sys.argv[2]
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for f in sorted(p for p in src.iterdir() if p.is_file()):
        z.write(f, f.name)
PY
  fi
done
echo "built ${#targets[@]} targets into $OUT: ${targets[*]}"
