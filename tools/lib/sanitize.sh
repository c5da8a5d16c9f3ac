# Sourced by tools/test (PALISADE_SANITIZE=1, as .ci/run does): the test
# suite under AddressSanitizer and UndefinedBehaviorSanitizer, and a short
# fuzzing run of every fuzz target.
#
#   palisade_sanitize_tests
#
# 1. build-asan (gcc, -Db_sanitize=address,undefined): every suite but slow
#    (unit with the fuzz targets replaying their corpus and regressions,
#    kernel, dbus with the helper itself built with the sanitizers, gui),
#    timeouts multiplied by 4. The gui suite runs without leak detection,
#    see palisade_sanitize_gui; memory errors and UB stop it like the rest.
# 2. build-fuzz (clang + libFuzzer, same sanitizers), when clang can link
#    -fsanitize=fuzzer: meson test --suite fuzz, each target fuzzing for
#    PALISADE_FUZZ_SECONDS (default 20) seconds, two at a time.
# Prints "sanitize testlog: PATH" for each meson test log it wrote (count
# them like the main build's) and returns non-zero when anything failed.
# PALISADE_ASAN_BUILD_DIR and PALISADE_FUZZ_BUILD_DIR move the build dirs.
# For whole leak stacks through GLib (built without frame pointers) add
# fast_unwind_on_malloc=0 to ASAN_OPTIONS; it is too slow for every run.

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

palisade_sanitize_build () {
  local top dir=$1
  top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$top" --werror -Db_sanitize=address,undefined -Db_lundef=false >&2 || return 1
  fi
  ninja -C "$dir" >&2
}

# Every suite but slow and gui, leaks included.
palisade_sanitize_suites () {
  local dir=$1
  meson test -C "$dir" --no-rebuild --no-suite slow --no-suite gui --timeout-multiplier 4 \
    --print-errorlogs --num-processes 2 >&2
}

# The window tests with leak detection off: GTK, Pango and fontconfig keep
# caches and type data for the life of the process by design, and GLib and
# GTK are built without frame pointers, so LeakSanitizer's stacks stop in
# g_malloc and cannot tell their allocations from ours (a suppression by
# library would hide everything). Use-after-free, overflows and UB still
# stop these tests; leaks of lib/ and helper/ are caught by the other suites.
palisade_sanitize_gui () {
  local dir=$1
  ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 \
    meson test -C "$dir" --no-rebuild --suite gui --timeout-multiplier 4 --logbase testlog-gui \
      --print-errorlogs --num-processes 2 >&2
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
  rm -f "$asan/meson-logs/testlog.json" "$asan/meson-logs/testlog-gui.json" "$fuzz/meson-logs/testlog.json"
  (
    palisade_sanitize_environment
    palisade_sanitize_build "$asan" || exit 1
    status=0
    palisade_sanitize_suites "$asan" || status=1
    palisade_sanitize_gui "$asan" || status=1
    exit $status
  ) || status=1
  echo "sanitize testlog: $asan/meson-logs/testlog.json"
  echo "sanitize testlog: $asan/meson-logs/testlog-gui.json"
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
