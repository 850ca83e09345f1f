#!/usr/bin/env bash
# Builds the project with CMake and Ninja.
#   scripts/build.sh            Release build in build/release (what run.sh and bench.sh use)
#   scripts/build.sh --asan     ASan+UBSan build with warnings as errors in build/asan (tests)
#   scripts/build.sh --fuzz     clang libFuzzer build of the parsers' fuzz targets in build/fuzz
# Extra arguments after -- go to cmake's configure step.
source "$(dirname "$0")/lib.sh"

kind=release
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --asan) kind=asan ;;
    --release) kind=release ;;
    --fuzz) kind=fuzz ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
  shift
done

dir="$ROOT/build/$kind"
case "$kind" in
  release)
    # Warnings are shown but do not fail this build: g++ 12 at -O3 reports false -Wrestrict and
    # -Warray-bounds inside libstdc++ (std::string, std::vector). The test build (--asan) is the
    # strict one, with -Werror, and it is what CI runs.
    args=(-DCMAKE_BUILD_TYPE=Release -DWARNINGS_AS_ERRORS=OFF) ;;
  asan)
    args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANITIZE=ON -DWARNINGS_AS_ERRORS=ON
          -DSIDEBAR_BENCH=OFF) ;;
  fuzz)
    # Only the modules that read outside input: peers' packets and SDP, codec payloads, config
    # files, prompt audio files, logged header values.
    args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIDEBAR_FUZZ=ON -DNO_TESTS=ON -DSIDEBAR_BENCH=OFF
          "-DSIDEBAR_MODULES=util;log;config;resample;audio;rtp;sdp;codec;dtmf;sip"
          -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++) ;;
esac

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [ ! -f "$dir/CMakeCache.txt" ]; then
  cmake -S "$ROOT" -B "$dir" "${generator[@]}" "${args[@]}" "${extra[@]}"
elif [ "${#extra[@]}" -gt 0 ]; then
  cmake -S "$ROOT" -B "$dir" "${args[@]}" "${extra[@]}"
fi
cmake --build "$dir" -j "$JOBS"
say "built $kind in ${dir#"$ROOT"/}"
