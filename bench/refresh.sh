#!/usr/bin/env bash
# Refresh benchmark (issue 3): a loopback Kestrel serving FEEDS feeds x 20 entries over 100
# loopback hosts; import them, then time `refresh --all` twice (first pass all new, second all
# 304) on SQLite, on PostgreSQL with one refresher process, and on PostgreSQL with two
# (two `refresh` processes sharing the due feeds through FOR UPDATE SKIP LOCKED; before the
# second pass every feed is made due again with one UPDATE). Then the directory-scale import of
# ../shared/starter/smallweb.txt (when present) and the claim query's plan on both databases.
# PostgreSQL: needs FEEDSTAND_TEST_POSTGRES (source .ci/postgres.sh); skipped with a note otherwise.
# PG_ROUNDS=3 repeats the one- and two-process PostgreSQL runs, alternating. Every row ends with
# busy=: how busy the whole machine (all cores) was during that run.
# Needs /usr/bin/time (Debian package "time") and python3 (for SQLite's EXPLAIN).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FEEDS=${FEEDS:-10000}
ENTRIES=${ENTRIES:-20}
PORT=${PORT:-18181}
work=$(mktemp -d /tmp/feedstand-bench-refresh.XXXXXX)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

echo "== building" >&2
"$root/feedstand" --help >/dev/null
dotnet build "$root/bench/refresh/RefreshBench.csproj" -c Release --nologo -v quiet >&2

dotnet "$root/bench/refresh/bin/Release/net10.0/RefreshBench.dll" "$PORT" "$FEEDS" "$ENTRIES" 100 "$work/urls.txt" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 50); do [ -s "$work/urls.txt" ] && break; sleep 0.2; done
[ -s "$work/urls.txt" ] || { echo "bench server did not start: $(cat "$work/server.log")" >&2; exit 2; }

export FEEDSTAND_ALLOW_PRIVATE_ADDRESSES=true FEEDSTAND_SEED=false

