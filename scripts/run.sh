#!/usr/bin/env bash
# Installs what is missing, builds the Release configuration, and runs the services in the
# foreground on loopback with their embedded defaults (mixer SIP 127.0.0.1:5070, admin HTTP
# 127.0.0.1:8070; IVR SIP 127.0.0.1:5060 once it exists; DESIGN.md section 5). Ctrl-C stops them.
# Arguments after -- go to the mixer, e.g. scripts/run.sh -- --config my-mixer.json
source "$(dirname "$0")/lib.sh"

mixer_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; mixer_args=("$@"); break ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done

bash "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/build.sh"

mixer="$ROOT/build/release/mixer/sidebar-mixer"
ivr="$ROOT/build/release/ivr/sidebar-ivr"
[ -x "$mixer" ] || die "the build did not produce $mixer"

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
"$mixer" "${mixer_args[@]}" & pids+=($!)
if [ -x "$ivr" ]; then
  "$ivr" & pids+=($!)
  say "IVR on sip:127.0.0.1:5060"
else
  say "the IVR is not built yet (issue 6): dial the mixer directly"
fi
say "mixer on sip:conf=1000@127.0.0.1:5070 (room 2000 needs a join token from the IVR); admin on http://127.0.0.1:8070/rooms; Ctrl-C stops"
wait -n "${pids[@]}"
