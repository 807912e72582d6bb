#!/usr/bin/env bash
# The Barlow Twins rows of docs/results.md over every seed that scripts/fashion-mnist-results.sh
# has finished: each seed's top-1 and, with two or more seeds, mean ± sample standard deviation.
#
#   scripts/fashion-mnist-summary.sh [OUT=runs/results]
set -euo pipefail
out="${1:-runs/results}"
command -v jq >/dev/null || { echo "this script reads the eval JSON with jq: apt-get install jq" >&2; exit 2; }
shopt -s nullglob
runs=("$out"/fashion-mnist-seed*/)
[ ${#runs[@]} -gt 0 ] || { echo "no $out/fashion-mnist-seed*/ folders: run scripts/fashion-mnist-results.sh first" >&2; exit 2; }

# row LABEL FILE JQ-PATH: one markdown row; a seed without that file shows "–".
row() {
  local label="$1" file="$2" path="$3" values=() cells=""
  for run in "${runs[@]}"; do
    local json="$run/eval/$file"
    if [ -e "$json" ]; then
      local v; v=$(jq -r "$path" "$json" | awk '{ printf "%.2f", $1 }'); values+=("$v"); cells+=" $v |"
    else
      cells+=" – |"
    fi
  done
  local stats
  stats=$(printf '%s\n' "${values[@]}" | awk 'NF { n++; s += $1; q += $1 * $1 }
    END { if (n < 2) { print "–"; exit }
          m = s / n; v = (q - n * m * m) / (n - 1); if (v < 0) v = 0
          printf "%.2f ± %.2f (n = %d)", m, sqrt(v), n }')
  echo "| $label |$cells $stats |"
}

header="| measurement |"; rule="|---|"
for run in "${runs[@]}"; do header+=" $(basename "$run" | sed 's/fashion-mnist-//') |"; rule+="---:|"; done
echo "$header mean ± std |"
echo "$rule---:|"
row "linear probe, top-1 %" linear-fashion-mnist.json '.result.final.top1'
row "200-NN, top-1 %" knn-fashion-mnist.json '.result.accuracy.top1'
row "1 % labels, fine-tuned" semi-1pct-fashion-mnist.json '.result.pretrained.final.top1'
row "1 % labels, scratch" semi-1pct-fashion-mnist.json '.result.scratch.final.top1'
row "10 % labels, fine-tuned" semi-10pct-fashion-mnist.json '.result.pretrained.final.top1'
row "10 % labels, scratch" semi-10pct-fashion-mnist.json '.result.scratch.final.top1'