# busy_ticks: "busy idle" jiffies of the whole machine (all cores), from /proc/stat
busy_ticks() { awk '/^cpu / {print $2+$3+$4+$7+$8, $5+$6}' /proc/stat; }
# busy_since "B I": the machine's busy share since that sample, in percent
busy_since() { local b0 i0 b1 i1; read -r b0 i0 <<<"$1"; read -r b1 i1 < <(busy_ticks); echo $(( 100 * (b1 - b0) / (b1 - b0 + i1 - i0 + 1) )); }
# run NAME ARGS...: runs the CLI under /usr/bin/time -v, keeps stdout in $work/NAME.out and the
# machine's busy share over the run (refresher, PostgreSQL and the benchmark server together) in $work/NAME.busy
run() {
  local name=$1; shift; local t0; t0=$(busy_ticks)
  /usr/bin/time -v -o "$work/$name.time" "$root/feedstand" "$@" >"$work/$name.out" 2>"$work/$name.err" || { cat "$work/$name.err" >&2; return 1; }
  busy_since "$t0" >"$work/$name.busy"
}
seconds() { awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/$1.time"; }
peak_mb() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/$1.time"; }
row() { grep -E "│ $2 +│" "$work/$1.out" | head -1 | awk -F'│' '{gsub(/ /,"",$3); print $3}'; }
report() { # report LABEL NAME; wall_s and feeds/s_wall include process start, as the two-process rows do
  local s w n; s=$(row "$2" seconds); w=$(seconds "$2")
  n=$(( $(row "$2" fetched) + $(row "$2" 'unchanged \(304\)') ))
  printf "%-34s feeds=%-6s fetched=%-6s 304=%-6s new_entries=%-7s errors=%-4s seconds=%-7s feeds/s=%-7s entries/s=%-8s peak_mb=%-4s wall_s=%-6s feeds/s_wall=%.1f busy=%s%%\n" \
    "$1" "$(row "$2" feeds)" "$(row "$2" fetched)" "$(row "$2" 'unchanged \(304\)')" "$(row "$2" 'new entries')" "$(row "$2" errors)" \
    "$s" "$(row "$2" 'feeds/s')" "$(row "$2" 'entries/s')" "$(peak_mb "$2")" "$w" "$(echo "$n / $w" | bc -l)" "$(cat "$work/$2.busy")"
}
# two processes at once: wall time from the first start to the last end
run_two() { # run_two NAME
  local start end t0; start=$(date +%s.%N); t0=$(busy_ticks)
  run "$1-a" refresh & local a=$!
  run "$1-b" refresh & local b=$!
  wait $a; wait $b
  end=$(date +%s.%N); local busy; busy=$(busy_since "$t0")
  local fa fb na nb wall
  fa=$(( $(row "$1-a" fetched) + $(row "$1-a" 'unchanged \(304\)') )); fb=$(( $(row "$1-b" fetched) + $(row "$1-b" 'unchanged \(304\)') ))
  na=$(row "$1-a" 'new entries'); nb=$(row "$1-b" 'new entries')
  wall=$(echo "$end - $start" | bc -l)
  printf "%-34s feeds=%-6s (%s + %s) new_entries=%-7s seconds=%.2f feeds/s=%.1f entries/s=%.1f peak_mb=%s/%s busy=%s%% (process start included)\n" \
    "$2" $((fa + fb)) "$fa" "$fb" $((na + nb)) "$wall" "$(echo "($fa + $fb) / $wall" | bc -l)" "$(echo "($na + $nb) / $wall" | bc -l)" "$(peak_mb "$1-a")" "$(peak_mb "$1-b")" "$busy"
}

echo "RESULTS feeds=$FEEDS entries_per_feed=$ENTRIES hosts=100 cores=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)"

# one_process NAME LABEL: imports the feeds into $FEEDSTAND_DB, then times `refresh --all` twice
one_process() {
  run "$1-import" import-opml "$work/urls.txt"
  echo "import: $(cat "$work/$1-import.out") in $(seconds "$1-import") s, peak $(peak_mb "$1-import") MB"
  run "$1-1" refresh --all; report "$2 refresh --all (new)" "$1-1"
  run "$1-2" refresh --all; report "$2 refresh --all (304)" "$1-2"
}

echo "-- SQLite"
export FEEDSTAND_DB="Data Source=$work/sqlite.db"
one_process sqlite sqlite

pg_server=${FEEDSTAND_TEST_POSTGRES:-}
pg_db() { python3 -c "import sys; s=sys.argv[1]; print(';'.join([p for p in s.split(';') if not p.lower().startswith('database=')] + ['Database='+sys.argv[2]]))" "$pg_server" "$1"; }
psql_on() { PGPASSWORD=feedstand psql -h 127.0.0.1 -U feedstand -d "$1" -qtAc "$2"; }
if [ -n "$pg_server" ]; then
  psql_on postgres "DROP DATABASE IF EXISTS feedstand_bench_smallweb WITH (FORCE)"

  # The VM's neighbours make runs differ by up to 20%: PG_ROUNDS > 1 alternates the one- and
  # two-process runs on fresh databases, so both see the same conditions.
  for round in $(seq 1 "${PG_ROUNDS:-1}"); do
    for db in feedstand_bench_1 feedstand_bench_2; do psql_on postgres "DROP DATABASE IF EXISTS $db WITH (FORCE)"; done
    echo "-- PostgreSQL, one refresher (round $round)"
    export FEEDSTAND_DB="$(pg_db feedstand_bench_1)"
    one_process pg1 "postgres x1"

    echo "-- PostgreSQL, two refresher processes (round $round)"
    export FEEDSTAND_DB="$(pg_db feedstand_bench_2)"
    run pg2-import import-opml "$work/urls.txt"
    run_two pg2-1 "postgres x2 refresh (new)"
    psql_on feedstand_bench_2 "UPDATE fetch_states SET next_fetch_at = now() - interval '1 minute'"
    run_two pg2-2 "postgres x2 refresh (304)"
  done
else
  echo "-- PostgreSQL: skipped, FEEDSTAND_TEST_POSTGRES is not set (source .ci/postgres.sh)"
fi

smallweb="$root/../shared/starter/smallweb.txt"
[ -f "$smallweb" ] || smallweb="/work/shared/starter/smallweb.txt"
if [ -f "$smallweb" ]; then
  echo "-- smallweb.txt import ($(wc -l <"$smallweb") URLs)"
  export FEEDSTAND_DB="Data Source=$work/smallweb.db"
  run sw-sqlite import-opml "$smallweb"
  echo "sqlite:   $(cat "$work/sw-sqlite.out") in $(seconds sw-sqlite) s, peak $(peak_mb sw-sqlite) MB"
  if [ -n "$pg_server" ]; then
    export FEEDSTAND_DB="$(pg_db feedstand_bench_smallweb)"
    run sw-pg import-opml "$smallweb"
    echo "postgres: $(cat "$work/sw-pg.out") in $(seconds sw-pg) s, peak $(peak_mb sw-pg) MB"
  fi

  echo "-- claim query plan at that size (SQLite)"
  python3 - "$work/smallweb.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
sql = """SELECT s.feed_id FROM fetch_states s CROSS JOIN feeds f ON f.id = s.feed_id
WHERE s.next_fetch_at <= ? AND (s.lease_until IS NULL OR s.lease_until < ?) AND f.status = 'Active'
ORDER BY s.next_fetch_at LIMIT 100"""
for row in c.execute("EXPLAIN QUERY PLAN " + sql, (2**62, 2**62)):
    print("  ", row[3])
PY
  if [ -n "$pg_server" ]; then
    echo "-- claim query plan at that size (PostgreSQL)"
    psql_on feedstand_bench_smallweb "ANALYZE"
    psql_on feedstand_bench_smallweb "EXPLAIN UPDATE fetch_states SET lease_until = now() + interval '10 minutes', lease_owner = 'bench'
      WHERE feed_id IN (SELECT s.feed_id FROM fetch_states s JOIN feeds f ON f.id = s.feed_id
        WHERE s.next_fetch_at <= now() AND (s.lease_until IS NULL OR s.lease_until < now()) AND f.status = 'Active'
        ORDER BY s.next_fetch_at LIMIT 100 FOR UPDATE OF s SKIP LOCKED) RETURNING feed_id" | sed 's/^/   /'
  fi
else
  echo "-- smallweb.txt not found next to the repository: import timing at directory scale skipped"
fi
if [ -n "$pg_server" ]; then
  for db in feedstand_bench_1 feedstand_bench_2 feedstand_bench_smallweb; do psql_on postgres "DROP DATABASE IF EXISTS $db WITH (FORCE)"; done
fi
