#!/usr/bin/env bash
# Fuzzes FeedParser.Parse with afl++ through SharpFuzz (issue 9). Not part of CI.
#
#   bash bench/fuzz/run.sh              # 1,000,000 executions
#   FUZZ_EXECS=200000 bash bench/fuzz/run.sh
#
# Builds bench/fuzz/Feedstand.Fuzz in Release, instruments Feedstand.Feeds.dll with the sharpfuzz
# tool (.config/dotnet-tools.json), seeds afl with the small files of tests/data/corpus and
# bench/fuzz/seeds (XXE probes, lone surrogates, deep nesting, entities, hostile URLs), runs
# afl-fuzz until FUZZ_EXECS executions, then replays every crash and hang afl kept and prints
#   FUZZ execs=N seconds=S execs_per_s=X paths=P crashes=C slow=L xxe=X
# The target counts as a crash: any exception but FeedParseException; as slow: a parse over 1 s;
# as xxe: output that holds the contents of /tmp/feedstand-fuzz-secret.txt, which the seeds
# reference through external entities.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
execs="${FUZZ_EXECS:-1000000}"
work="${FUZZ_WORK:-bench/fuzz/work}"
out="$work/bin"
command -v afl-fuzz >/dev/null || { echo "bench/fuzz/run.sh: afl-fuzz is required (apt-get install afl++)" >&2; exit 2; }

rm -rf "$work/findings" "$work/seeds"
mkdir -p "$work/seeds"
dotnet build bench/fuzz/Feedstand.Fuzz/Feedstand.Fuzz.csproj -c Release -o "$out" --nologo -v quiet >&2
# An uninstrumented copy replays findings: the instrumented one needs afl's shared memory.
rm -rf "$work/replay" && cp -r "$out" "$work/replay"
dotnet tool restore >/dev/null
dotnet tool run sharpfuzz "$out/Feedstand.Feeds.dll" >&2

cp bench/fuzz/seeds/* "$work/seeds/"
find tests/data/corpus -type f ! -name MANIFEST.tsv -size -3k | sort | head -60 | while read -r f; do
  cp "$f" "$work/seeds/$(echo "$f" | tr '/' '_')"
done

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
start=$(date +%s)
# -t: afl's own hang limit per input (ms); the target itself fails any parse over 1 s.
afl-fuzz -i "$work/seeds" -o "$work/findings" -t 5000 -m none -E "$execs" -- dotnet "$out/Feedstand.Fuzz.dll" \
  >"$work/afl.log" 2>&1 || { echo "afl-fuzz failed; see $work/afl.log" >&2; tail -20 "$work/afl.log" >&2; exit 1; }
seconds=$(( $(date +%s) - start ))

stats="$work/findings/default/fuzzer_stats"
stat() { sed -n "s/^$1 *: *//p" "$stats"; }
done_execs=$(stat execs_done)
paths=$(stat corpus_count)
[ -n "$paths" ] || paths=$(stat paths_total)

# Replay what afl kept, so each finding is named by what it does (not by afl's guess).
crashes=0 slow=0 xxe=0
shopt -s nullglob
kept=("$work"/findings/default/crashes/id* "$work"/findings/default/hangs/id*)
if [ ${#kept[@]} -gt 0 ]; then
  dotnet "$work/replay/Feedstand.Fuzz.dll" "${kept[@]}" >"$work/replay.tsv" || true
  crashes=$(grep -c '^crash' "$work/replay.tsv" || true)
  slow=$(grep -c '^slow' "$work/replay.tsv" || true)
  xxe=$(grep -c '^xxe' "$work/replay.tsv" || true)
  grep -v '^ok' "$work/replay.tsv" >&2 || true
fi
echo "afl kept: $(ls "$work"/findings/default/crashes | grep -c '^id' || true) crashes, $(ls "$work"/findings/default/hangs | grep -c '^id' || true) hangs (replayed above when not ok)"
echo "FUZZ execs=$done_execs seconds=$seconds execs_per_s=$(( done_execs / (seconds > 0 ? seconds : 1) )) paths=$paths crashes=$crashes slow=$slow xxe=$xxe"
