#!/usr/bin/env bash
# Runs a command under its own Xvfb server. Xvfb picks a free display and reports it through -displayfd once it
# accepts connections, so there is no race with other servers or a fixed sleep (xvfb-run -a had both).
set -euo pipefail
fifo_dir=$(mktemp -d)
trap 'if [[ -n "${xvfb_pid:-}" ]]; then kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null; fi; rm -rf "$fifo_dir"' EXIT
mkfifo "$fifo_dir/display"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$fifo_dir/display" 2>"$fifo_dir/xvfb.log" &
xvfb_pid=$!
if ! read -r -t 30 display <"$fifo_dir/display"; then
  echo "run_under_xvfb: Xvfb did not start:" >&2
  cat "$fifo_dir/xvfb.log" >&2
  exit 1
fi
DISPLAY=":$display" "$@"
