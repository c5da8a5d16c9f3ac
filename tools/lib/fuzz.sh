# Sourced by tools/fuzz and tools/lib/sanitize.sh: the clang + libFuzzer
# build of tests/fuzz and running its targets (see tests/fuzz/run-fuzzer.sh).

# Every target: a folder of tests/fuzz/corpus/ with its fuzz-NAME.c.
palisade_fuzz_targets () {
  local top dir name
  top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  for dir in "$top"/tests/fuzz/corpus/*/; do
    name=$(basename "$dir")
    [ -f "$top/tests/fuzz/fuzz-$name.c" ] && echo "$name"
  done
}

# Configures $1 for fuzzing (again, from scratch, when it was configured
# otherwise: the compiler cannot change) and builds the targets named after it.
palisade_fuzz_build () {
  local top dir=$1 target fuzzing
  shift
  top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  if [ -f "$dir/build.ninja" ]; then
    fuzzing=$(meson introspect --buildoptions "$dir" 2>/dev/null |
              python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "fuzzing"][0])' 2>/dev/null)
    [ "$fuzzing" = True ] || rm -rf "$dir"
  fi
  if [ ! -f "$dir/build.ninja" ]; then
    # No --werror: clang warns where gcc does not, and this build is for
    # finding crashes; the gcc builds keep warnings fatal.
    CC=clang meson setup "$dir" "$top" -Dfuzzing=true -Dgui=false \
      -Db_sanitize=address,undefined -Db_lundef=false >&2 || return 1
  fi
  local outputs=()
  for target in "$@"; do
    outputs+=("tests/fuzz/fuzz-$target")
  done
  ninja -C "$dir" "${outputs[@]}" >&2
}

# Fuzzes target $2 of build $1 for $3 seconds.
palisade_fuzz_run () {
  local top dir=$1 target=$2 seconds=$3
  top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  PALISADE_FUZZ_SECONDS=$seconds "$top/tests/fuzz/run-fuzzer.sh" \
    "$dir/tests/fuzz/fuzz-$target" libfuzzer "$target" "$top/tests/fuzz" "$dir/tests/fuzz" "$seconds"
}

# One line per target from its log: executions, coverage, corpus, result.
palisade_fuzz_summary () {
  local dir=$1 target=$2 log last
  log=$dir/tests/fuzz/fuzz-$target.log
  # Fork mode's progress lines: "#351632: cov: 5696 ft: 6578 corp: 168 exec/s 5223 …"
  last=$(grep -aE '^#[0-9]+: cov:' "$log" | tail -1)
  echo "fuzz-$target: ${last:-no progress line; see $log}"
}

# What kind of failure input $2 gives target $1: the oracle's sentence, or
# the sanitizer's summary and the first function of ours on its stack,
# without numbers and quoted text, so the same bug found through other
# bytes has the same signature.
palisade_fuzz_signature () {
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    G_SLICE=always-malloc "$1" -timeout=10 "$2" 2>&1 | LC_ALL=C awk '
      oracle == 1 { print; exit }
      /^Oracle failed/ { print; oracle = 1; next }
      frame == "" && / #[0-9]+ 0x[0-9a-f]+ in [A-Za-z_]/ && /\/(lib|helper|app)\/[^ ]*\.c:/ { frame = "in " $4 }
      /^SUMMARY: |ERROR: libFuzzer: (timeout|out-of-memory)/ { summary = $0 }
      END { if (!oracle && summary != "") print summary, frame }' |
    LC_ALL=C sed -E 's/"[^"]*"/""/g; s/0x[0-9a-f]+/N/g; s/[0-9]+/N/g' | tr '\n' ' '
}

# Minimises each input that failed in the last run of target $2 of build $1
# and saves it in tests/fuzz/regressions/TARGET/, unless a saved one fails
# the same way. Fails when any input failed.
palisade_fuzz_save_crashes () {
  local top dir=$1 target=$2 artifacts exe artifact kind minimised sum saved signature known found=0
  local n_artifacts=0 max_artifacts=${PALISADE_FUZZ_MAX_ARTIFACTS:-20}
  local -A seen=()
  top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  artifacts=$dir/tests/fuzz/artifacts-$target
  exe=$dir/tests/fuzz/fuzz-$target
  [ -f "$artifacts/.start" ] || return 0
  # A saved input that no longer fails has no signature: its bug is fixed.
  for saved in "$top/tests/fuzz/regressions/$target"/*; do
    [ -f "$saved" ] || continue
    signature=$(palisade_fuzz_signature "$exe" "$saved")
    [ -n "$signature" ] && seen[$signature]=${saved#$top/}
  done
  while IFS= read -r artifact; do
    found=1
    n_artifacts=$((n_artifacts + 1))
    # Fork mode keeps every input that failed, often hundreds for one
    # shallow bug: look at the first few (the next run finds the rest).
    if [ "$n_artifacts" -gt "$max_artifacts" ]; then
      echo "fuzz-$target: $(basename "$artifact") and later ones not examined; fix and run again."
      break
    fi
    kind=$(basename "$artifact" | cut -d- -f1)
    signature=$(palisade_fuzz_signature "$exe" "$artifact")
    if [ -z "$signature" ]; then
      # Failed in the fuzzing run but not alone: state outside the input
      # (the machine, an earlier input of that process). Not a regression
      # test, but worth a look.
      echo "fuzz-$target: $artifact failed while fuzzing but not when run alone; look at $dir/tests/fuzz/fuzz-$target.log."
      continue
    fi
    known=${seen[$signature]:-}
    if [ -n "$known" ]; then
      echo "fuzz-$target: $(basename "$artifact") fails like $known (not fixed yet)."
      continue
    fi
    minimised=$artifact.min
    cp "$artifact" "$minimised"
    if [ "$kind" != timeout ] && [ "$kind" != slow ]; then
      ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        G_SLICE=always-malloc "$exe" -minimize_crash=1 -max_total_time=60 -timeout=10 \
        -exact_artifact_path="$minimised" "$artifact" > "$artifact.minimise.log" 2>&1
    fi
    sum=$(sha1sum "$minimised" | cut -c1-12)
    mkdir -p "$top/tests/fuzz/regressions/$target"
    saved=tests/fuzz/regressions/$target/$kind-$sum
    cp "$minimised" "$top/$saved"
    seen[$signature]=$saved
    echo "NEW FAILURE of fuzz-$target saved as $saved ($(stat -c %s "$top/$saved") bytes):"
    echo "  ${signature:-(no message)}"
    echo "  Replay it: $exe $top/$saved"
    echo "  Commit it (git add $saved) and fix the bug: until then it fails meson test --suite unit."
  done < <(find "$artifacts" -maxdepth 1 -type f -newer "$artifacts/.start" \
             ! -name '*.min' ! -name '*.log' ! -name .start -printf '%T@ %p\n' | sort -n | cut -d' ' -f2-)
  return $found
}
