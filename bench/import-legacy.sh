#!/usr/bin/env bash
# Benchmark for `import-legacy` (issue 7): a SQLModel-shaped `users` table of ROWS rows (default 100,000, one
# precomputed bcrypt hash) imported into an empty UserServices database by the Release build. Prints the rate.
#
#   bench/import-legacy.sh                 # starts a throwaway PostgreSQL cluster (needs the server binaries)
#   BENCH_PG_URL=postgresql://user:pw@host:5432/postgres bench/import-legacy.sh    # or uses this server
#                                          # (the user must be allowed to create databases)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-100000}
HASH='$2b$04$pWnx3f/CWw7ikz6oHaWI0O6tb2I2MvxmDtw0meK2MTppDCnIgZuPu'   # pyca bcrypt, "benchmark password"

if [[ -z "${BENCH_PG_URL:-}" ]]; then
  bin=$(command -v initdb >/dev/null && dirname "$(command -v initdb)" || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  root=$(mktemp -d /tmp/userservices-bench-XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg=()
  if [[ $(id -u) == 0 ]]; then chown postgres:postgres "$root"; as_pg=(runuser -u postgres --); fi
  "${as_pg[@]}" "$bin/initdb" -D "$root/data" -U postgres -A trust --no-sync --encoding=UTF8 --locale=C >/dev/null
  "${as_pg[@]}" "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w \
    -o "-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null
  trap '"${as_pg[@]}" "$bin/pg_ctl" -D "$root/data" -m immediate -w stop >/dev/null; rm -rf "$root"' EXIT
  BENCH_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
fi

base=${BENCH_PG_URL%/*}
psql -q -v ON_ERROR_STOP=1 "$BENCH_PG_URL" -c 'DROP DATABASE IF EXISTS bench_legacy WITH (FORCE)' -c 'CREATE DATABASE bench_legacy' \
  -c 'DROP DATABASE IF EXISTS bench_userservices WITH (FORCE)' -c 'CREATE DATABASE bench_userservices'
# The table exactly as SQLModel creates it (see UserServices.Tests/Admin/LegacyDatabase.cs).
psql -q -v ON_ERROR_STOP=1 "$base/bench_legacy" <<SQL
CREATE TABLE users (id SERIAL NOT NULL, username VARCHAR NOT NULL, email VARCHAR NOT NULL, hash_password VARCHAR NOT NULL, PRIMARY KEY (id));
CREATE UNIQUE INDEX ix_users_username ON users (username);
INSERT INTO users (id, username, email, hash_password)
  SELECT g, 'user' || g, 'user' || g || '@example.com', '$HASH' FROM generate_series(1, $ROWS) AS g;
SELECT setval(pg_get_serial_sequence('users', 'id'), $ROWS);
ANALYZE users;
SQL

dotnet build -c Release UserServices.Api -v q -nologo >/dev/null
export DATABASE_URL="$base/bench_userservices" SECRET_KEY=bench-secret-key-that-is-long-enough-0123456789 ASPNETCORE_ENVIRONMENT=Production
start=$(date +%s.%N)
set +e
dotnet run -c Release --no-build --no-launch-profile --project UserServices.Api -- \
  import-legacy --from "postgresql+psycopg://${base#*://}/bench_legacy" | tee /tmp/import-legacy-bench.log
code=${PIPESTATUS[0]}
set -e
end=$(date +%s.%N)
imported=$(psql -tA "$base/bench_userservices" -c 'SELECT count(*) FROM "Users"')
echo "exit code $code; $imported users in the new database; whole command (start-up and migrations included): $(python3 -c "print(f'{$end-$start:.1f} s, {$ROWS/($end-$start):,.0f} rows/s')")"
echo "import rate (from the summary): $(grep -o '[0-9,]* rows/s' /tmp/import-legacy-bench.log | tail -1)"
