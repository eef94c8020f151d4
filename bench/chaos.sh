#!/usr/bin/env bash
# Chaos benchmark (issue 11): `kill -9` a `refresh --all` of FEEDS feeds x ENTRIES entries part-way,
# TRIALS times, each on a fresh SQLite database; after each kill the next `refresh --all` must leave
# every feed whole: FEEDS x ENTRIES entries, no duplicate, integrity and full-text checks clean, and
# no feed left leased. Prints one line per trial and a RESULT line. Not run in CI.
# Needs python3 (sqlite3 module) for the checks.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FEEDS=${FEEDS:-1000}
ENTRIES=${ENTRIES:-20}
TRIALS=${TRIALS:-5}
PORT=${PORT:-18182}
work=$(mktemp -d /tmp/feedstand-bench-chaos.XXXXXX)
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

check() { # check DB: prints "entries=N duplicates=N integrity=... fts=... leased=N"
  python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
one = lambda sql: db.execute(sql).fetchone()[0]
entries = one("SELECT count(*) FROM entries")
duplicates = one("SELECT count(*) FROM (SELECT feed_id, key FROM entries GROUP BY feed_id, key HAVING count(*) > 1)")
integrity = one("PRAGMA integrity_check")
try:
    db.execute("INSERT INTO entries_fts(entries_fts) VALUES ('integrity-check')")
    db.execute("INSERT INTO feeds_fts(feeds_fts) VALUES ('integrity-check')")
    fts = "ok"
except sqlite3.DatabaseError as e:
    fts = "broken:" + str(e).replace(" ", "_")
leased = one("SELECT count(*) FROM fetch_states WHERE lease_owner IS NOT NULL")
print(f"entries={entries} duplicates={duplicates} integrity={integrity} fts={fts} leased={leased}")
PY
}

expected=$((FEEDS * ENTRIES)); whole=0
for trial in $(seq 1 "$TRIALS"); do
  export FEEDSTAND_DB="Data Source=$work/chaos-$trial.db"
  "$root/feedstand" import-opml "$work/urls.txt" >/dev/null
  "$root/feedstand" refresh --all >"$work/killed-$trial.out" 2>&1 &
  victim=$!
  # Kill in the middle of the run: once a random 5-85% of the entries are stored (read every
  # 0.1 s), so every trial kills a refresher that has written some groups and not others,
  # whatever the machine's speed.
  target=$((expected * (5 + RANDOM % 81) / 100))
  while kill -0 "$victim" 2>/dev/null; do
    stored=$(python3 -c "import sqlite3; print(sqlite3.connect('file:$work/chaos-$trial.db?mode=ro', uri=True, timeout=5).execute('SELECT count(*) FROM entries').fetchone()[0])" 2>/dev/null || echo 0)
    [ "$stored" -ge "$target" ] && break
    sleep 0.1
  done
  kill -9 "$victim" 2>/dev/null || true; wait "$victim" 2>/dev/null || true
  before=$(check "$work/chaos-$trial.db")
  start=$(date +%s.%N)
  "$root/feedstand" refresh --all >"$work/after-$trial.out" 2>&1 || { echo "trial $trial: refresh --all failed"; cat "$work/after-$trial.out"; }
  took=$(echo "$(date +%s.%N) - $start" | bc -l)
  after=$(check "$work/chaos-$trial.db")
  echo "trial $trial: killed with [$before]; next refresh --all took $(printf %.1f "$took") s -> [$after]"
  case "$after" in "entries=$expected duplicates=0 integrity=ok fts=ok leased=0") whole=$((whole + 1));; esac
done
echo "RESULT chaos trials=$TRIALS whole=$whole feeds=$FEEDS entries_per_feed=$ENTRIES expected_entries=$expected"
