#!/usr/bin/env bash
# Resident memory per epoch of a run: reads OUT/metrics.jsonl (one "epoch" line per epoch).
#   scripts/rss.sh OUT
set -euo pipefail
python3 - "$1/metrics.jsonl" <<'PY'
import json, sys
print("epoch  step   rss_mb  managed_mb  loss")
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("kind") == "epoch":
        print(f"{r['epoch']+1:5d} {r['step']:5d} {r['rss_mb']:8.1f} {r['managed_mb']:10.1f}  {r['loss']:.3f}")
PY
