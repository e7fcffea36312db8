#!/usr/bin/env bash
# Smoke test: start the real binary under Xvfb on a fresh demo project, wait
# for its window, screenshot the screen and fail if the picture is blank.
# Usage: scripts/smoke.sh BINARY [SCREENSHOT]
set -euo pipefail
bin=$(realpath "$1")
shot=${2:-${SMOKE_SHOT:-/tmp/gloss-smoke.png}}
export LANG=C.UTF-8 LC_ALL=C.UTF-8
work=$(mktemp -d)
display=:$((90 + RANDOM % 100))
cleanup() {
  kill "${app_pid:-}" "${xvfb_pid:-}" 2>/dev/null || true
  # Wait for both to exit so nothing still writes into $work while it is removed.
  wait "${app_pid:-}" "${xvfb_pid:-}" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A private HOME so the run neither reads nor writes the user's preferences.
export HOME=$work/home XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
"$bin" demo --db "$work/demo.gloss" >/dev/null

Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done 2>/dev/null || sleep 2

"$bin" "$work/demo.gloss" >"$work/app.log" 2>&1 &
app_pid=$!
# Wait for a window to be mapped (up to 60 s), then let it draw.
for _ in $(seq 120); do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "smoke: gloss exited early:"; cat "$work/app.log"; exit 1
  fi
  if xwininfo -root -tree 2>/dev/null | grep -qi '"[^"]*gloss'; then break; fi
  sleep 0.5
done
sleep 3
import -window root "$shot"
colours=$(identify -format '%k' "$shot")
echo "smoke: screenshot $shot has $colours colours"
if [ "$colours" -lt 50 ]; then
  echo "smoke: the window looks blank"; cat "$work/app.log"; exit 1
fi
kill -0 "$app_pid" || { echo "smoke: gloss died"; cat "$work/app.log"; exit 1; }
echo "smoke: ok"
