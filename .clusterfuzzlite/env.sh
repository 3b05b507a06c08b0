# Sourced, not run: exports the environment OSS-Fuzz's `compile` gives build.sh in the
# base-builder-rust image for SANITIZER=address, FUZZING_ENGINE=libfuzzer, ARCHITECTURE=x86_64
# (see google/oss-fuzz infra/base-images/base-builder/{Dockerfile,compile}): clang with
# AddressSanitizer and libFuzzer coverage for C code built by build scripts (aws-lc-sys), and
# RUSTFLAGS with `--cfg fuzzing -Zsanitizer=address`. Used by check.sh and by fuzz/smoke.sh, so
# the smoke run and the ClusterFuzzLite check share one build.
#
# Differences from the image, on purpose: the toolchain is the machine's (nightly when installed,
# else stable with RUSTC_BOOTSTRAP=1), and libfuzzer-sys compiles its bundled libFuzzer instead of
# linking the image's prebuilt one (CUSTOM_LIBFUZZER_PATH is left unset).
export SANITIZER=address FUZZING_ENGINE=libfuzzer FUZZING_LANGUAGE=rust ARCHITECTURE=x86_64
export SANITIZER_FLAGS="-fsanitize=address -fsanitize-address-use-after-scope"
export COVERAGE_FLAGS="-fsanitize=fuzzer-no-link"
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION $SANITIZER_FLAGS $COVERAGE_FLAGS"
export CXXFLAGS="$CFLAGS"
export RUSTFLAGS="--cfg fuzzing -Zsanitizer=address -Cdebuginfo=1 -Cforce-frame-pointers"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
# The image's compiler is clang; Debian's is versioned (clang-14 on bookworm).
cfl_clang=""
for c in clang clang-19 clang-18 clang-17 clang-16 clang-15 clang-14; do
  if command -v "$c" >/dev/null 2>&1; then cfl_clang="$c"; break; fi
done
if [[ -n "$cfl_clang" ]]; then
  export CC="$cfl_clang" CXX="${cfl_clang/clang/clang++}"
else
  # gcc rejects -fsanitize=fuzzer-no-link: keep C code uninstrumented (cargo-fuzz's default).
  echo "env.sh: no clang found: C dependencies are built without sanitizer flags" >&2
  unset CFLAGS CXXFLAGS
fi
unset cfl_clang
if rustup run nightly rustc --version >/dev/null 2>&1; then
  export RUSTUP_TOOLCHAIN=nightly
else
  export RUSTC_BOOTSTRAP=1
fi
