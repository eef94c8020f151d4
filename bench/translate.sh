#!/usr/bin/env bash
# The translation benchmark of issue 13: the translation stage over the corpus with a fake
# LibreTranslate engine on loopback. See bench/README.md.
#
#   bench/translate.sh
#
# Prints characters sent on the first pass, on an unchanged second pass (goal 0), after editing
# one paragraph of one post (goal: that paragraph only), and how many stored translations differ
# in structure from their source (goal 0).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${BENCH_CORPUS:-$root/tests/data/corpus}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet build "$root/bench/translate/TranslateBench.csproj" -c Release --nologo -v quiet >&2
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git -C "$root" rev-parse --short HEAD)"
dotnet "$root/bench/translate/bin/Release/net10.0/TranslateBench.dll" "$corpus" "$work" | tee "$work/out.txt"
first=$(sed -n 's/^RESULT pass=first characters_sent=\([0-9]*\).*/\1/p' "$work/out.txt")
second=$(sed -n 's/^RESULT pass=unchanged characters_sent=\([0-9]*\).*/\1/p' "$work/out.txt")
third=$(sed -n 's/^RESULT pass=edited characters_sent=\([0-9]*\).*/\1/p' "$work/out.txt")
paragraph=$(sed -n 's/^RESULT pass=edited .*paragraph_characters=\([0-9]*\).*/\1/p' "$work/out.txt")
differ=$(sed -n 's/^RESULT structure .*differ=\([0-9]*\).*/\1/p' "$work/out.txt")
verdict() { if [ "$1" = "$2" ]; then echo PASS; else echo MISS; fi; }
echo
echo "| measure | figure | goal | |"
echo "| --- | --- | --- | --- |"
echo "| characters sent, first pass | $first | – | |"
echo "| characters sent, unchanged second pass | $second | 0 | $(verdict "$second" 0) |"
echo "| characters sent after editing one paragraph | $third | $paragraph (that paragraph) | $(verdict "$third" "$paragraph") |"
echo "| translated entries whose structure differs from the source | $differ | 0 | $(verdict "$differ" 0) |"
