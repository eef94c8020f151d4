# Sourced by .ci/run (and usable by hand): starts Debian's PostgreSQL on 127.0.0.1:5432 and
# exports FEEDSTAND_TEST_POSTGRES, the connection string the store tests use.
# Needs root and the postgresql package.
pg_version=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
if [ -z "$pg_version" ]; then echo "postgresql is not installed" >&2; return 1; fi
if ! pg_lsclusters -h 2>/dev/null | grep -q .; then pg_createcluster "$pg_version" main >/dev/null; fi
cluster=$(pg_lsclusters -h | head -1 | awk '{print $1" "$2}')
pg_ctlcluster $cluster start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
pg_isready -q -h 127.0.0.1 || { echo "PostgreSQL is not accepting connections" >&2; return 1; }
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='feedstand'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE feedstand LOGIN SUPERUSER PASSWORD 'feedstand'\""
export FEEDSTAND_TEST_POSTGRES="Host=127.0.0.1;Port=5432;Username=feedstand;Password=feedstand;Database=postgres"
