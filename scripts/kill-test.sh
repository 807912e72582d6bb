#!/usr/bin/env bash
# Kill test: start a tiny pre-training run, SIGKILL it at random moments, resume each time.
# Checks that every resume succeeds, that no checkpoint is ever found corrupt (the loader verifies
# each SHA-256 and says "skipping checkpoint" otherwise), and how much work each kill lost: the
# steps done before the kill minus the step the run resumed from must stay within one checkpoint
# interval (CHECKPOINT_SECONDS of steps).
#
#   scripts/kill-test.sh [KILLS=20] [OUT=/tmp/barlow-kill-test]
set -uo pipefail
kills="${1:-20}"
out="${2:-/tmp/barlow-kill-test}"
checkpoint_seconds=3
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rm -rf "$out"
"$here/barlow" info >/dev/null # build once, outside the timed runs; then run the built tool
barlow() { exec dotnet "$here/src/BarlowTwins.Cli/bin/Release/net10.0/barlow.dll" "$@"; }

args=(pretrain --preset fashion-mnist --data "synthetic?count=512&size=16&channels=1" --image-size 16
      --backbone resnet18 --width 4 --projector 64-64 --batch-size 32 --epochs 100000 --bf16 false
      --checkpoint-minutes "$(awk "BEGIN{print $checkpoint_seconds/60}")" --log-every 1 --out "$out")

resumed_ok=0; corrupt=0; failed=0; worst_lost=0; worst_interval=0
for ((i = 1; i <= kills; i++)); do
  log="$out.run$i.log"
  had_checkpoint=$(ls "$out/checkpoints" 2>/dev/null | grep -c ckpt)
  (barlow "${args[@]}") >"$log" 2>&1 &
  pid=$!
  delay=$(awk -v s=$RANDOM 'BEGIN{srand(s); printf "%.1f", 15 + rand() * 25}')
  sleep "$delay"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  done_steps=$(grep -oE 'step [0-9]+/' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
  if ((had_checkpoint > 0)); then
    if grep -q "resumed from step" "$log"; then
      resumed_ok=$((resumed_ok + 1))
      from=$(grep -oE 'resumed from step [0-9]+' "$log" | grep -oE '[0-9]+$')
      lost=$((previous_done - from))
      ((lost > worst_lost)) && worst_lost=$lost
    else
      failed=$((failed + 1)); echo "run $i: did not resume"; tail -3 "$log"
    fi
  fi
  corrupt=$((corrupt + $(grep -c "skipping checkpoint" "$log")))
  # steps between the last two checkpoints this run wrote: what one interval holds
  interval=$(grep -oE 'step-0*[0-9]+\.ckpt' "$log" | grep -oE '[1-9][0-9]*' | tail -2 | awk 'NR==1{a=$1} NR==2{print $1-a}')
  [[ -n "$interval" ]] && ((interval > worst_interval)) && worst_interval=$interval
  printf 'kill %2d after %5ss: %4s steps done, checkpoints %s\n' "$i" "$delay" "$done_steps" \
    "$(ls "$out/checkpoints" 2>/dev/null | tr '\n' ' ')"
  previous_done=$done_steps
done

# One last resume that must succeed and verify.
final="$out.final.log"
(barlow "${args[@]}" --max-steps $((previous_done + 2))) >"$final" 2>&1
status=$?
if grep -q "resumed from step" "$final" && ((status == 0)); then resumed_ok=$((resumed_ok + 1)); else failed=$((failed + 1)); tail -5 "$final"; fi
corrupt=$((corrupt + $(grep -c "skipping checkpoint" "$final")))

echo "kills: $kills; resumes: $resumed_ok ok, $failed failed; corrupt checkpoints found: $corrupt;" \
     "most steps lost by a kill: $worst_lost (most steps between two checkpoints: $worst_interval)"
((failed == 0 && corrupt == 0)) && ((worst_lost <= worst_interval + 1))
