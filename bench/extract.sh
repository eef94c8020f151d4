#!/usr/bin/env bash
# The full-text extraction benchmark of issue 14: F1 against the person-marked article bodies
# and the time per page. See bench/README.md.
#
#   bench/extract.sh
#
# Runs `feedstand bench-extract` (through ./feedstand, Release, ReadyToRun) over the pages of
# BENCH_FULLTEXT (default ../shared/fulltext, else the five pages in tests/data/fulltext): one
# untimed pass writes each page's extract JSON, then ROUNDS timed passes time every page alone.
# Scores the JSON with bench/score_extract.py (score.py's metric) and checks the goals:
# F1 >= 0.96, median <= 20 ms, p99 <= 200 ms.
#
# Environment:
#   BENCH_FULLTEXT  folder with pages/ (or *.html.gz) and ground-truth.json
#   BENCH_ROUNDS    timed passes (default 5)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 2
data="${BENCH_FULLTEXT:-$root/../shared/fulltext}"
[ -f "$data/ground-truth.json" ] || data="$root/tests/data/fulltext"
pages="$data/pages"
[ -d "$pages" ] || pages="$data"
rounds="${BENCH_ROUNDS:-5}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "bench/extract.sh: $(ls "$pages" | grep -c '\.html') pages from $data, $rounds rounds; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
result="$(./feedstand bench-extract "$pages" "$rounds" --urls "$data/ground-truth.json" --out "$out")" || exit 1
score="$(python3 bench/score_extract.py "$data/ground-truth.json" "$out")" || exit 1
echo "$result"
echo "$score"

python3 - "$result" "$score" <<'PY'
import re, sys
r = dict(re.findall(r"(\w+)=([\d.]+)", sys.argv[1]))
s = dict(re.findall(r"(\w+)=([\d.]+)", sys.argv[2]))
goals = [("F1 >= 0.96", float(s["f1"]) >= 0.96), ("median <= 20 ms", float(r["median_ms"]) <= 20), ("p99 <= 200 ms", float(r["p99_ms"]) <= 200)]
for name, ok in goals:
    print(f"goal {name}: {'met' if ok else 'NOT met'}")
PY
