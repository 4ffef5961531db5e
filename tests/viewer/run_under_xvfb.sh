#!/usr/bin/env bash
# Runs a command under its own Xvfb server. The display number is random in 100..999 (so that it does not meet a
# desktop's :0 or another test's server, lock file or abstract socket), and Xvfb reports through -displayfd once
# it accepts connections, so there is no fixed sleep. Usage: run_under_xvfb.sh [--screen WxHxD] COMMAND...
set -euo pipefail
screen="1280x800x24"
if [[ "${1:-}" == "--screen" ]]; then screen="$2"; shift 2; fi
work=$(mktemp -d)
xvfb_pid=""
cleanup() {
  if [[ -n "$xvfb_pid" ]]; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
for attempt in 1 2 3 4 5 6 7 8; do
  n=$((100 + RANDOM % 900))
  [[ -e "/tmp/.X$n-lock" || -e "/tmp/.X11-unix/X$n" ]] && continue
  rm -f "$work/display"
  mkfifo "$work/display"
  Xvfb ":$n" -displayfd 3 -screen 0 "$screen" -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
  xvfb_pid=$!
  if read -r -t 30 display <"$work/display" && kill -0 "$xvfb_pid" 2>/dev/null; then
    if [[ -n "${GT_XVFB_COMMAND_PRELOAD:-}" ]]; then
      # The sanitizer build (tests/viewer/CMakeLists.txt): the GL driver preloaded into the command so that it stays
      # mapped until the process ends. libGLX unloads it when the display closes, and the memory its globals point to
      # then looks leaked to LeakSanitizer (112 bytes, in no module it can name); kept loaded, nothing is reported.
      ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" LD_PRELOAD="$GT_XVFB_COMMAND_PRELOAD" \
        DISPLAY=":$display" "$@"
    else
      DISPLAY=":$display" "$@"
    fi
    exit $?
  fi
  kill "$xvfb_pid" 2>/dev/null || true
  wait "$xvfb_pid" 2>/dev/null || true
  xvfb_pid=""
done
echo "run_under_xvfb: no Xvfb server could be started:" >&2
cat "$work/xvfb.log" >&2 || true
exit 1
