#!/usr/bin/env bash
# Builds the Release configuration and prints every benchmark's figures (ns per 20 ms frame for
# the media kernels), then the mixer capacity figures from the load generator. Figures, not
# pass/fail: compare them against the issue's targets (printed next to them).
#   scripts/bench.sh                 all benchmarks, then the mixer load scenarios
#   scripts/bench.sh codec mix       only bench_codec and bench_mix
#   scripts/bench.sh load            only the mixer load scenarios (sidebars included)
#   scripts/bench.sh sidebars        only the sidebar scenario (issue 5): control latencies and
#                                    mixer CPU with 10 % of the members in sidebars vs none
# BENCH_MIN_TIME (seconds per benchmark, default 0.3) trades precision for time.
# BENCH_QUICK=1 runs each load scenario once at a small N (about a minute in all).
# BENCH_NICE=-10 runs the mixer and the generator at a higher priority (root only).
# BENCH_SB_MEASURE_S / BENCH_SB_ROUNDS / BENCH_SB_FRACTION: the sidebar scenario's window length
# (s), its rounds of (sidebars, none) windows, and the share of members in sidebars (0.1).
# BENCH_BUILD_DIR=build/x uses that (already built, Release) build instead of building
# build/release; it must hold mixer/sidebar-mixer and the load generator.
source "$(dirname "$0")/lib.sh"

build_dir="$ROOT/build/release"
if [ -n "${BENCH_BUILD_DIR:-}" ]; then
  build_dir="$(cd "$ROOT" && cd "$BENCH_BUILD_DIR" && pwd)"
else
  bash "$ROOT/scripts/setup.sh" >/dev/null
  bash "$ROOT/scripts/build.sh" >/dev/null
fi

run_load=1
run_sidebars=1
benches=()
if [ $# -gt 0 ]; then
  run_load=0
  run_sidebars=0
  for name in "$@"; do
    case "$name" in
      load) run_load=1; run_sidebars=1 ;;
      sidebars) run_sidebars=1 ;;
      *) benches+=("bench_${name#bench_}") ;;
    esac
  done
else
  while IFS= read -r path; do benches+=("$(basename "$path")"); done \
    < <(find "$build_dir/test/bench" -type f -executable -name 'bench_*' 2>/dev/null | sort)
  [ "${#benches[@]}" -gt 0 ] || die "no benchmarks were built (is libbenchmark-dev installed?)"
fi
for bench in "${benches[@]}"; do
  binary="$(find "$build_dir/test/bench" -type f -executable -name "$bench" | head -n 1)"
  [ -n "$binary" ] || die "no benchmark named $bench"
  say "$bench"
  "$binary" --benchmark_min_time="${BENCH_MIN_TIME:-0.3}" 2>&1
done
[ "$run_load" -eq 1 ] || [ "$run_sidebars" -eq 1 ] || exit 0

# ---- Mixer capacity: the real sidebar-mixer process driven by sidebar_loadgen over loopback ----
mixer_bin="$build_dir/mixer/sidebar-mixer"
loadgen_bin="$(find "$build_dir/mixer" -type f -executable -name sidebar_loadgen 2>/dev/null | head -n 1)"
[ -x "$mixer_bin" ] || die "no $mixer_bin (the mixer needs the whole of common/)"
[ -n "$loadgen_bin" ] || die "no sidebar_loadgen under $build_dir/mixer (SIDEBAR_BENCH=ON?)"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# Ports away from the defaults (5070/8070, RTP 20000+) that other runs on this host may use.
SIP_PORT="${BENCH_SIP_PORT:-9070}"
ADMIN_PORT="${BENCH_ADMIN_PORT:-9071}"
# BENCH_NICE=-10 (as root) keeps other work on a shared host from starving the mixer and the
# generator; the default leaves priorities alone.
NICE="${BENCH_NICE:-0}"
# Signs the sidebar controller's requests (X-Sidebar-Auth); the generator gets it with --secret.
SECRET="${BENCH_SECRET:-bench-controller-secret-0123456789}"
work="$(mktemp -d /tmp/sidebar-bench.XXXXXX)"
mixer_pid=""
stop_mixer() {
  if [ -n "$mixer_pid" ]; then
    kill "$mixer_pid" 2>/dev/null || true
    wait "$mixer_pid" 2>/dev/null || true
    mixer_pid=""
  fi
}
trap 'stop_mixer; rm -rf "$work"' EXIT

