# Sourced by tools/test: the test suite under AddressSanitizer and
# UndefinedBehaviorSanitizer, and a short fuzzing run of every fuzz target.
#
#   palisade_sanitize_tests
#
# 1. build-asan (gcc, -Db_sanitize=address,undefined): meson test --suite unit,
#    which includes the fuzz targets replaying their corpus and regressions.
# 2. build-fuzz (clang + libFuzzer, same sanitizers), when clang can link
#    -fsanitize=fuzzer: meson test --suite fuzz, each target fuzzing for
#    PALISADE_FUZZ_SECONDS (default 20) seconds, two at a time.
# Prints "sanitize testlog: PATH" for each meson test log it wrote (count
# them like the main build's) and returns non-zero when anything failed.
# PALISADE_ASAN_BUILD_DIR and PALISADE_FUZZ_BUILD_DIR move the build dirs.

. "$(dirname "${BASH_SOURCE[0]}")/fuzz.sh"

# Leaks and undefined behaviour fail a test, with a symbolised stack.
# allocator_may_return_null: the code uses g_try_malloc() to refuse what does
# not fit (tests/fwdoc limits address space to prove a huge file is refused
# before it is read); ASan's default is to abort instead of returning NULL.
palisade_sanitize_environment () {
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export G_SLICE=always-malloc
}

palisade_sanitize_can_fuzz () {
  local dir
  command -v clang >/dev/null || return 1
  dir=$(mktemp -d) || return 1
  printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' > "$dir/t.c"
  clang -fsanitize=fuzzer,address,undefined -o "$dir/t" "$dir/t.c" 2>/dev/null
  local status=$?
  rm -rf "$dir"
  return $status
}

palisade_sanitize_unit () {
  local top dir=$1
  top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$top" --werror -Db_sanitize=address,undefined -Db_lundef=false >&2 || return 1
  fi
  ninja -C "$dir" >&2 || return 1
  meson test -C "$dir" --no-rebuild --suite unit --print-errorlogs --num-processes 2 >&2
}

palisade_sanitize_fuzz () {
  local dir=$1
  palisade_fuzz_build "$dir" $(palisade_fuzz_targets) || return 1
  PALISADE_FUZZ_SECONDS=${PALISADE_FUZZ_SECONDS:-20} \
    meson test -C "$dir" --no-rebuild --suite fuzz --print-errorlogs --num-processes 2 >&2
}

palisade_sanitize_tests () {
  local top asan fuzz status=0
  top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  asan=${PALISADE_ASAN_BUILD_DIR:-$top/build-asan}
  fuzz=${PALISADE_FUZZ_BUILD_DIR:-$top/build-fuzz}
  # A log left by an earlier run must not be counted when a build fails.
  rm -f "$asan/meson-logs/testlog.json" "$fuzz/meson-logs/testlog.json"
  (
    palisade_sanitize_environment
    palisade_sanitize_unit "$asan"
  ) || status=1
  echo "sanitize testlog: $asan/meson-logs/testlog.json"
  if palisade_sanitize_can_fuzz; then
    (
      palisade_sanitize_environment
      palisade_sanitize_fuzz "$fuzz"
    ) || status=1
    echo "sanitize testlog: $fuzz/meson-logs/testlog.json"
  else
    echo "clang cannot build -fsanitize=fuzzer here: no fuzzing run." >&2
  fi
  return $status
}
