#!/usr/bin/env bash
# Installs what is missing, builds the Release configuration, and runs both services in the
# foreground on loopback with their embedded defaults (mixer SIP 127.0.0.1:5070, IVR SIP
# 127.0.0.1:5060; DESIGN.md section 5). Ctrl-C stops both.
source "$(dirname "$0")/lib.sh"

bash "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/build.sh"

mixer="$ROOT/build/release/mixer/sidebar-mixer"
ivr="$ROOT/build/release/ivr/sidebar-ivr"
missing=()
[ -x "$mixer" ] || missing+=("sidebar-mixer")
[ -x "$ivr" ] || missing+=("sidebar-ivr")
if [ "${#missing[@]}" -gt 0 ]; then
  die "not built yet: ${missing[*]}. This version has the media core in common/ only; the services come with the mixer and IVR issues. Run scripts/test.sh to test what exists."
fi

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
"$mixer" & pids+=($!)
"$ivr" & pids+=($!)
say "mixer on sip:conf=1000@127.0.0.1:5070, IVR on sip:127.0.0.1:5060; Ctrl-C stops both"
wait -n "${pids[@]}"