# start_mixer ROOM_SIZE ROOMS: a fresh mixer (clean RSS baseline) with ROOMS rooms 1000.. of
# ROOM_SIZE members; returns when its admin port answers (at most 10 s).
start_mixer() {
  local size="$1" count="$2" rooms="" i
  for ((i = 0; i < count; i++)); do
    rooms+="${rooms:+,}{\"number\":\"$((1000 + i))\",\"max_members\":$size}"
  done
  cat >"$work/mixer.json" <<JSON
{"mixer": {"log_level": "warn", "recording_dir": "$work/rec",
  "sip": {"address": "127.0.0.1", "port": $SIP_PORT, "transports": ["udp"]},
  "rtp": {"address": "127.0.0.1", "port_min": 10000, "port_max": 31999},
  "admin": {"address": "127.0.0.1", "port": $ADMIN_PORT, "token": "bench-token"},
  "secret": "$SECRET", "controllers": {"addresses": ["127.0.0.1"]},
  "limits": {"max_calls": 20000, "create_rooms_on_demand": true},
  "directory": {"path": ":memory:", "rooms": [$rooms]},
  "mixing": {"media_threads": ${BENCH_MEDIA_THREADS:-2}}}}
JSON
  nice -n "$NICE" "$mixer_bin" --config "$work/mixer.json" >"$work/mixer.log" 2>&1 &
  mixer_pid=$!
  for ((i = 0; i < 100; i++)); do
    curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" >/dev/null 2>&1 && return 0
    kill -0 "$mixer_pid" 2>/dev/null || break
    sleep 0.1  # bounded wait for start-up, not pacing
  done
  tail -n 20 "$work/mixer.log" >&2
  die "sidebar-mixer did not start"
}

