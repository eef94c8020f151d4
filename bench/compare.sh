#!/usr/bin/env bash
# Side by side: this checkout's parser against another checkout's (the commit before a change),
# alternating runs on the same data so both see the same machine (issue 9: "no more than 5%
# slower, measured side by side").
#
#   bench/compare.sh OTHER_CHECKOUT [PAIRS]
#
# Both checkouts are built through their ./feedstand. For each data set of bench/parse.sh
# (corpus, rss2-5mb, atom10-20mb, rss2-50mb) and each mode (sanitizing, --no-sanitize), runs
# `feedstand bench-parse` PAIRS times (default 3) in each checkout, alternating, and prints the
# median MB/s of each and the change.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
other="$(cd "${1:?usage: bench/compare.sh OTHER_CHECKOUT [PAIRS]}" && pwd)"
pairs="${2:-3}"
cd "$root"
python3 bench/generate_large.py bench/generated 2>/dev/null || true
"$root/feedstand" --help >/dev/null
"$other/feedstand" --help >/dev/null

rounds_for() { case "$1" in corpus | rss2-5mb) echo 5 ;; *) echo 2 ;; esac; }
dir_for() { case "$1" in corpus) echo "$root/tests/data/corpus" ;; *) echo "$root/bench/generated/$1" ;; esac; }
mbps() { sed -n 's/.*mb_per_s=\([0-9.]*\).*/\1/p' | tail -1; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

printf '%-12s %-12s %10s %10s %8s\n' "data set" mode "other MB/s" "this MB/s" change
for set in corpus rss2-5mb atom10-20mb rss2-50mb; do
  for mode in sanitizing no-sanitize; do
    flag=(); [ "$mode" = no-sanitize ] && flag=(--no-sanitize)
    before=() after=()
    for _ in $(seq "$pairs"); do
      before+=("$("$other/feedstand" bench-parse "$(dir_for "$set")" "$(rounds_for "$set")" "${flag[@]}" 2>/dev/null | mbps)")
      after+=("$("$root/feedstand" bench-parse "$(dir_for "$set")" "$(rounds_for "$set")" "${flag[@]}" 2>/dev/null | mbps)")
    done
    b=$(printf '%s\n' "${before[@]}" | median)
    a=$(printf '%s\n' "${after[@]}" | median)
    printf '%-12s %-12s %10s %10s %7s%%   (other: %s; this: %s)\n' "$set" "$mode" "$b" "$a" \
      "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%+.1f", (a / b - 1) * 100 }')" "${before[*]}" "${after[*]}"
  done
done
