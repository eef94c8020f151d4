#!/usr/bin/env bash
# Web benchmark: 1,000 feeds x 200 entries in SQLite, `serve` with REFRESH=false, then wrk at
# 64 connections against the preview page, the home page, an API list and a static file of the
# preview page's size served by the same Kestrel. Prints requests/s, p99, errors and the
# server's RSS at start and end.
#
#   bench/web.sh [SECONDS]       (default 30; the issue asks 20-60)
#   bench/web.sh --during-refresh
#
# --during-refresh (issue 11): the same directory, but `serve` runs its refresher, and once wrk
# is going 1,000 new feeds x 20 entries (a loopback feed server over 100 hosts) are imported, so
# the refresher fetches and stores all of them while wrk (-t2 -c64, as above) loads the preview
# page of a feed the refresher does not touch; with BENCH_TARGET=refreshed, the preview pages of
# the 1,000 new feeds in turn instead (each evicted from the page cache when its feed is stored,
# so most requests render the page from the database). wrk stops when the last new feed has been
# fetched; prints p50, p99 and errors, the refresh's length and the entries stored.
# Goal (issue 11, the preview page): p99 <= 50 ms, 0 errors.
#
# Needs: wrk (Debian package), sqlite3 or python3, curl. Results also go to bench/results/.
# BENCH_KEEP=1 keeps the work directory (database, server log) for a look afterwards.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
during_refresh=false
if [ "${1:-}" = "--during-refresh" ]; then during_refresh=true; shift; fi
seconds="${1:-30}"
port="${BENCH_PORT:-18090}"
work="$(mktemp -d /tmp/feedstand-web-bench.XXXXXX)"
db="$work/bench.db"
results="$root/bench/results"
mkdir -p "$results"
out="$results/web-$(date -u +%Y%m%dT%H%M%SZ).txt"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }

echo "== building and migrating" >&2
export FEEDSTAND_DB="Data Source=$db" FEEDSTAND_REFRESH=false FEEDSTAND_SEED=false
# The per-client API limit (600/min) would turn the API run into 429s: lift it for the bench.
export FEEDSTAND_RATE_API_PER_MINUTE=1000000000
"$root/feedstand" migrate >&2

echo "== generating 1,000 feeds x 200 entries" >&2
python3 - "$db" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=OFF")
now = int(time.time() * 1000)
para = ("<p>Engineering is mostly about choosing what not to do. This paragraph stands in for a real post "
        "with <a href=\"https://example.com/\">links</a>, <strong>emphasis</strong> and <code>code</code>.</p>")
body = "<h2>A heading</h2>" + para * 4 + "<ul><li>one</li><li>two</li><li>three</li></ul><pre><code>let x = 1;\n</code></pre>"
tags = ["programming", "engineering", "personal", "ai", "web", "design", "science", "management"]
cur = db.cursor()
cur.executemany("INSERT INTO tags(name) VALUES (?)", [(t,) for t in tags])
feeds, states, feed_tags, entries = [], [], [], []
for f in range(1, 1001):
    feeds.append((f, f"blog-{f}", f"https://blog-{f}.example/feed.xml", f"https://blog-{f}.example/",
                  f"Blog number {f}", f"Notes on software by author {f}", "https://blog.example/icon.png",
                  "en" if f % 3 else "zh-Hans", "Active", now - f * 3600_000, now - f * 60_000))
    states.append((f, now - 60_000, now - 60_000, now + 3600_000, 200, 0, 3 * 86400))
    feed_tags.append((f, 1 + f % len(tags)))
    for e in range(200):
        date = now - f * 60_000 - e * 86400_000
        entries.append((f, f"https://blog-{f}.example/post-{e}", f"https://blog-{f}.example/post-{e}",
                        f"Post {e} of blog {f}", date, "[\"Author\"]", "[]", "[]", body,
                        f"Engineering is mostly about choosing what not to do post {e}", f"h{e}", date, date))
