#!/usr/bin/env bash
# Proves the installers `make dist` built (run by `make dist-test`, or
# `make dist-test-linux` / `dist-test-windows` for one platform):
#   linux: installs the .deb with dpkg -i on this machine, checks Depends
#   against the libraries the binary really links, validates the desktop
#   entry, the .gloss MIME type and icons, runs `gloss --version`, then starts
#   the installed app under Xvfb on the demo project, screenshots it and fails
#   if the screen is blank or the app died. The package is removed afterwards
#   unless KEEP_INSTALLED=1.
#   windows: lists the NSIS installer and the exe's resources (icon, version,
#   manifest) and checks the exe is a GUI binary. Nothing is run: Debian's
#   wine cannot start binaries from Go 1.26 (the release workflow installs
#   and starts it on a real Windows runner instead).
# Usage: packaging/dist-test.sh all|linux|windows
# Env (set by packaging/dist.mk): GLOSS_DEB, GLOSS_TARXZ, GLOSS_SETUP, GLOSS_WINEXE.
# `cond && pass … || fail …` below is safe: pass and fail always succeed.
# shellcheck disable=SC2015
set -euo pipefail

mode=${1:-all}
case "$mode" in all | linux | windows) ;; *) echo "usage: dist-test.sh all|linux|windows" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."
version=$(sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' FyneApp.toml | sed -n 1p)
build=$(sed -n 's/^[[:space:]]*Build[[:space:]]*=[[:space:]]*\([0-9][0-9]*\).*/\1/p' FyneApp.toml | sed -n 1p)
deb=${GLOSS_DEB:-dist/gloss_${version}-${build}_amd64.deb}
setup=${GLOSS_SETUP:-dist/Gloss-${version}-windows-amd64-setup.exe}
winexe=${GLOSS_WINEXE:-dist/Gloss-${version}-windows-amd64.exe}
tarxz=${GLOSS_TARXZ:-dist/Gloss-${version}-linux-amd64.tar.xz}

failures=0
pass() { echo "  ok    $*"; }
fail() { echo "  FAIL  $*" >&2; failures=$((failures + 1)); }
warn() { echo "  WARN  $*" >&2; }
# Use in pipelines instead of grep -q/head: they stop reading early, and the
# writer's SIGPIPE (exit 141) would then count as failure under pipefail.
has() { grep "$@" > /dev/null; }
die() { echo "dist-test: $*" >&2; exit 1; }

want=()
[ "$mode" = windows ] || want+=("$deb" "$tarxz")
[ "$mode" = linux ] || want+=("$setup" "$winexe")
for f in "${want[@]}"; do
  [ -s "$f" ] || die "$f is missing or empty: run 'make dist' first"
done
[ "$mode" = windows ] || [ "$(id -u)" -eq 0 ] || die "needs root to dpkg -i $deb"

work=$(mktemp -d /tmp/gloss-dist-test.XXXXXX)
xvfb_pid="" app_pid="" installed=0 shot=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  if [ "$installed" = 1 ] && [ "${KEEP_INSTALLED:-0}" != 1 ]; then
    dpkg -r gloss >/dev/null 2>&1 || echo "dist-test: could not remove the gloss package" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

linux_checks() {
  echo "== .deb: $deb"
  dpkg-deb --info "$deb" | sed -n '/Package:/,$p' | sed 's/^/   /'
  field() { dpkg-deb --field "$deb" "$1"; }
  [ "$(field Version)" = "$version-$build" ] && pass "Version $version-$build (from FyneApp.toml)" || fail "Version is '$(field Version)', want $version-$build"
  field Recommends | has -w fonts-noto-cjk && pass "Recommends fonts-noto-cjk" || fail "Recommends lacks fonts-noto-cjk"

  # Every shared library the binary links must come from a package in Depends.
  dpkg-deb -x "$deb" "$work/root"
  depends=$(field Depends)
  while read -r lib; do
    path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ && !n++ {print $NF}')
    [ -n "$path" ] || { fail "linked library $lib not found on this machine"; continue; }
    pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | sed -n 1p | cut -d: -f1) || pkg=""
    [ -n "$pkg" ] || pkg=$(dpkg -S "$path" 2>/dev/null | sed -n 1p | cut -d: -f1) || true
    if [ -z "$pkg" ]; then
      fail "no Debian package owns $path ($lib)"
    elif echo "$depends" | tr ',' '\n' | sed 's/^[[:space:]]*//; s/[[:space:](].*//' | has -x "$pkg"; then
      pass "Depends covers $lib ($pkg)"
    else
      fail "binary links $lib from package $pkg, which is not in Depends: $depends"
    fi
  done < <(objdump -p "$work/root/usr/bin/gloss" | awk '/NEEDED/ {print $2}')

  echo "== .tar.xz: $tarxz"
  mkdir -p "$work/tar" "$work/tarhome"
  tar -xJf "$tarxz" -C "$work/tar"
  if make -C "$work/tar/gloss" user-install HOME="$work/tarhome" > "$work/tar.log" 2>&1; then
    pass "make user-install from the archive"
  else
    fail "make user-install from the archive: $(tail -3 "$work/tar.log")"
  fi
  grep -q "^Exec=$work/tarhome/.local/bin/gloss %F" "$work/tarhome/.local/share/applications/org.glossapp.gloss.desktop" 2>/dev/null \
    && pass "user-installed desktop entry runs ~/.local/bin/gloss" || fail "user-installed desktop entry has the wrong Exec"
  "$work/tarhome/.local/bin/gloss" --version 2>&1 | has "$version" \
    && pass "user-installed gloss --version" || fail "user-installed gloss --version does not say $version"

  echo "== dpkg -i"
  installed=1 # from here on, cleanup removes even a half-done install
  dpkg -i "$deb" > "$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; die "dpkg -i $deb failed"; }
  sed 's/^/   /' "$work/dpkg.log"
  pass "installed"
  desktop=/usr/share/applications/org.glossapp.gloss.desktop
  for f in /usr/bin/gloss "$desktop" /usr/share/mime/packages/org.glossapp.gloss.xml \
    /usr/share/icons/hicolor/48x48/apps/org.glossapp.gloss.png \
    /usr/share/icons/hicolor/scalable/apps/org.glossapp.gloss.svg; do
    [ -e "$f" ] && pass "installed $f" || fail "missing $f"
  done
  # Errors and warnings fail; hints (style advice) are only shown.
  if out=$(desktop-file-validate "$desktop" 2>&1) && ! echo "$out" | has -E '(error|warning):'; then
    pass "desktop-file-validate $desktop${out:+ (hints: $out)}"
  else
    fail "desktop-file-validate $desktop: $out"
  fi
  sed 's/^/   /' "$desktop"
  grep -q '^Exec=gloss %F' "$desktop" && pass "Exec passes opened files (%F)" || fail "Exec line does not take files"
  grep -q '^MimeType=application/x-gloss;' "$desktop" && pass "desktop entry claims application/x-gloss" || fail "desktop entry lacks MimeType=application/x-gloss;"

  # Package triggers (shared-mime-info, desktop-file-utils) must have
  # registered the type and made Gloss its handler.
  grep -q 'application/x-gloss:\*\.gloss' /usr/share/mime/globs2 && pass "*.gloss -> application/x-gloss in the MIME database" || fail "*.gloss not in /usr/share/mime/globs2"
  grep -q '^application/x-gloss=.*org.glossapp.gloss.desktop' /usr/share/applications/mimeinfo.cache && pass "mimeinfo.cache: application/x-gloss opens with Gloss" || fail "application/x-gloss not mapped to org.glossapp.gloss.desktop in mimeinfo.cache"
  printf 'not really a project\n' > "$work/sample.gloss"
  type=$(gio info -a standard::content-type "$work/sample.gloss" 2>/dev/null | awk '/content-type/ {print $2}')
  [ "$type" = application/x-gloss ] && pass "gio sees sample.gloss as $type" || fail "gio sees sample.gloss as '$type'"

  ver_out=$(LANG=C.UTF-8 timeout 20 /usr/bin/gloss --version 2>&1) || fail "gloss --version exited non-zero: $ver_out"
  echo "$ver_out" | has "$version" && pass "gloss --version: $ver_out" || fail "gloss --version says '$ver_out', want $version"

  echo "== installed app under Xvfb"
  # A scratch HOME so the run neither reads nor writes the builder's settings.
  export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" XDG_CACHE_HOME="$work/home/.cache"
  mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
  export LANG=C.UTF-8 LC_ALL=C.UTF-8 DISPLAY=:78
  Xvfb :78 -screen 0 1366x768x24 -nolisten tcp > "$work/xvfb.log" 2>&1 &
  xvfb_pid=$!
  # Up to 30 s: the machine may be busy compiling.
  for _ in $(seq 150); do
    xwininfo -root >/dev/null 2>&1 && break
    kill -0 "$xvfb_pid" 2>/dev/null || die "Xvfb :78 exited (display taken?): $(cat "$work/xvfb.log")"
    sleep 0.2
  done
  xwininfo -root >/dev/null 2>&1 || die "Xvfb :78 did not answer within 30 s: $(cat "$work/xvfb.log")"
  (cd "$work" && exec /usr/bin/gloss) > "$work/app.log" 2>&1 &
  app_pid=$!
  # Wait for a mapped Gloss window, then let it finish its first layout.
  for _ in $(seq 60); do
    xwininfo -root -tree 2>/dev/null | has -E '^ +0x[0-9a-f]+ "[^"]*Gloss' && break
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.5
  done
  sleep 4
  shot=dist/.build/dist-test-linux.png
  mkdir -p "$(dirname "$shot")"
  import -window root "$shot"
  if kill -0 "$app_pid" 2>/dev/null; then pass "gloss still running after start-up"; else fail "gloss exited early: $(tail -5 "$work/app.log")"; fi
  winline=$(xwininfo -root -tree | grep -E '^ +0x[0-9a-f]+ "[^"]*Gloss[^"]*"' | sed -n 1p || true)
  title=$(echo "$winline" | grep -o '"[^"]*"' | sed -n 1p || true)
  [ -n "$title" ] && pass "window $title is mapped" || fail "no window with Gloss in its title"
  # Docks (GNOME Shell) tie a window to its desktop entry when either part of
  # WM_CLASS equals StartupWMClass. GLFW sets both parts from the window
  # title at the moment the window is first shown, so this holds only if the
  # app shows its window titled "Gloss" before renaming it. A mismatch costs
  # the dock icon, not function, so it warns rather than fails.
  wmclass=$(xprop -id "$(echo "$winline" | awk '{print $1}')" WM_CLASS 2>/dev/null || true)
  want_class=$(sed -n 's/^StartupWMClass=//p' "$desktop")
  echo "$wmclass" | has "\"$want_class\"" && pass "$wmclass matches StartupWMClass=$want_class" \
    || warn "$wmclass does not match StartupWMClass=$want_class: docks will not show the Gloss icon for this window"
  colours=$(identify -format %k "$shot")
  [ "$colours" -ge 10 ] && pass "screenshot $shot has $colours colours" || fail "screenshot $shot looks blank ($colours colours)"
  if grep -qiE 'panic|fatal' "$work/app.log"; then fail "app log: $(grep -iE 'panic|fatal' "$work/app.log" | head -3)"; fi
  kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; app_pid=""

}

