#!/usr/bin/env bash
# Installs what is missing, builds with ASan+UBSan and warnings as errors, runs every fuzz target
# briefly over its corpus, then every CTest test (unit and integration). What CI runs.
source "$(dirname "$0")/lib.sh"
start=$(date +%s)

bash "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/build.sh" --asan
bash "$ROOT/scripts/fuzz.sh" --seconds "${FUZZ_SECONDS:-5}"

say "running the tests"
# The sanitizers stop at the first error; leaks are errors too.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$ROOT/test/lsan.supp}"
status=0
ctest --test-dir "$ROOT/build/asan" --output-on-failure -j "$JOBS" --timeout 600 || status=$?
say "took $(( $(date +%s) - start )) s"
exit "$status"