cur.executemany("INSERT INTO feeds(id, slug, feed_url, site_url, title, description, icon_url, language, status, created_at, last_entry_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", feeds)
cur.executemany("INSERT INTO fetch_states(feed_id, last_fetch_at, last_success_at, next_fetch_at, last_status, consecutive_errors, average_post_interval) VALUES (?,?,?,?,?,?,?)", states)
cur.executemany("INSERT INTO feed_tags(feed_id, tag_id) VALUES (?,?)", feed_tags)
cur.executemany("INSERT INTO entries(feed_id, key, link, title, published_at, authors, categories, enclosures, content_html, search_text, content_hash, first_seen_at, sort_date) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", entries)
db.commit()
print(f"{len(feeds)} feeds, {len(entries)} entries", file=sys.stderr)
PY

if $during_refresh; then
  feed_port="${BENCH_FEED_PORT:-18190}"
  echo "== starting the loopback feed server: 1,000 feeds x 20 entries" >&2
  dotnet build "$root/bench/refresh/RefreshBench.csproj" -c Release --nologo -v quiet >&2
  dotnet "$root/bench/refresh/bin/Release/net10.0/RefreshBench.dll" "$feed_port" 1000 20 100 "$work/urls.txt" 2>"$work/feeds.log" &
  feed_server=$!
  for _ in $(seq 1 50); do [ -s "$work/urls.txt" ] && break; sleep 0.2; done
  [ -s "$work/urls.txt" ] || { echo "feed server did not start: $(cat "$work/feeds.log")" >&2; exit 2; }
  export FEEDSTAND_REFRESH=true FEEDSTAND_ALLOW_PRIVATE_ADDRESSES=true FEEDSTAND_REFRESH_INTERVAL_SECONDS=1
fi

echo "== starting serve on 127.0.0.1:$port" >&2
[ -z "${BENCH_KEEP:-}" ] || echo "== work directory kept: $work" >&2
"$root/feedstand" serve --urls "http://127.0.0.1:$port" > "$work/serve.log" 2>&1 &
pid=$!
trap 'kill "$pid" ${feed_server:-} 2>/dev/null || true; wait "$pid" 2>/dev/null || true; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { echo "serve did not start:" >&2; cat "$work/serve.log" >&2; exit 2; }
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }

base="http://127.0.0.1:$port"
preview="$base/feeds/blog-500"
size=$(curl -fs "$preview" | wc -c)
# A static file of the preview page's size, served by the same Kestrel from the published wwwroot.
head -c "$size" /dev/zero | tr '\0' 'x' > "$root/artifacts/app/wwwroot/bench-static.html"
trap 'kill "$pid" ${feed_server:-} 2>/dev/null || true; wait "$pid" 2>/dev/null || true; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"; rm -f "$root/artifacts/app/wwwroot/bench-static.html"' EXIT

declare -A targets=(
  [1-preview]="$preview"
  [2-home]="$base/"
  [3-api-list]="$base/api/v1/feeds?limit=50"
  [4-static]="$base/bench-static.html"
)
# Warm up each target (JIT, page cache).
for name in "${!targets[@]}"; do wrk -t2 -c16 -d3s "${targets[$name]}" >/dev/null; done

if $during_refresh; then
  sql() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1], timeout=30).execute(sys.argv[2]).fetchone()[0])" "$db" "$1"; }
  entries_before=$(sql "SELECT count(*) FROM entries")
  "$root/feedstand" import-opml "$work/urls.txt" >/dev/null
  # The new feeds' preview pages in turn, through a wrk script.
  python3 - "$db" "$work/rotate.lua" <<'PY'
import sqlite3, sys
slugs = [r[0] for r in sqlite3.connect(sys.argv[1]).execute("SELECT slug FROM feeds WHERE id > 1000 ORDER BY id")]
with open(sys.argv[2], "w") as f:
    f.write("paths = {" + ",".join('"/feeds/%s"' % s for s in slugs) + "}\n")
    f.write("i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend\n")
