#!/usr/bin/env bash
# How the linear probe grows with the pre-training budget: the fashion-mnist preset pre-trained
# for each budget (the schedule fitted to the measured step time, as in the 30-minute row), then
# SPEC's linear probe; one markdown row per budget. Run it on an otherwise idle machine: the
# budget buys steps at the step time measured in steps 4–13 and again over the warm-up.
# Each step is skipped when its output exists; an interrupted pre-training resumes.
#
#   scripts/fashion-mnist-budget.sh [SEED=0] [OUT=runs/budget] [MINUTES... = 15 30 60]
#   BARLOW=/path/to/barlow runs another build of the tool (default: ./barlow, rebuilt when stale).
set -euo pipefail
seed="${1:-0}"
out="${2:-runs/budget}"
shift $(( $# < 2 ? $# : 2 ))
budgets=("$@")
[ ${#budgets[@]} -gt 0 ] || budgets=(15 30 60)
command -v jq >/dev/null || { echo "this script reads the eval JSON with jq: apt-get install jq" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
barlow="${BARLOW:-$here/barlow}"
steps_per_epoch=468   # 60 000 images in batches of 128, the preset's batch

for minutes in "${budgets[@]}"; do
  run="$out/seed$seed-${minutes}min"
  [ -e "$run/backbone.dat" ] || "$barlow" pretrain --preset fashion-mnist --minutes "$minutes" --seed "$seed" --out "$run"
  [ -e "$run/eval/linear-fashion-mnist.json" ] || "$barlow" eval linear --checkpoint "$run" --data fashion-mnist --seed "$seed"
done

echo "| budget | steps | epochs | final loss | probe top-1 % | top-5 % |"
echo "|---:|---:|---:|---:|---:|---:|"
for minutes in "${budgets[@]}"; do
  run="$out/seed$seed-${minutes}min"
  # The last checkpoint is written at the schedule's last step, so its name is the fitted length.
  steps=$(ls "$run/checkpoints" | sed -n 's/^step-0*\([0-9]*\)\.ckpt$/\1/p' | sort -n | tail -1)
  loss=$(jq -r 'select(.kind == "step") | .loss' "$run/metrics.jsonl" | tail -1)
  jq -r --arg m "$minutes" --arg s "$steps" --arg l "$loss" --argjson e "$steps_per_epoch" \
    '"| \($m) min | \($s) | \(($s | tonumber) / $e * 100 | round / 100) | \($l | tonumber | round) | \(.result.final.top1) | \(.result.final.top5) |"' \
    "$run/eval/linear-fashion-mnist.json"
done
