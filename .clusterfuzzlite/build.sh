#!/usr/bin/env bash
# Builds every cargo-fuzz target of fuzz/ and copies into $OUT, per target: the binary, the seed
# corpus as <target>_seed_corpus.zip and the dictionary as <target>.dict. Run by ClusterFuzzLite /
# OSS-Fuzz in the image of the Dockerfile next to this file, and locally to check it works:
#
#   OUT=/tmp/cflout bash .clusterfuzzlite/build.sh
#
# Locally a nightly toolchain is used when installed (`cargo +nightly`), else RUSTC_BOOTSTRAP=1.
set -euo pipefail
: "${OUT:?set OUT to the output directory}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
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
  [[ -f "$dict" ]] && cp "$dict" "$OUT/$t.dict"
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