PY
  rss_start=$(rss)
  started=$(date +%s.%N)
  if [ "${BENCH_TARGET:-}" = refreshed ]; then
    name=refreshed; wrk -t2 -c64 -d600s --timeout 10s --latency -s "$work/rotate.lua" "$base" >"$work/$name.txt" & w1=$!
  else
    name=untouched; wrk -t2 -c64 -d600s --timeout 10s --latency "$preview" >"$work/$name.txt" & w1=$!
  fi
  # Until every new feed has been fetched once (or wrk's 10 minutes end).
  while [ "$(sql "SELECT count(*) FROM fetch_states WHERE feed_id > 1000 AND last_fetch_at IS NOT NULL")" -lt 1000 ]; do
    kill -0 "$w1" 2>/dev/null || break
    sleep 0.5
  done
  refresh_seconds=$(echo "$(date +%s.%N) - $started" | bc -l)
  kill -INT "$w1" 2>/dev/null || true
  wait "$w1" || true
  rss_end=$(rss)
  stored=$(( $(sql "SELECT count(*) FROM entries") - entries_before ))
  failed=$(sql "SELECT count(*) FROM fetch_states WHERE feed_id > 1000 AND consecutive_errors > 0")
  logged=$(grep -c -E '^(fail|crit):' "$work/serve.log" || true)
  {
    echo "Feedstand web bench during a refresh $(date -u +%FT%TZ): 1,000 feeds x 200 entries in SQLite; the refresher stores 1,000 new feeds x 20 entries; wrk -t2 -c64; $(nproc) cores"
    printf 'refresh: %.1f s, %s entries stored, %s feeds failed, %s errors logged by the server\n' "$refresh_seconds" "$stored" "$failed" "$logged"
    printf '%-20s %10s %12s %10s %10s %8s\n' target requests requests/s p50 p99 errors
    log="$work/$name.txt"
    errors=$(awk '/Socket errors|Non-2xx/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i} END {print s + 0}' "$log")
    printf '%-20s %10s %12s %10s %10s %8s\n' "preview-$name" "$(awk '/requests in/ {print $1}' "$log")" "$(awk '/Requests\/sec/ {print $2}' "$log")" \
      "$(awk '$1 == "50%" {print $2}' "$log")" "$(awk '$1 == "99%" {print $2}' "$log")" "$errors"
    echo "server RSS: start $rss_start, end $rss_end"
  } | tee "$out"
  [ "$logged" = 0 ] || { echo "== server errors:"; grep -E -A3 '^(fail|crit):' "$work/serve.log" | head -40; }
  exit 0
fi

rss_start=$(rss)
{
  echo "Feedstand web bench $(date -u +%FT%TZ): 1,000 feeds x 200 entries, SQLite, wrk -t2 -c64 -d${seconds}s, $(nproc) cores"
  echo "preview page size: $size bytes (static file of the same size)"
  printf '%-10s %12s %10s %10s %8s\n' target requests/s p50 p99 errors
} | tee "$out"
for name in $(printf '%s\n' "${!targets[@]}" | sort); do
  log="$work/$name.txt"
  wrk -t2 -c64 -d"${seconds}s" --latency "${targets[$name]}" > "$log"
  rps=$(awk '/Requests\/sec/ {print $2}' "$log")
  p50=$(awk '$1 == "50%" {print $2}' "$log")
  p99=$(awk '$1 == "99%" {print $2}' "$log")
  errors=$(awk '/Socket errors|Non-2xx/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i} END {print s + 0}' "$log")
  printf '%-10s %12s %10s %10s %8s\n' "${name#*-}" "$rps" "$p50" "$p99" "$errors" | tee -a "$out"
done
rss_end=$(rss)
echo "server RSS: start $rss_start, end $rss_end" | tee -a "$out"
