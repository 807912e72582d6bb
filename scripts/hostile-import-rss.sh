#!/usr/bin/env bash
# Peak resident memory of `barlow import` on each hostile pickle class (scripts/hostile_pickles.py),
# against the bound the importer promises: 2 x the file's size + 200 MB. Each import runs under
# /usr/bin/time -v; a watchdog kills any that passes CAP_MB (default 3000) or runs over 120 s, so a
# regression cannot take the machine down. Prints one row per class and exits non-zero if any row breaks the bound.
#
#   scripts/hostile-import-rss.sh [DIR=/tmp/barlow-hostile] [CAP_MB=3000]
set -uo pipefail
dir="${1:-/tmp/barlow-hostile}"
cap_mb="${2:-3000}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# (re)write the files when the generator changed since they were written
[[ "$dir/files/.written" -nt "$here/scripts/hostile_pickles.py" ]] \
  || { python3 "$here/scripts/hostile_pickles.py" "$dir/files" >/dev/null && touch "$dir/files/.written"; }
"$here/barlow" info >/dev/null # build once, outside the measured runs
dll="$here/src/BarlowTwins.Cli/bin/Release/net10.0/barlow.dll"

printf '%-14s %10s %9s %9s %5s  %s\n' class "file B" "bound MB" "peak MB" exit "message"
broken=0
for file in "$dir"/files/*.pth; do
  name=$(basename "$file" .pth)
  log="$dir/$name.log"
  rm -rf "$dir/out-$name"
  /usr/bin/time -v -o "$dir/$name.time" dotnet "$dll" import --from "$file" --out "$dir/out-$name" >"$log" 2>&1 &
  pid=$!
  start=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    child=$(pgrep -P "$pid" | head -1)
    rss_kb=$( [[ -n "$child" ]] && awk '/VmRSS/ {print $2}' "/proc/$child/status" 2>/dev/null || echo 0)
    if (( ${rss_kb:-0} > cap_mb * 1024 )); then kill -KILL "$child"; echo "killed at ${cap_mb} MB" >>"$log"; fi
    if (( SECONDS - start > 120 )); then kill -KILL "$child"; echo "killed after 120 s" >>"$log"; fi
    sleep 0.2
  done
  wait "$pid"; status=$?
  size=$(stat -c %s "$file")
  peak_mb=$(awk '/Maximum resident/ {printf "%.0f", $6 / 1024}' "$dir/$name.time")
  bound_mb=$(( 2 * size / 1048576 + 200 ))
  (( peak_mb > bound_mb )) && broken=$((broken + 1))
  printf '%-14s %10d %9d %9d %5s  %s\n' "$name" "$size" "$bound_mb" "$peak_mb" "$status" "$(grep -v '^\s*Command' "$log" | head -1 | cut -c1-110)"
done
exit $((broken > 0))
