#!/usr/bin/env bash
# One row of the recipe-lever table (docs/results.md, issue 14): the fashion-mnist preset with the
# lever's flags, pre-trained for STEPS steps in float32 (the schedule fitted to them), then SPEC's
# linear probe and 200-NN on float32 features (the row prints both, probe first). PRECISION=bf16 runs
# all three in bfloat16 instead: at equal steps it probes as float32 does (docs/results.md, session 16)
# at half the time on a CPU with AVX512-BF16.
# Equal steps make the accuracy independent of the machine's load; for a lever that changes the
# step's cost, pass the steps that take the baseline's time (468 × the baseline's step time / the
# lever's, each measured alone on a quiet machine).
# Skips what is done; an interrupted pre-training resumes.
#
#   scripts/fashion-mnist-lever.sh NAME STEPS [PRETRAIN FLAGS...]     # run folder runs/levers/NAME
#   LEVERS=/other/folder   BARLOW=/path/to/barlow   PRECISION=bf16
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 NAME STEPS [pretrain flags...]" >&2; exit 2; }
name="$1" steps="$2"
shift 2
command -v jq >/dev/null || { echo "this script reads the eval JSON with jq: apt-get install jq" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
barlow="${BARLOW:-$here/barlow}"
run="${LEVERS:-runs/levers}/$name"
precision="${PRECISION:-fp32}"

[ -e "$run/backbone.dat" ] || "$barlow" pretrain --preset fashion-mnist --steps "$steps" --precision "$precision" "$@" --out "$run"
[ -e "$run/eval/linear-fashion-mnist.json" ] || "$barlow" eval linear --checkpoint "$run" --data fashion-mnist --precision "$precision"
[ -e "$run/eval/knn-fashion-mnist.json" ] || "$barlow" eval knn --checkpoint "$run" --data fashion-mnist --precision "$precision"
knn="$(jq -r '.result.accuracy.top1' "$run/eval/knn-fashion-mnist.json")"
jq -r --arg n "$name" --arg s "$steps" --arg f "$*" --arg knn "$knn" \
  '"| \($n) | `\($f)` | \($s) | \(.result.final.top1) | \($knn) |"' "$run/eval/linear-fashion-mnist.json"
