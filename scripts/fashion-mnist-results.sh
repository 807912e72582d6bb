#!/usr/bin/env bash
# Every Barlow Twins row of docs/results.md, in order, for one seed:
#   30-minute pre-training with the fashion-mnist preset, linear probe, 200-NN, semi-supervised
#   1 % and 10 % against scratch, then the ablation table (in miniature: width-16 backbone, one
#   epoch on a fixed 20 000 of the training images per row: loss terms, λ, projector width, batch).
# Each step is skipped when its output exists, so an interrupted run continues where it stopped
# (pre-training itself resumes from its last checkpoint).
#
#   scripts/fashion-mnist-results.sh [SEED=0] [OUT=runs/results] [--no-ablation]
#   BARLOW=/path/to/barlow runs another build of the tool (default: ./barlow, rebuilt when stale).
#   PRETRAIN_FLAGS="--steps 3479 --precision bf16" adds flags to the pre-training (e.g. more seeds at
#   the steps and precision another seed's budget fitted, so they can train beside other jobs).
set -euo pipefail
seed="${1:-0}"
out="${2:-runs/results}"
ablation=true
[ "${3:-}" = "--no-ablation" ] && ablation=false
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
barlow="${BARLOW:-$here/barlow}"
run="$out/fashion-mnist-seed$seed"

step() { # step NAME OUTPUT-FILE COMMAND...
  local name="$1" done_file="$2"; shift 2
  if [ -e "$done_file" ]; then echo "== $name: done ($done_file)"; return; fi
  echo "== $name: $*"
  "$barlow" "$@"
}

step "pre-training (30 min)" "$run/backbone.dat" pretrain --preset fashion-mnist --seed "$seed" --out "$run" ${PRETRAIN_FLAGS:-}
step "linear probe" "$run/eval/linear-fashion-mnist.json" eval linear --checkpoint "$run" --data fashion-mnist --seed "$seed"
step "200-NN" "$run/eval/knn-fashion-mnist.json" eval knn --checkpoint "$run" --data fashion-mnist --seed "$seed"
for labels in 1 10; do
  step "semi-supervised $labels %" "$run/eval/semi-${labels}pct-fashion-mnist.json" \
    eval semi --checkpoint "$run" --data fashion-mnist --labels "$labels%" --seed "$seed"
done
if $ablation; then
  step "ablations" "$out/ablate-seed$seed/ablation.md" \
    ablate --preset fashion-mnist --config "$here/configs/fashion-mnist-width16.json" \
    --data "fashion-mnist?train=20000" --epochs 1 --probe-epochs 30 \
    --lambda 0.0051 --projector 1024-1024-1024 --batch-size 128 --seed "$seed" --out "$out/ablate-seed$seed"
fi
echo "results in $run/eval*/ and $out/ablate-seed$seed/"
