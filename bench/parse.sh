#!/usr/bin/env bash
# The parser benchmark of issue 2: Feedstand against the other feed parsers, on the same bytes,
# in one run. See bench/README.md.
#
#   bench/parse.sh
#
# Builds Release once, generates the large feeds if absent, then for each data set (the corpus,
# and each large feed alone) runs every peer in its own process under /usr/bin/time for its peak
# memory. Prints a table per data set and checks the goals of issue 2.
#
# Environment:
#   BENCH_CORPUS   the corpus folder (default tests/data/corpus)
#   BENCH_SETS     data sets to run, among: corpus rss2-5mb atom10-20mb rss2-50mb (default all)
#   BENCH_PEERS    peers to run (default: feedstand feedstand-nosan xmlreader syndication codehollow feedparser)
#   BENCH_QUICK=1  one round everywhere (to try the script, not to quote)
#   BENCH_TIMEOUT  seconds before one run is killed (default 300)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 2

corpus="${BENCH_CORPUS:-tests/data/corpus}"
generated="bench/generated"
sets=(${BENCH_SETS:-corpus rss2-5mb atom10-20mb rss2-50mb})
peers=(${BENCH_PEERS:-feedstand feedstand-nosan xmlreader syndication codehollow feedparser})
run_timeout="${BENCH_TIMEOUT:-300}"
bench_dll="bench/Feedstand.Bench/bin/Release/net10.0/Feedstand.Bench.dll"
python=/usr/bin/python3
results="bench/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"
table="$results/results.tsv"
: >"$table"

# Rounds per data set: .NET peers, then feedparser (about 50 times slower). Each run lasts a few
# seconds; the whole script stays under ten minutes on 2 cores.
rounds_for() { # SET PEER
  local fast slow
  case "$1" in
    corpus) fast=5 slow=1 ;;
    rss2-5mb) fast=5 slow=1 ;;
    atom10-20mb) fast=2 slow=1 ;;
    rss2-50mb) fast=2 slow=1 ;;
    *) fast=1 slow=1 ;;
  esac
  if [ "${BENCH_QUICK:-0}" = 1 ]; then fast=1 slow=1; fi
  if [ "$2" = feedparser ]; then echo "$slow"; else echo "$fast"; fi
}

say() { printf '%s\n' "$*"; }

# --- tools ------------------------------------------------------------------------------------
missing=()
[ -x /usr/bin/time ] || missing+=(time)
"$python" -c 'import feedparser' 2>/dev/null || missing+=(python3-feedparser)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian packages: ${missing[*]}"
    { apt-get update -q && apt-get install -y -q "${missing[@]}"; } >"$results/apt.log" 2>&1 \
      || say "apt-get failed (see $results/apt.log)"
  else
    say "missing Debian packages: ${missing[*]} (apt-get install ${missing[*]})"
  fi
fi
if [ ! -x /usr/bin/time ]; then
  say "bench/parse.sh: /usr/bin/time is required (Debian package 'time')" >&2
  exit 2
fi

# --- machine ----------------------------------------------------------------------------------
say "== machine"
say "cpus:    $(nproc)"
say "cpu:     $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
say "memory:  $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
say "dotnet:  $(dotnet --version 2>/dev/null || echo missing)"
say "python:  $("$python" --version 2>&1), feedparser $("$python" -c 'import feedparser; print(feedparser.__version__)' 2>/dev/null || echo missing)"
say "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
say "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
say "logs:    $results/"
say

# --- build ------------------------------------------------------------------------------------
app_ok=1
bench_ok=1
say "== build (Release)"
if ! ./feedstand --help >"$results/build-app.log" 2>&1; then
  app_ok=0
  say "feedstand: build failed (see $results/build-app.log); its peers are skipped"
fi
if ! dotnet build bench/Feedstand.Bench -c Release --nologo -v quiet >"$results/build-bench.log" 2>&1; then
  bench_ok=0
  say "Feedstand.Bench: build failed (see $results/build-bench.log); the .NET peers are skipped"
fi

# --- large feeds ------------------------------------------------------------------------------
if ! "$python" bench/generate_large.py "$generated" 2>"$results/generate.log"; then
  say "generate_large.py failed (see $results/generate.log)"
fi
sed 's/^generate_large: /generated: /' "$results/generate.log"
say

dir_for() {
  case "$1" in
    corpus) echo "$corpus" ;;
    *) echo "$generated/$1" ;;
  esac
}