results="$work/results.txt"
: >"$results"
# media_step LABEL CODEC ROOM_SIZE MEMBERS [extra loadgen args]: one run; echoes its RESULT line.
media_step() {
  local label="$1" codec="$2" size="$3" n="$4"
  shift 4
  start_mixer "$size" $(((n + size - 1) / size))
  local line
  line="$(nice -n "$NICE" "$loadgen_bin" --mode media --sip-port "$SIP_PORT" --admin-port "$ADMIN_PORT" \
    --pid "$mixer_pid" --codec "$codec" --members "$n" --room-size "$size" \
    --warmup-s "${BENCH_WARMUP_S:-4}" --measure-s "${BENCH_MEASURE_S:-6}" --label "$label" "$@" \
    | grep '^RESULT' || true)"
  stop_mixer
  [ -n "$line" ] || line="RESULT label=$label codec=$codec members=$n room_size=$size error=loadgen"
  echo "$line" | tee -a "$results" >&2
  echo "$line"
}
# sidebar_step LABEL CODEC ROOM_SIZE MEMBERS: N members mixing, then 10 % of them in sidebars
# (pairs) and out again in rounds, windows with and without alternating in the same run.
sidebar_step() {
  local label="$1" codec="$2" size="$3" n="$4" line
  start_mixer "$size" $(((n + size - 1) / size))
  line="$(nice -n "$NICE" "$loadgen_bin" --mode sidebars --sip-port "$SIP_PORT" \
    --admin-port "$ADMIN_PORT" --pid "$mixer_pid" --codec "$codec" --members "$n" \
    --room-size "$size" --warmup-s "${BENCH_WARMUP_S:-4}" --measure-s "${BENCH_SB_MEASURE_S:-4}" \
    --sidebar-fraction "${BENCH_SB_FRACTION:-0.1}" --sidebar-rounds "${BENCH_SB_ROUNDS:-2}" \
    --secret "$SECRET" --label "$label" | grep '^RESULT' || true)"
  stop_mixer
  [ -n "$line" ] || line="RESULT label=$label mode=sidebars codec=$codec members=$n error=loadgen"
  echo "$line" | tee -a "$results" >&2
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
# A step passes with every call set up, < 0.1 % late ticks and < 1 % packets lost.
passes() {
  local line="$1" est late loss n
  n="$(field members "$line")"; est="$(field established "$line")"
  late="$(field late_pct "$line")"; loss="$(field rx_loss_pct "$line")"
  [ "$est" = "$n" ] && awk -v l="${late:-100}" -v x="${loss:-100}" 'BEGIN{exit !(l < 0.1 && x < 1)}'
}
# ramp LABEL CODEC ROOM_SIZE N1 N2 ...: steps up until one fails; records the largest that passed.
ramp() {
  local label="$1" codec="$2" size="$3" best=0 n line
  shift 3
  for n in "$@"; do
    line="$(media_step "$label" "$codec" "$size" "$n")"
    if passes "$line"; then best="$n"; else break; fi
  done
  echo "BEST label=$label codec=$codec room_size=$size max_members=$best" | tee -a "$results" >&2
}

say "mixer load scenarios (load: $(uptime | sed 's/.*load average: //'))"
if [ "$run_load" -eq 0 ]; then
  :  # sidebars only
elif [ "${BENCH_QUICK:-0}" = 1 ]; then
  export BENCH_WARMUP_S=4 BENCH_MEASURE_S=3
  for size in 5 20 100; do ramp "g711-room$size" pcmu "$size" 200; done
  for size in 5 20 100; do ramp "opus-room$size" opus "$size" 100; done
  media_step "g711-single-room" pcmu 200 200 >/dev/null
  join_args=(--join-rate 100 --join-rate-max 200 --join-step-s 2)
else
  for size in 5 20 100; do ramp "g711-room$size" pcmu "$size" 100 200 500 1000 2000 3000 4000 5000 6000; done
  for size in 5 20 100; do ramp "opus-room$size" opus "$size" 25 50 100 200 400 800 1200; done
  # Opus with one talker per room of 100: the silent listeners share one encoded frame.
  media_step "g711-single-room" pcmu 1000 1000 >/dev/null
  media_step "opus-single-room" opus 1000 1000 >/dev/null
  join_args=(--join-rate 100 --join-rate-max 3000 --join-step-s 3)
fi
if [ "$run_load" -eq 1 ]; then
  start_mixer 20 1
  nice -n "$NICE" "$loadgen_bin" --mode joins --sip-port "$SIP_PORT" --admin-port "$ADMIN_PORT" --room-size 20 \
    --label sip-joins "${join_args[@]}" | tee -a "$results" >&2
  stop_mixer
fi
if [ "$run_sidebars" -eq 1 ]; then
  say "sidebars (issue 5): control latency, and mixer CPU with 10 % of members in sidebars vs none"
  # N stays below what two cores carry (see the capacity table): a saturated mixer skips ticks,
  # and the CPU per member would then say more about the overload than about the sidebars.
  if [ "${BENCH_QUICK:-0}" = 1 ]; then
    export BENCH_WARMUP_S=4 BENCH_SB_MEASURE_S="${BENCH_SB_MEASURE_S:-3}"
    export BENCH_SB_ROUNDS="${BENCH_SB_ROUNDS:-2}"
    sidebar_step "g711-sb-room20" pcmu 20 200
  else
    export BENCH_SB_MEASURE_S="${BENCH_SB_MEASURE_S:-5}" BENCH_SB_ROUNDS="${BENCH_SB_ROUNDS:-3}"
    sidebar_step "g711-sb-room5" pcmu 5 500
    sidebar_step "g711-sb-room20" pcmu 20 1000
    sidebar_step "g711-sb-room100" pcmu 100 1000
    sidebar_step "opus-sb-room20" opus 20 200
  fi
fi

say "mixer figures (load after: $(uptime | sed 's/.*load average: //'))"
if [ "$run_load" -eq 1 ]; then
awk '
  function f(k,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return kv[2] } return "-" }
  BEGIN {
    printf "%-18s %-5s %5s %5s %6s %6s %7s %7s %6s %6s %8s %7s %7s %7s %6s %7s\n", "scenario", "codec", \
      "room", "N", "cpu%", "us/m/t", "us/m/rt", "N@2core", "KB/mem", "late%", "tick99us", "jit99us", "jitmax", \
      "delay50", "loss%", "genlate"
  }
  /^RESULT/ && f("mode") == "media" {
    us = f("cpu_us_member_roomtick"); cap = (us + 0 > 0) ? sprintf("%d", 2 * 20000 / us) : "-"
    printf "%-18s %-5s %5s %5s %6s %6s %7s %7s %6s %6s %8s %7s %7s %7s %6s %7s\n", f("label"), f("codec"), \
      f("room_size"), f("established"), f("cpu_pct"), f("cpu_us_member_tick"), us, cap, f("rss_kb_member"), f("late_pct"), \
      f("tick_p99_us"), f("jitter_p99_us"), f("jitter_max_us"), f("delay_p50_ms"), \
      f("rx_loss_pct"), f("gen_late_ticks")
  }
  /^BEST/ { printf "  -> %s: largest N with every call up, <0.1%% late ticks, <1%% loss: %s\n", f("label"), f("max_members") }
  /^RESULT/ && f("mode") == "joins" { printf "SIP joins: max sustained %s/s\n", f("max_joins_per_s") }
