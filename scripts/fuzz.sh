#!/usr/bin/env bash
# Runs each libFuzzer target (RTP, RTCP, SDP, RFC 4733, dtmf-relay parsers, codec decoders) for a
# bounded time.
#   scripts/fuzz.sh                 60 s per target
#   scripts/fuzz.sh --seconds 5     (what scripts/test.sh does)
#   scripts/fuzz.sh fuzz_sdp        only the named targets
# Each target starts from its seed corpus in test/data/fuzz/<target>/, copied into
# build/fuzz/corpus/<target>/ so the repository's corpus is never changed by a run. A crash
# leaves its input in build/fuzz/artifacts/ and makes this script fail.
source "$(dirname "$0")/lib.sh"

seconds=60
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="${2:?--seconds needs a number}"; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    -*) die "unknown option: $1 (see --help)" ;;
    *) targets+=("$1") ;;
  esac
  shift
done
[[ "$seconds" =~ ^[0-9]+$ ]] || die "--seconds: expected a whole number, got '$seconds'"

bash "$ROOT/scripts/build.sh" --fuzz >/dev/null
out="$ROOT/build/fuzz"
if [ "${#targets[@]}" -eq 0 ]; then
  while IFS= read -r path; do targets+=("$(basename "$path")"); done \
    < <(find "$out/fuzz" -type f -executable -name 'fuzz_*' | sort)
fi
[ "${#targets[@]}" -gt 0 ] || die "no fuzz targets were built"

mkdir -p "$out/artifacts"
# Leaks inside third-party libraries (see the file) are not ours to fix; ours still fail a run.
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$ROOT/test/lsan.supp}"
failed=0
printf '%-18s %10s %10s %8s  %s\n' target seconds exec/s corpus result
for target in "${targets[@]}"; do
  binary="$(find "$out/fuzz" -type f -executable -name "$target" | head -n 1)"
  [ -n "$binary" ] || die "no fuzz target named $target"
  seeds="$ROOT/test/data/fuzz/$target"
  corpus="$out/corpus/$target"
  mkdir -p "$corpus"
  [ -d "$seeds" ] && cp -n "$seeds"/* "$corpus"/ 2>/dev/null || true
  log="$out/$target.log"
  if "$binary" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$out/artifacts/$target-" "$corpus" >"$log" 2>&1; then
    result=ok
  else
    result="FAILED (see ${log#"$ROOT"/})"
    failed=1
  fi
  execs="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
  printf '%-18s %10s %10s %8s  %s\n' "$target" "$seconds" "${execs:-?}" \
    "$(find "$corpus" -type f | wc -l)" "$result"
done
[ "$failed" -eq 0 ] || { grep -h -A20 'ERROR: ' "$out"/*.log | head -n 60 >&2; die "a fuzz target failed"; }