windows_checks() {
  echo "== Windows: $setup"
  7z l "$setup" > "$work/setup.lst" || die "7z cannot read $setup"
  sed -n '/^   Date/,$p' "$work/setup.lst" | sed 's/^/   /'
  for f in gloss.exe uninstall.exe; do
    grep -qE "[[:space:]]$f\$" "$work/setup.lst" && pass "installer contains $f" || fail "installer lacks $f"
  done
  grep -q 'NSIS-3 Unicode' "$work/setup.lst" && pass "NSIS 3 Unicode installer" || fail "not an NSIS 3 Unicode installer"
  7z x -so "$setup" gloss.exe 2>/dev/null | cmp -s - "$winexe" && pass "installer's gloss.exe is $winexe" || fail "installer's gloss.exe differs from $winexe"

  echo "== Windows: $winexe"
  objdump -p "$winexe" | has 'Subsystem.*Windows GUI' && pass "PE subsystem is Windows GUI (no console window)" || fail "$winexe is not a GUI-subsystem binary"
  7z l "$winexe" > "$work/exe.lst"
  grep -E '\.rsrc/' "$work/exe.lst" | sed 's/^/   /'
  grep -q '\.rsrc/.*GROUP_ICON' "$work/exe.lst" && pass "exe has an icon" || fail "exe has no icon resource"
  grep -q '\.rsrc/.*MANIFEST' "$work/exe.lst" && pass "exe has a manifest" || fail "exe has no manifest"
  vinfo=$(7z x -so "$winexe" '.rsrc/1033/version.txt' 2>/dev/null | tr -d '\0' || true)
  echo "$vinfo" | has "$version.$build" && pass "exe version resource says $version.$build" || fail "exe version resource lacks $version.$build: $vinfo"

}

[ "$mode" = windows ] || linux_checks
[ "$mode" = linux ] || windows_checks

echo "== sizes"
stat -c '%s %n' "${want[@]}" | awk '{printf "   %10d  %s\n", $1, $2}'
if [ "$mode" = all ] && [ -f dist/SHA256SUMS ]; then
  (cd dist && sha256sum --quiet -c SHA256SUMS) && pass "dist/SHA256SUMS verifies" || fail "dist/SHA256SUMS does not verify"
fi

if [ "$failures" -gt 0 ]; then
  echo "dist-test: $failures check(s) failed" >&2
  exit 1
fi
echo "dist-test ($mode): all checks passed${shot:+; screenshot: $shot}"
