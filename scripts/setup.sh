#!/usr/bin/env bash
# Installs, from Debian 12's packages, everything the project needs to build, test, benchmark
# and run. Idempotent: packages already installed are skipped, and apt-get is not called at all
# when nothing is missing. Never reads standard input.
source "$(dirname "$0")/lib.sh"

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang clang-format clang-tidy
  libclang-rt-14-dev
  # libraries we link
  libsofia-sip-ua-dev libboost-dev libboost-system-dev nlohmann-json3-dev libssl-dev
  libspeexdsp-dev libspandsp-dev libtiff-dev libopus-dev libsndfile1-dev libsqlite3-dev
  portaudio19-dev libpocketsphinx-dev libespeak-ng-dev
  # tests and benchmarks
  catch2 libbenchmark-dev libxml2-dev python3 sox
  # real SIP peers for integration tests
  sip-tester baresip
  # prompts, speech, the room directory's command-line client
  espeak-ng pocketsphinx pocketsphinx-en-us sphinxtrain sqlite3
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done

if [ "${#missing[@]}" -eq 0 ]; then
  say "all ${#PACKAGES[@]} packages are installed"
  exit 0
fi

say "installing ${#missing[@]} packages: ${missing[*]}"
as_root apt-get update -q </dev/null
as_root apt-get install -y -q --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  "${missing[@]}" </dev/null
say "installed"
