#!/usr/bin/env bash
# Measures the real window on a project under Xvfb: launch to the shown
# project, resident memory after opening and after 20 tag/undo pairs, and
# how long each action took on the UI thread (GLOSS_TIMING=1 logs it).
# Usage: scripts/measure-window.sh BINARY PROJECT [SCREENSHOT]
# The project is copied first, so the measured file is never changed.
set -euo pipefail
bin=$(realpath "$1")
shot=${3:-/tmp/gloss-measure.png}
export LANG=C.UTF-8 LC_ALL=C.UTF-8 GLOSS_TIMING=1
# GLOSS_CPUPROFILE=FILE in the environment profiles the window (written when it is stopped).
# GLOSS_MEMPROFILE=FILE writes its live heap after the actions.
work=$(mktemp -d)
display=:$((200 + RANDOM % 100))
cleanup() {
  kill "${app_pid:-}" 2>/dev/null && sleep 1
  kill "${xvfb_pid:-}" 2>/dev/null || true
  wait "${app_pid:-}" "${xvfb_pid:-}" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export HOME=$work/home XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
cp "$2" "$work/p.gloss"
chmod u+w "$work/p.gloss"
# Written to disk first: the copy's dirty pages would otherwise be flushed
# by the first save's fdatasync (140 ms at 165 MB), which no analyst
# opening a project already on disk meets.
sync "$work/p.gloss"

Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done 2>/dev/null || sleep 2

# RSS counts mapped files too (the project's mmap, shared libraries such as
# the GL driver); RssAnon is the process's own memory.
rss() { awk '/^(VmRSS|RssAnon|RssFile):/ {printf "%s %.0f MiB  ", $1, $2/1024}' "/proc/$app_pid/status"; }
# Of RssFile, how much is the project's own mapping (the rest is shared
# libraries: the GL driver, fonts).
mapped() { awk -v f="$work/p.gloss" '/^[0-9a-f]+-[0-9a-f]+ / {cur=$6} /^Rss:/ && cur==f {t+=$2} END {printf "project mapping %.0f MiB", t/1024}' "/proc/$app_pid/smaps"; }
"$bin" "$work/p.gloss" >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1200); do
  grep -q 'timing: drawn' "$work/app.log" && break
  kill -0 "$app_pid" 2>/dev/null || { echo "gloss exited:"; cat "$work/app.log"; exit 1; }
  sleep 0.05
done
grep 'timing: \(file\|project\|shown\|painted\|drawn\)' "$work/app.log"
sleep 2
echo "RSS after opening: $(rss)$(mapped)"
# Actions are measured once the window's reading after its first frame is
# done (every annotation read, or a paged project's counts read and its
# annotation records checked), as an analyst
# working in it would meet them.
for _ in $(seq 600); do
  grep -q "timing: every annotation \(read\|checked\)" "$work/app.log" && break
  sleep 0.1
done
wid=$(xdotool search --name 'Gloss' | head -1)
xdotool windowactivate --sync "$wid" 2>/dev/null || true
for i in $(seq 20); do
  # A double click selects a word in the document; 2 tags it with the
  # second code; Ctrl+Z undoes it. The points are on the first three
  # lines of text, which fill the document's width (lower rows met the
  # gap after a paragraph: 8 of 20 clicks tagged nothing).
  xdotool mousemove $((300 + (i % 4) * 120)) $((160 + (i % 3) * 24)) click --repeat 2 --delay 80 1
  sleep 0.3
  xdotool key 2
  sleep 0.4
  xdotool key ctrl+z
  sleep 0.4
done
sleep 1
# A project-wide search (Ctrl+Shift+F), a common word and a rare one; it
# runs off the UI goroutine and logs when its last hit is shown.
for word in ministry 20505; do
  xdotool key ctrl+shift+f
  sleep 0.5
  xdotool key ctrl+a
  xdotool type --delay 30 "$word"
  xdotool key Return
  sleep 2
done
grep "timing: search" "$work/app.log" || true
grep "timing: \(every\|project.s counts\)" "$work/app.log" || true
echo "RSS after 20 tag/undo pairs: $(rss)$(mapped)"
# The window hands back what its heap freed once it has been idle a
# while (trimWhenIdle), as after an analyst stops to read.
sleep 5
echo "RSS after 5 s idle: $(rss)$(mapped)"
# GLOSS_MEMPROFILE=FILE in the environment: the window writes its live heap there.
if [ -n "${GLOSS_MEMPROFILE:-}" ]; then kill -USR1 "$app_pid"; sleep 3; fi
import -window root "$shot"
echo "screenshot: $shot"
# GLOSS_KEEPLOG=FILE keeps the window's log (every action's timing).
[ -n "${GLOSS_KEEPLOG:-}" ] && cp "$work/app.log" "$GLOSS_KEEPLOG"
# The UI goroutine's stalls over 100 ms that began after the first frame
# was drawn (one that began before it is the launch itself).
awk '/timing: drawn/ {d=$(NF-1)} /UI goroutine busy from/ {f=$6; v=$(NF-1); if (d != "" && f+0 >= d+0) {n++; if (v>m) m=v} else {l++; if (v>lm) lm=v}} END {printf "UI goroutine busy > 100 ms after the first frame: %d times, longest %.1f ms (before it: %d, longest %.1f ms)\n", n, m, l, lm}' "$work/app.log"
for k in do undo; do
  grep "timing: $k" "$work/app.log" | awk '{print $(NF-1)}' | sort -n |
    awk -v k="$k" '{v[NR]=$1; t+=$1} END {if (NR) printf "%s: %d actions, median %.1f ms, mean %.1f ms, max %.1f ms\n", k, NR, v[int((NR+1)/2)], t/NR, v[NR]}'
done
