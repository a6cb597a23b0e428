#!/usr/bin/env bash
# Benchmark of the `import-legacy` command (the Python service's users into UserServices): a SQLModel-shaped
# `users` table of ROWS rows (default 100,000, one precomputed bcrypt hash) imported into an empty UserServices
# database by the Release build. Prints the rate; docs/benchmarks.md records it.
#
#   bash bench/import-legacy.sh            # starts a throwaway PostgreSQL (LoadGen pg-start: the tests' PostgresCluster)
#   BENCH_PG_URL=postgresql://user:pw@host:5432/postgres bash bench/import-legacy.sh    # or uses this server
#                                          # (the user must be allowed to create databases)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
ROWS=${ROWS:-100000}
HASH='$2b$04$pWnx3f/CWw7ikz6oHaWI0O6tb2I2MvxmDtw0meK2MTppDCnIgZuPu'   # pyca bcrypt, "benchmark password"

dotnet build UserServices.Api/UserServices.Api.csproj -c Release -nologo -v quiet -clp:NoSummary >/dev/null
dotnet build bench/LoadGen/LoadGen.csproj -c Release -nologo -v quiet -clp:NoSummary >/dev/null
loadgen=(dotnet "$repo/bench/LoadGen/bin/Release/net10.0/LoadGen.dll")
work="$(mktemp -d /tmp/userservices-import-XXXXXX)"
chmod 711 "$work"   # the postgres user must reach its data folder inside
pg_started=0
cleanup() {
  local status=$?
  if ((pg_started)); then "${loadgen[@]}" pg-stop --root "$work/pg" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -z "${BENCH_PG_URL:-}" ]]; then
  pg_started=1
  pg_out="$("${loadgen[@]}" pg-start --root "$work/pg")"   # "<port> <root> <bin>"
  read -r port _ <<<"$pg_out"
  BENCH_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
fi

base=${BENCH_PG_URL%/*}
psql -X -q -v ON_ERROR_STOP=1 "$BENCH_PG_URL" -c 'DROP DATABASE IF EXISTS bench_legacy WITH (FORCE)' -c 'CREATE DATABASE bench_legacy' \
  -c 'DROP DATABASE IF EXISTS bench_userservices WITH (FORCE)' -c 'CREATE DATABASE bench_userservices'
# The table exactly as SQLModel creates it (see UserServices.Tests/Admin/LegacyDatabase.cs).
psql -X -q -v ON_ERROR_STOP=1 "$base/bench_legacy" <<SQL
CREATE TABLE users (id SERIAL NOT NULL, username VARCHAR NOT NULL, email VARCHAR NOT NULL, hash_password VARCHAR NOT NULL, PRIMARY KEY (id));
CREATE UNIQUE INDEX ix_users_username ON users (username);
INSERT INTO users (id, username, email, hash_password)
  SELECT g, 'user' || g, 'user' || g || '@example.com', '$HASH' FROM generate_series(1, $ROWS) AS g;
SELECT setval(pg_get_serial_sequence('users', 'id'), $ROWS);
ANALYZE users;
SQL

log="$work/import-legacy.log"
export DATABASE_URL="$base/bench_userservices" SECRET_KEY=bench-secret-key-that-is-long-enough-0123456789 ASPNETCORE_ENVIRONMENT=Production
start=$(date +%s.%N)
set +e
(cd UserServices.Api/bin/Release/net10.0 && dotnet UserServices.Api.dll import-legacy --from "postgresql+psycopg://${base#*://}/bench_legacy") | tee "$log"
code=${PIPESTATUS[0]}
set -e
end=$(date +%s.%N)
imported=$(psql -X -tA "$base/bench_userservices" -c 'SELECT count(*) FROM "Users"')
echo "exit code $code; $imported users in the new database; whole command (start-up and migrations included): $(awk -v s="$start" -v e="$end" -v n="$ROWS" 'BEGIN { printf "%.1f s, %.0f rows/s", e - s, n / (e - s) }')"
echo "import rate (from the summary): $(grep -o '[0-9,]* rows/s' "$log" | tail -1)"
exit "$code"