' "$results"
cat <<'TARGETS'
us/m/t = mixer CPU (utime+stime) per member per 20 ms of wall time; us/m/rt = the same per member
  per room tick that actually ran (a late clock skips ticks, which makes us/m/t look cheaper);
  N@2core = 2 cores / us/m/rt, the members two idle cores would carry at that cost (the
  generator shares this machine's cores);
  tick99us = p99 of one room tick's processing time (histogram bucket bound); jit = |inter-arrival
  - 20 ms| of the mixer's packets at the generator; delay50 = median click delay member to member
  (mixer jitter buffer + mix + codec), ms; genlate = ticks the generator itself sent > 5 ms late.
targets: <= 6 us mixer CPU per G.711 member per tick (us/m/t); >= 4000 G.711 members on 2 cores
  with < 0.1 % late ticks; Opus >= 200 members with their own mix, >= 1000 when silent listeners
  share one frame; >= 1000 members in one room; added delay <= 40 ms median (delay50, ms);
  <= 32 KB per G.711 member, <= 100 KB per Opus member; >= 250 SIP joins/s.
TARGETS
fi
[ "$run_sidebars" -eq 1 ] || exit 0
echo
awk '
  function f(k,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return kv[2] } return "-" }
  BEGIN {
    printf "%-16s %-5s %4s %5s %4s %6s  %-20s %-20s %7s %7s %6s %7s %11s %6s %5s\n", "scenario", "codec", \
      "room", "N", "sb", "moved", "INVITE->200 ms", "REFER->NOTIFY200 ms", "none", "10%sb", "diff%", \
      "spread%", "late% n/sb", "loss%", "errs"
    printf "%-16s %-5s %4s %5s %4s %6s  %-20s %-20s %7s %7s\n", "", "", "", "", "", "", \
      "p50/p99/max", "p50/p99/max", "us/m/t", "us/m/t"
  }
  /^RESULT/ && f("mode") == "sidebars" {
    if (f("error") != "-") { printf "%-16s %-5s %4s %5s  error: %s\n", f("label"), f("codec"), f("room_size"), f("members"), f("error"); next }
    # Spread of the windows without sidebars (even places in cpu_windows): the noise to judge
    # the difference against.
    n = split(f("cpu_windows"), w, "/"); lo = 1e9; hi = 0; sum = 0; k = 0
    for (i = 1; i <= n; i += 2) { v = w[i] + 0; if (v < lo) lo = v; if (v > hi) hi = v; sum += v; k++ }
    spread = (k > 1 && sum > 0) ? sprintf("%.1f", 100 * (hi - lo) / (sum / k)) : "-"
    late = sprintf("%s/%s", f("late_pct_none"), f("late_pct_sb"))
    printf "%-16s %-5s %4s %5s %4s %6s  %-20s %-20s %7s %7s %6s %7s %11s %6s %5s\n", f("label"), f("codec"), \
      f("room_size"), f("established"), f("sidebars"), f("in_sidebars") "/" f("moved"), \
      f("invite_p50_ms") "/" f("invite_p99_ms") "/" f("invite_max_ms"), \
      f("refer_p50_ms") "/" f("refer_p99_ms") "/" f("refer_max_ms"), \
      f("cpu_none_us_member_tick"), f("cpu_sb_us_member_tick"), f("cpu_sb_vs_none_paired_pct"), spread, \
      late, f("rx_loss_pct"), f("ctl_errors")
  }
' "$results"
cat <<'CLAIM'
issue 5 claim: "sidebars must not change the O(N) cost". none / 10%sb = mixer CPU (utime+stime) per
  member per 20 ms with no member in a sidebar / with 10 % of the members in sidebars of 2 (plus
  each sidebar's a=inactive controller leg), same run: same N, same rooms, same media. Windows
  alternate none, sb, none, ..., none; diff% = median over the rounds of each sb window against
  the mean of the none windows either side of it (a slow drift of the machine's load cancels);
  spread% = (max - min) / mean of the none windows, the noise that diff% has to be read against
  (on a shared machine, read diff% only when late% is near 0 and spread% is small).
  INVITE->200 = controller's INVITE sidebar=<room> to its 200 OK; REFER->NOTIFY200 = in-dialog
  REFER to the NOTIFY "SIP/2.0 200 OK" (sent once the member's audio is routed: includes the wait
  for the room's next 20 ms tick). moved = members the mixer listed in a sidebar / planned.
  late% = late ticks none/sb; loss% = packets the members did not get over the whole run.
CLAIM