# --- one run ----------------------------------------------------------------------------------
# run SET PEER DIR ROUNDS: appends "set peer status mb_per_s failed peak_kb seconds rounds note".
run() {
  local set="$1" peer="$2" dir="$3" rounds="$4"
  local log="$results/$set.$peer" cmd=()
  case "$peer" in
    feedstand) [ $app_ok = 1 ] && cmd=(./feedstand bench-parse "$dir" "$rounds") ;;
    feedstand-nosan) [ $app_ok = 1 ] && cmd=(./feedstand bench-parse "$dir" "$rounds" --no-sanitize) ;;
    xmlreader | syndication | codehollow) [ $bench_ok = 1 ] && cmd=(dotnet "$bench_dll" "$peer" "$dir" "$rounds") ;;
    feedparser) cmd=("$python" bench/feedparser_bench.py "$dir" "$rounds") ;;
    *) ;;
  esac
  if [ ${#cmd[@]} -eq 0 ]; then
    printf '%s\t%s\terror\t\t\t\t\t%s\tnot built\n' "$set" "$peer" "$rounds" >>"$table"
    printf '  %-16s not built\n' "$peer"
    return
  fi
  printf '%s\n' "${cmd[*]}" >"$log.cmd"
  /usr/bin/time -f '%M' -o "$log.mem" timeout "$run_timeout" "${cmd[@]}" >"$log.out" 2>"$log.err"
  local code=$?
  local peak result
  peak="$(tail -n1 "$log.mem" 2>/dev/null | tr -dc 0-9)"
  result="$(grep -m1 '^RESULT ' "$log.out")"
  if [ $code -eq 0 ] && [ -n "$result" ]; then
    local mbs failed seconds
    mbs="$(sed -n 's/.* mb_per_s=\([0-9.]*\).*/\1/p' <<<"$result")"
    failed="$(sed -n 's/.* failed=\([0-9]*\).*/\1/p' <<<"$result")"
    seconds="$(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' <<<"$result")"
    printf '%s\t%s\tok\t%s\t%s\t%s\t%s\t%s\t\n' "$set" "$peer" "$mbs" "$failed" "$peak" "$seconds" "$rounds" >>"$table"
    printf '  %-16s %8s MB/s  %4s failed  %7s MB peak  (%s s timed)\n' "$peer" "$mbs" "$failed" \
      "$(awk -v k="$peak" 'BEGIN { printf "%.0f", k / 1024 }')" "$seconds"
  else
    local why
    if [ $code -eq 124 ]; then
      why="timed out after ${run_timeout}s"
    else
      # The error is the first line on stderr that is not a per-file FAIL line (or the last FAIL).
      why="$(grep -v -m1 -e '^FAIL ' -e '^\s*$' -e '^Command exited' "$log.err" | cut -c1-160)"
      [ -n "$why" ] || why="$(tail -n1 "$log.err" | cut -c1-160)"
      why="exit $code: ${why:-no RESULT line}"
    fi
    why="${why//$'\t'/ }"
    printf '%s\t%s\terror\t\t\t%s\t\t%s\t%s\n' "$set" "$peer" "$peak" "$rounds" "$why" >>"$table"
    printf '  %-16s ERROR %s\n' "$peer" "$why"
  fi
}

# --- runs -------------------------------------------------------------------------------------
for set in "${sets[@]}"; do
  dir="$(dir_for "$set")"
  say "== $set ($dir)"
  if [ ! -d "$dir" ]; then
    say "  no such folder; skipped (set BENCH_CORPUS for the corpus)"
    printf '%s\t-\tmissing\t\t\t\t\t\t%s\n' "$set" "no folder $dir" >>"$table"
    say
    continue
  fi
  for peer in "${peers[@]}"; do
    run "$set" "$peer" "$dir" "$(rounds_for "$set" "$peer")"
  done
  say
done

# --- tables -----------------------------------------------------------------------------------
say "== results (ratios are to the bare XmlReader pass of the same data set)"
awk -F'\t' '
  function mb(kb) { return kb == "" ? "-" : sprintf("%.0f", kb / 1024) }
  {
    set = $1; peer = $2
    if (!(set in seen)) { seen[set] = 1; order[++nsets] = set }
    if (peer == "-") { missing[set] = $9; next }
    rows[set] = rows[set] SUBSEP peer
    status[set, peer] = $3; mbs[set, peer] = $4; failed[set, peer] = $5; peak[set, peer] = $6
    rounds[set, peer] = $8; note[set, peer] = $9
  }
  END {
    for (i = 1; i <= nsets; i++) {
      set = order[i]
      print ""
      print set
      if (set in missing) { print "  skipped: " missing[set]; continue }
      printf "  %-16s %9s %7s %9s %8s %12s %7s\n", "peer", "MB/s", "failed", "peak MB", "x MB/s", "x peak mem", "rounds"
      base_mbs = (status[set, "xmlreader"] == "ok") ? mbs[set, "xmlreader"] : ""
      base_peak = peak[set, "xmlreader"]
      n = split(substr(rows[set], 2), list, SUBSEP)
      for (j = 1; j <= n; j++) {
        p = list[j]
        if (status[set, p] != "ok") {
          printf "  %-16s %9s %7s %9s %8s %12s %7s  %s\n", p, "ERROR", "-", mb(peak[set, p]), "-", "-", rounds[set, p], note[set, p]
          continue
        }
        rs = (base_mbs != "" && base_mbs > 0) ? sprintf("%.2f", mbs[set, p] / base_mbs) : "-"
        rp = (base_peak != "" && base_peak > 0 && peak[set, p] != "") ? sprintf("%.2f", peak[set, p] / base_peak) : "-"
        printf "  %-16s %9.2f %7d %9s %8s %12s %7s\n", p, mbs[set, p], failed[set, p], mb(peak[set, p]), rs, rp, rounds[set, p]
      }
    }
  }' "$table"
say

# --- goals ------------------------------------------------------------------------------------
say "== goals of issue 2"
awk -F'\t' '
  $2 != "-" && $3 == "ok" { ok[$1, $2] = 1; mbs[$1, $2] = $4; peak[$1, $2] = $6 }
  !($1 in pos) { pos[$1] = ++n; order[n] = $1 }
  function have(s, p) { return ((s, p) in ok) }
  function verdict(pass, detail) { return (pass ? "PASS" : "MISS") "  " detail }
  END {
    # 1. Without sanitizing: at least 60% of the bare pass, on the corpus and on every large file.
    all = 1; detail = ""; any = 0
    for (i = 1; i <= n; i++) {
      s = order[i]
      if (have(s, "feedstand-nosan") && have(s, "xmlreader") && mbs[s, "xmlreader"] > 0) {
        r = mbs[s, "feedstand-nosan"] / mbs[s, "xmlreader"]; any = 1
        if (r < 0.6) { all = 0 }
        detail = detail sprintf(" %s %.0f%%;", s, 100 * r)
      } else { all = 0; detail = detail " " s " no figure;" }
    }
    print "1. no-sanitize >= 60% of the bare XmlReader pass:      " verdict(all && any, detail)

    # 2. With sanitizing: at least 12x feedparser and ahead of CodeHollow (the non-sanitizing peer
    #    other than SyndicationFeed), on every data set where both ran.
    all = 1; detail = ""; any = 0
    for (i = 1; i <= n; i++) {
      s = order[i]
      if (have(s, "feedstand") && have(s, "feedparser") && mbs[s, "feedparser"] > 0) {
        r = mbs[s, "feedstand"] / mbs[s, "feedparser"]; any = 1
        if (r < 12) { all = 0 }
        detail = detail sprintf(" %s %.1fx;", s, r)
      } else { all = 0; detail = detail " " s " no figure;" }
    }
    print "2a. sanitizing >= 12x feedparser:                       " verdict(all && any, detail)
    all = 1; detail = ""; any = 0
    for (i = 1; i <= n; i++) {
      s = order[i]
      if (have(s, "feedstand") && have(s, "codehollow") && mbs[s, "codehollow"] > 0) {
        r = mbs[s, "feedstand"] / mbs[s, "codehollow"]; any = 1
        if (r <= 1) { all = 0 }
        detail = detail sprintf(" %s %.2fx;", s, r)
      } else { all = 0; detail = detail " " s " no figure;" }
    }
    print "2b. sanitizing ahead of CodeHollow:                     " verdict(all && any, detail)

    # 3. Peak memory on the 50 MB feed at most 2x the bare pass, with and without sanitizing.
    s = "rss2-50mb"; all = 1; detail = ""
    for (k = 1; k <= 2; k++) {
      p = (k == 1) ? "feedstand" : "feedstand-nosan"
      if (have(s, p) && have(s, "xmlreader") && peak[s, "xmlreader"] > 0) {
        r = peak[s, p] / peak[s, "xmlreader"]
        if (r > 2) { all = 0 }
        detail = detail sprintf(" %s %.0f MB = %.2fx of %.0f MB;", p, peak[s, p] / 1024, r, peak[s, "xmlreader"] / 1024)
      } else { all = 0; detail = detail " " p " no figure;" }
    }
    print "3. peak memory on rss2-50mb <= 2x the bare pass:        " verdict(all, detail)
  }' "$table"

# 4. Failures: only files with no feed in them. Not decided here: the list is for a human to read.
if grep -q '^FAIL ' "$results/corpus.feedstand.err" 2>/dev/null; then
  say "4. files feedstand fails on in the corpus (should be only non-feeds and empty files):"
  grep '^FAIL ' "$results/corpus.feedstand.err" | cut -c1-160 | sed 's/^/     /'
fi
say
say "load at the end: $(cut -d' ' -f1-3 /proc/loadavg) (figures taken while other work ran are low and noisy)"
say "raw figures: $table"
