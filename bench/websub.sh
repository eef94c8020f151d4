#!/usr/bin/env bash
# WebSub benchmark (issue 16): from a hub's push to the post visible on the preview page.
# Starts `feedstand serve` (SQLite, WEBSUB=on, PUBLIC_URL on loopback) and a fake hub and
# publisher on loopback (bench/websub); `feedstand add` lists the hub's feed, serve subscribes,
# the hub verifies, then PUSHES signed fat pings of one new post each are timed until
# GET /feeds/{slug} shows the post. Prints p50/p95/max; the goal is p95 < 5 s.
#
#   bench/websub.sh            # PUSHES=50
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PUSHES=${PUSHES:-50}
APP_PORT=${APP_PORT:-18281}
HUB_PORT=${HUB_PORT:-18282}
work=$(mktemp -d /tmp/feedstand-bench-websub.XXXXXX)
serve_pid=""
hub_pid=""
cleanup() {
  [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null || true
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building" >&2
"$root/feedstand" --help >/dev/null
dotnet build "$root/bench/websub/WebSubBench.csproj" -c Release --nologo -v quiet >&2

export FEEDSTAND_DB="Data Source=$work/feedstand.db" FEEDSTAND_URLS="http://127.0.0.1:$APP_PORT" \
  FEEDSTAND_PUBLIC_URL="http://127.0.0.1:$APP_PORT" FEEDSTAND_WEBSUB=on FEEDSTAND_REFRESH=false FEEDSTAND_SEED=false \
  FEEDSTAND_ALLOW_PRIVATE_ADDRESSES=true FEEDSTAND_WEBSUB_INTERVAL_SECONDS=1
"$root/feedstand" migrate >/dev/null
"$root/feedstand" serve >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$APP_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "http://127.0.0.1:$APP_PORT/healthz" >/dev/null || { echo "serve did not start: $(tail -5 "$work/serve.log")" >&2; exit 2; }

dotnet "$root/bench/websub/bin/Release/net10.0/WebSubBench.dll" "$HUB_PORT" "http://127.0.0.1:$APP_PORT" "$PUSHES" "$work/slug" \
  >"$work/hub.out" 2>"$work/hub.err" &
hub_pid=$!
for _ in $(seq 1 100); do grep -q "hub on" "$work/hub.err" 2>/dev/null && break; sleep 0.1; done
"$root/feedstand" add "http://127.0.0.1:$HUB_PORT/feed.xml" | cut -f1 >"$work/slug.tmp"
mv "$work/slug.tmp" "$work/slug"
if ! wait "$hub_pid"; then
  hub_pid=""
  echo "bench failed: $(cat "$work/hub.err")" >&2
  echo "serve log: $(tail -20 "$work/serve.log")" >&2
  exit 1
fi
hub_pid=""
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git -C "$root" rev-parse --short HEAD)"
cat "$work/hub.out"
p95=$(sed -n 's/^RESULT .*p95_ms=\([0-9]*\).*/\1/p' "$work/hub.out")
echo
echo "| measure | figure | goal | |"
echo "| --- | --- | --- | --- |"
echo "| push to post on the preview page, p95 over $PUSHES pushes | ${p95} ms | < 5000 ms | $([ "$p95" -lt 5000 ] && echo PASS || echo MISS) |"
