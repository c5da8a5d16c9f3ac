# Sourced by tools/test when PALISADE_SANITIZE=1 (as .ci/run sets): the test
# suite again under AddressSanitizer and UndefinedBehaviorSanitizer, and a
# short fuzzing run of every fuzz target.
#
#   palisade_sanitize_start     while tools/test runs the main build's tests
#   palisade_sanitize_finish    after them; fails when anything failed
#
# 1. build-asan (gcc, --werror, -Db_sanitize=address,undefined): every
#    suite but slow (unit with the fuzz targets replaying their corpus and
#    regressions, kernel, dbus with the helper itself built with the
#    sanitizers and required to exit with status 0, gui), timeouts
#    multiplied by 4. The gui suite runs without leak detection, see
#    palisade_sanitize_gui; memory errors and UB stop it like the rest.
#    Suite slow is left out: its tests install the tree and start the
#    helper through the bus or systemd (in a container without the
#    sanitizer runtime), which nobody waits for, so nothing there would
#    see a sanitizer's report; the same code runs in the dbus suite.
# 2. build-fuzz (clang + libFuzzer, same sanitizers), when clang can link
#    -fsanitize=fuzzer: meson test --suite fuzz, each target fuzzing for
#    PALISADE_FUZZ_SECONDS (default 20) seconds, two at a time. Longer
#    runs are by hand: tools/fuzz [SECONDS].
#
# To fit CI's 20 minutes on 2 cores, each build compiles (niced) while the
# tests before it run, as those mostly wait for the kernel, the bus and
# their timers rather than use the CPU: build-asan during the main build's
# tests, build-fuzz during build-asan's. Each phase's time goes to stderr.
#
# Appends the meson test logs it wrote to the array PALISADE_SANITIZE_LOGS
# (tools/test counts them like the main build's). PALISADE_ASAN_BUILD_DIR
# and PALISADE_FUZZ_BUILD_DIR move the build dirs.
# For whole leak stacks through GLib (built without frame pointers) add
# fast_unwind_on_malloc=0 to ASAN_OPTIONS; it is too slow for every run.

. "$(dirname "${BASH_SOURCE[0]}")/fuzz.sh"

PALISADE_SANITIZE_LOGS=()

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
    meson setup "$dir" "$top" --werror -Db_sanitize=address,undefined -Db_lundef=false || return 1
  fi
  ninja -C "$dir"
}

# Runs "$@" (a command or a function) niced in the background, in a process
# group of its own (so palisade_sanitize_stop can end all of it), its output
# in a log file; sets palisade_background_pid and palisade_background_log.
palisade_sanitize_background () {
  palisade_background_log=$(mktemp "${TMPDIR:-/tmp}/palisade-build.XXXXXX.log") || return 1
  set -m
  ( renice -n 10 -p "$BASHPID" > /dev/null; "$@" ) > "$palisade_background_log" 2>&1 &
  palisade_background_pid=$!
  set +m
}

# Waits for the background job $1 (log $2, named $3); on failure shows the
# end of its log.
palisade_sanitize_wait () {
  local pid=$1 log=$2 name=$3 status
  wait "$pid"
  status=$?
  if [ $status -ne 0 ]; then
    echo "$name failed; the end of its log ($log):" >&2
    tail -n 40 "$log" >&2
  else
    rm -f "$log"
  fi
  return $status
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

palisade_sanitize_dirs () {
  local top
  top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  palisade_asan_dir=${PALISADE_ASAN_BUILD_DIR:-$top/build-asan}
  palisade_fuzz_dir=${PALISADE_FUZZ_BUILD_DIR:-$top/build-fuzz}
}

# Starts build-asan in the background.
palisade_sanitize_start () {
  palisade_sanitize_dirs
  # A log left by an earlier run must not be counted when a build fails.
  rm -f "$palisade_asan_dir/meson-logs/testlog.json" "$palisade_asan_dir/meson-logs/testlog-gui.json" \
        "$palisade_fuzz_dir/meson-logs/testlog.json"
  palisade_asan_started=$SECONDS
  palisade_sanitize_background palisade_sanitize_build "$palisade_asan_dir"
  palisade_asan_pid=$palisade_background_pid
  palisade_asan_log=$palisade_background_log
}

# Waits for build-asan, starts build-fuzz in the background, runs the tests
# in build-asan, then fuzzes. Returns non-zero when anything failed.
palisade_sanitize_finish () {
  local status=0 started
  palisade_sanitize_wait "$palisade_asan_pid" "$palisade_asan_log" "The ASan+UBSan build ($palisade_asan_dir)"
  local built=$?
  palisade_asan_pid=
  palisade_took "build-asan (beside the tests)" "$palisade_asan_started"
  if palisade_sanitize_can_fuzz; then
    palisade_fuzz_started=$SECONDS
    palisade_sanitize_background palisade_fuzz_build "$palisade_fuzz_dir" $(palisade_fuzz_targets)
    palisade_fuzz_pid=$palisade_background_pid
    palisade_fuzz_log=$palisade_background_log
  else
    echo "clang cannot build -fsanitize=fuzzer here: no fuzzing run." >&2
  fi

  PALISADE_SANITIZE_LOGS+=("$palisade_asan_dir/meson-logs/testlog.json"
                           "$palisade_asan_dir/meson-logs/testlog-gui.json")
  if [ $built -eq 0 ]; then
    started=$SECONDS
    (
      palisade_sanitize_environment
      status=0
      palisade_sanitize_suites "$palisade_asan_dir" || status=1
      palisade_sanitize_gui "$palisade_asan_dir" || status=1
      exit $status
    ) || status=1
    palisade_took "tests in $palisade_asan_dir" "$started"
  else
    status=1
  fi

  [ -n "${palisade_fuzz_pid:-}" ] || return $status
  PALISADE_SANITIZE_LOGS+=("$palisade_fuzz_dir/meson-logs/testlog.json")
  palisade_sanitize_wait "$palisade_fuzz_pid" "$palisade_fuzz_log" "The fuzzing build ($palisade_fuzz_dir)"
  built=$?
  palisade_fuzz_pid=
  [ $built -eq 0 ] || return 1
  palisade_took "build-fuzz (beside the tests)" "$palisade_fuzz_started"
  started=$SECONDS
  (
    palisade_sanitize_environment
    PALISADE_FUZZ_SECONDS=${PALISADE_FUZZ_SECONDS:-20} \
      meson test -C "$palisade_fuzz_dir" --no-rebuild --suite fuzz --print-errorlogs --num-processes 2 >&2
  ) || status=1
  palisade_took "fuzzing" "$started"
  return $status
}

# Stops the builds still running in the background (tools/test interrupted).
palisade_sanitize_stop () {
  local pid
  for pid in ${palisade_asan_pid:-} ${palisade_fuzz_pid:-}; do
    kill -TERM -- "-$pid" 2>/dev/null
  done
}
