#!/usr/bin/env bash
# Runs one fuzz target; used by meson test (tests/fuzz/meson.build) and tools/fuzz.
#
#   run-fuzzer.sh EXE KIND NAME SOURCE-DIR WORK-DIR SECONDS
#
# KIND is libfuzzer (EXE links libFuzzer) or replay (EXE links fuzz-main.c).
# SECONDS 0 replays SOURCE-DIR/corpus/NAME and SOURCE-DIR/regressions/NAME
# once. Otherwise (libfuzzer only) fuzzes for SECONDS (PALISADE_FUZZ_SECONDS
# overrides) starting from them, keeping new inputs in WORK-DIR/corpus-NAME
# and what fails in WORK-DIR/artifacts-NAME/; exits 1 when something failed.
set -uo pipefail
exe=$1 kind=$2 name=$3 src=$4 work=$5 seconds=${PALISADE_FUZZ_SECONDS:-$6}
[ "$6" = 0 ] && seconds=0

corpus=$src/corpus/$name
regressions=$src/regressions/$name
inputs=("$corpus")
[ -d "$regressions" ] && inputs+=("$regressions")

# Leaks and undefined behaviour are failures too; symbolised stacks.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export G_SLICE=always-malloc

if [ "$kind" = replay ]; then
  exec "$exe" "${inputs[@]}"
fi
if [ "$seconds" = 0 ]; then
  exec "$exe" -runs=0 "${inputs[@]}"
fi

# Bigger inputs only slow the search: a document of a few rules, a value of
# a few items, a parameter of its 127 bytes.
case $name in
  value) max_len=512 ;;
  parameter) max_len=256 ;;
  triggered) max_len=4096 ;;
  *) max_len=16384 ;;
esac
# Fork mode goes on after a crash, a hang or an out-of-memory, so one known
# bug (say a saved regression not fixed yet) does not stop the search.
options=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1
         -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=2048 -timeout=10
         -artifact_prefix="$work/artifacts-$name/")
[ -f "$src/$name.dict" ] && options+=(-dict="$src/$name.dict")

mkdir -p "$work/corpus-$name" "$work/artifacts-$name"
touch "$work/artifacts-$name/.start"
"$exe" "${options[@]}" "$work/corpus-$name" "${inputs[@]}"
status=$?
[ $status -eq 77 ] && exit 77   # the target cannot run here (fuzz_target_init)
found=$(find "$work/artifacts-$name" -type f -newer "$work/artifacts-$name/.start")
if [ $status -ne 0 ] || [ -n "$found" ]; then
  echo "fuzz-$name failed (status $status); the input that fails:" >&2
  echo "${found:-(none saved)}" >&2
  exit 1
fi
exit 0
