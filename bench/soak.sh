#!/usr/bin/env bash
# Soak (issue 11): `serve` on SQLite with its refresher on, for SECONDS (default 1800), while wrk
# loads the preview page, the home page and the API, and every feed of a loopback feed server
# gains a post each minute and is made due each minute, so that every refresh cycle of the
# server's own worker writes. Samples the server's RSS every 30 s. Prints wrk's errors, the
# server's logged errors, the refresh cycles seen, and memory growth after warm-up (the first
# fifth of the run). Goal: 0 errors, growth < 10%. Needs wrk, python3, curl. Not run in CI.
# Each feed keeps its newest 20 entries (ENTRIES_PER_FEED=20, the feeds' own length), so every new
# post drops the oldest and the data stays the same size: growth is the server's, not the data's.
# (With the default 500 kept, the 2026-12-01 run stored 6,000 -> 15,000 entries and RSS followed.)
#
#   bash bench/soak.sh [SECONDS] [FEEDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-1800}"
feeds="${2:-300}"
port="${BENCH_PORT:-18093}"
feed_port="${BENCH_FEED_PORT:-18193}"
work="$(mktemp -d /tmp/feedstand-soak.XXXXXX)"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

echo "== building" >&2
"$root/feedstand" --help >/dev/null
dotnet build "$root/bench/refresh/RefreshBench.csproj" -c Release --nologo -v quiet >&2
BENCH_ROTATE_SECONDS=60 dotnet "$root/bench/refresh/bin/Release/net10.0/RefreshBench.dll" "$feed_port" "$feeds" 20 20 "$work/urls.txt" 2>"$work/feeds.log" &
pids+=($!)
for _ in $(seq 1 50); do [ -s "$work/urls.txt" ] && break; sleep 0.2; done
[ -s "$work/urls.txt" ] || { echo "feed server did not start: $(cat "$work/feeds.log")" >&2; exit 2; }

export FEEDSTAND_DB="Data Source=$work/soak.db" FEEDSTAND_SEED=false FEEDSTAND_ALLOW_PRIVATE_ADDRESSES=true
export FEEDSTAND_RATE_API_PER_MINUTE=1000000000 FEEDSTAND_REFRESH_INTERVAL_SECONDS=20 FEEDSTAND_ENTRIES_PER_FEED=20
"$root/feedstand" migrate >&2
"$root/feedstand" import-opml "$work/urls.txt" >/dev/null
"$root/feedstand" refresh --all >/dev/null 2>&1
slug=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT slug FROM feeds ORDER BY id LIMIT 1').fetchone()[0])" "$work/soak.db")

"$root/feedstand" serve --urls "http://127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!; pids+=($server)
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { echo "serve did not start" >&2; cat "$work/serve.log" >&2; exit 2; }

# Every minute: every feed due now, so the server's refresh worker polls them all (each has a new post).
( while true; do
    python3 -c "import sqlite3,sys,time; db=sqlite3.connect(sys.argv[1], timeout=30); db.execute('UPDATE fetch_states SET next_fetch_at=?', (int(time.time()*1000)-1000,)); db.commit()" "$work/soak.db" || true
    sleep 60
  done ) &
pids+=($!)

base="http://127.0.0.1:$port"
echo "== soak: ${seconds}s, $feeds feeds, wrk on preview, home and API" >&2
for target in "$base/feeds/$slug" "$base/" "$base/api/v1/feeds?limit=50"; do
  wrk -t1 -c8 -d"${seconds}s" --timeout 10s --latency "$target" >"$work/wrk-$(echo "$target" | md5sum | cut -c1-6).txt" &
  pids+=($!)
done
: >"$work/rss.txt"
end=$(( $(date +%s) + seconds ))
while [ "$(date +%s)" -lt "$end" ]; do
  awk '/VmRSS/ {print $2}' "/proc/$server/status" >>"$work/rss.txt"
  sleep 30
done
sleep 5
entries=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM entries').fetchone()[0])" "$work/soak.db")
wrk_requests=0; wrk_errors=0
for log in "$work"/wrk-*.txt; do
  r=$(awk '/requests in/ {print $1}' "$log"); wrk_requests=$((wrk_requests + ${r:-0}))
  e=$(awk '/Socket errors|Non-2xx/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i} END {print s + 0}' "$log"); wrk_errors=$((wrk_errors + e))
  echo "$(grep -m1 -o 'http[^ ]*' "$log" || true): $(awk '/Requests\/sec/ {print $2}' "$log") req/s, p99 $(awk '$1 == "99%" {print $2}' "$log")"
done
logged=$(grep -c -E '^(fail|crit):' "$work/serve.log" || true)
echo "refresh cycles that wrote: $(grep -c -E 'Refresh cycle: [0-9]+ due, [1-9]' "$work/serve.log" || true)"
python3 - "$work/rss.txt" "$wrk_requests" "$wrk_errors" "$logged" "$entries" "$feeds" <<'PY'
import sys
rss = [int(x) for x in open(sys.argv[1]) if x.strip()]
warm = rss[max(1, len(rss) // 5)]
growth = (rss[-1] - warm) / warm * 100
print(f"RSS samples (MB): " + " ".join(str(r // 1024) for r in rss))
print(f"RSS, last third of the run (MB): min {min(rss[len(rss) * 2 // 3:]) // 1024}, max {max(rss[len(rss) * 2 // 3:]) // 1024}")
print(f"RESULT soak requests={sys.argv[2]} wrk_errors={sys.argv[3]} logged_errors={sys.argv[4]} entries={sys.argv[5]} "
      f"feeds={sys.argv[6]} rss_after_warmup_mb={warm // 1024} rss_end_mb={rss[-1] // 1024} growth_pct={growth:.1f} peak_mb={max(rss) // 1024}")
PY
if [ "$logged" != 0 ]; then echo "== server errors:"; grep -E -A3 '^(fail|crit):' "$work/serve.log" | head -40; fi
