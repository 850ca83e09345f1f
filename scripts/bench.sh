#!/usr/bin/env bash
# Builds the Release configuration and prints every benchmark's figures (ns per 20 ms frame for
# the media kernels). Figures, not pass/fail: compare them against the issue's targets.
#   scripts/bench.sh                 all benchmarks
#   scripts/bench.sh codec mix       only bench_codec and bench_mix
# BENCH_MIN_TIME (seconds per benchmark, default 0.3) trades precision for time.
source "$(dirname "$0")/lib.sh"

bash "$ROOT/scripts/setup.sh" >/dev/null
bash "$ROOT/scripts/build.sh" >/dev/null
benches=()
if [ $# -gt 0 ]; then
  for name in "$@"; do benches+=("bench_${name#bench_}"); done
else
  while IFS= read -r path; do benches+=("$(basename "$path")"); done \
    < <(find "$ROOT/build/release/test/bench" -type f -executable -name 'bench_*' | sort)
fi
[ "${#benches[@]}" -gt 0 ] || die "no benchmarks were built (is libbenchmark-dev installed?)"
for bench in "${benches[@]}"; do
  binary="$(find "$ROOT/build/release/test/bench" -type f -executable -name "$bench" | head -n 1)"
  [ -n "$binary" ] || die "no benchmark named $bench"
  say "$bench"
  "$binary" --benchmark_min_time="${BENCH_MIN_TIME:-0.3}" 2>&1
done
