#!/usr/bin/env bash
# The benchmark, one command: builds Release, starts a throwaway PostgreSQL with the tests' own code (LoadGen
# pg-start), runs the BenchmarkDotNet micro-benchmarks, then the load generator, which starts the service itself and
# drives it over loopback. With --peers it measures UserServices, the Python original and Identity's MapIdentityApi
# side by side instead. The table is printed and written to bench/results/ (not committed). See bench/README.md.
#
#   bash bench/run.sh [--peers] [--redis] [--warmup SECONDS] [--measure SECONDS] [--users N] [--no-micro] [--strict]
#
# --redis also starts Debian's redis-server and measures logins and profile calls of a service with REDIS_URL set.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

warmup="${BENCH_WARMUP_SECONDS:-3}"
measure="${BENCH_MEASURE_SECONDS:-10}"
users=32
micro=1
strict=0
peers=0
redis=0
peers_src="${BENCH_PEERS_DIR:-$repo/../shared/peers}"
python=/usr/bin/python3   # the Debian interpreter, whose python3-* packages the Python peer runs on
command_line="bash bench/run.sh${*:+ $*}"
while (($#)); do
  case "$1" in
    --warmup) warmup="$2"; shift 2 ;;
    --measure) measure="$2"; shift 2 ;;
    --users) users="$2"; shift 2 ;;
    --no-micro) micro=0; shift ;;
    --strict) strict=1; shift ;;
    --peers) peers=1; shift ;;
    --redis) redis=1; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '[bench] %s\n' "$*"; }

command -v dotnet >/dev/null || { echo "run.sh: the .NET SDK (dotnet) is not on PATH." >&2; exit 2; }

work="$(mktemp -d /tmp/userservices-bench-XXXXXX)"
chmod 711 "$work"   # the postgres user must reach its data folders inside
pid_file="$work/service.pid"
# The service is measured as operators run it: published for this machine's runtime, so ReadyToRun (README).
case "$(uname -m)" in aarch64|arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac
api_dll="$work/api/UserServices.Api.dll"
loadgen=(dotnet "$repo/bench/LoadGen/bin/Release/net10.0/LoadGen.dll")
pg_started=0
pg_bin=""
as_postgres=()
if [[ "$(id -u)" == 0 ]]; then as_postgres=(runuser -u postgres --); fi   # PostgreSQL refuses to run as root
peers_pg="$work/peers-pg"   # the peers' own cluster, made by their start.sh scripts
peers_pg_port=""

# A loopback port nobody answers on right now (for the peers' start scripts, which take a fixed port), below the
# kernel's ephemeral range (32768–60999), where no outgoing connection can take it before the peer binds it.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12768))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  # The services are the load generator's children; if it died without stopping one, end exactly that pid.
  if [[ -s "$pid_file" ]]; then
    local pid
    pid="$(cat "$pid_file")"
    if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -Eq 'UserServices\.Api\.dll|IdentityApi\.dll|uvicorn app\.main:app'; then
      kill "$pid" 2>/dev/null || true
    fi
  fi
  if [[ -s "$work/redis.pid" ]]; then
    kill "$(cat "$work/redis.pid")" 2>/dev/null || true
  fi
  if ((pg_started)); then
    "${loadgen[@]}" pg-stop --root "$work/pg" >/dev/null 2>&1 || true
  fi
  if [[ -n "$peers_pg_port" && -s "$peers_pg/PG_VERSION" ]]; then
    # Each peer's stop.sh stops what its start.sh left running (by pid file), the second one also the cluster.
    if [[ -x "$work/seed-fastapi/stop.sh" ]]; then
      PORT="${seed_port:-0}" PGPORT="$peers_pg_port" PGDATA_DIR="$peers_pg" KEEP_DB=1 "$work/seed-fastapi/stop.sh" >/dev/null 2>&1 || true
    fi
    if [[ -x "$work/identity-api/stop.sh" ]]; then
      PORT="${identity_port:-0}" PGPORT="$peers_pg_port" PGDATA="$peers_pg" STATE_DIR="$work/identity-state" "$work/identity-api/stop.sh" >/dev/null 2>&1 || true
    fi
    if [[ -s "$peers_pg/postmaster.pid" ]]; then
      "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$peers_pg" -m immediate -w stop >/dev/null 2>&1 || true
    fi
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "publishing Release for $rid (service, ReadyToRun), building load generator$( ((micro)) && echo ', micro-benchmarks'))"
dotnet publish UserServices.Api/UserServices.Api.csproj -c Release -r "$rid" -o "$work/api" -nologo -v quiet -clp:NoSummary
dotnet build bench/LoadGen/LoadGen.csproj -c Release -nologo -v quiet -clp:NoSummary
if ((micro)); then
  dotnet build bench/Micro/Micro.csproj -c Release -nologo -v quiet -clp:NoSummary
fi

micro_report=""
if ((micro)); then
  say "micro-benchmarks (BenchmarkDotNet, in-process, short job)"
  dotnet bench/Micro/bin/Release/net10.0/Micro.dll "$work/micro"
  micro_report="$(ls "$work"/micro/results/*-report-github.md | head -n 1)"
fi

say "starting PostgreSQL (LoadGen pg-start: the tests' PostgresCluster)"
pg_started=1
# pg_stat_statements: the load run counts the statements of a login and of a refresh.
pg_out="$("${loadgen[@]}" pg-start --root "$work/pg" --database userservices --preload pg_stat_statements)"   # "<port> <root> <bin>"
read -r port _ pg_bin <<<"$pg_out"
say "PostgreSQL listening on 127.0.0.1:$port ($pg_bin)"

peer_args=()
if ((peers)); then
  if [[ ! -d "$peers_src/seed-fastapi" || ! -d "$peers_src/identity-api" ]]; then
    echo "run.sh: --peers needs the peers in $peers_src (set BENCH_PEERS_DIR)." >&2
    exit 2
  fi
  peers_pg_port="$(free_port)"
  # The peers' scripts call initdb and pg_ctl by name: the same binaries as UserServices' cluster.
  export PATH="$pg_bin:$PATH"

  # identity-api first: its cluster trusts every local connection (the seed's own initdb would demand a password
  # over TCP, which identity-api's connection string has none of); the seed's start.sh then reuses the cluster.
  say "identity-api: copying, building Release, first start (its start.sh), then stopping the app"
  cp -r "$peers_src/identity-api/." "$work/identity-api"
  identity_port="$(free_port)"
  if PORT="$identity_port" PGPORT="$peers_pg_port" PGDATA="$peers_pg" STATE_DIR="$work/identity-state" "$work/identity-api/start.sh"; then
    PORT="$identity_port" STATE_DIR="$work/identity-state" KEEP_DB=1 "$work/identity-api/stop.sh" >/dev/null
    peer_args+=(--identity-dir "$work/identity-api" --identity-database "Host=127.0.0.1;Port=$peers_pg_port;Database=identity_api;Username=postgres")
  else
    say "identity-api: SKIPPED: its start.sh failed (see above)"
  fi

  seed_modules="import fastapi, uvicorn, sqlmodel, jose, passlib, bcrypt, psycopg2, multipart, dotenv"
  if ! "$python" -c "$seed_modules" 2>/dev/null && [[ "$(id -u)" == 0 ]]; then
    say "seed-fastapi: installing its Debian packages"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-fastapi python3-uvicorn \
        python3-sqlmodel python3-jose python3-passlib python3-bcrypt python3-psycopg python3-psycopg2 \
        python3-multipart python3-dotenv; } >"$work/apt.log" 2>&1 || tail -n 5 "$work/apt.log" >&2
  fi
  if ! "$python" -c "$seed_modules" 2>/dev/null; then
    say "seed-fastapi: SKIPPED: $python lacks its packages (as root: apt-get install python3-fastapi python3-uvicorn python3-sqlmodel python3-jose python3-passlib python3-bcrypt python3-psycopg python3-psycopg2 python3-multipart python3-dotenv)"
  elif [[ "$(id -u)" != 0 && "$(id -un)" != postgres ]]; then
    say "seed-fastapi: SKIPPED: its start.sh must run as root or postgres"
  else
    say "seed-fastapi: copying, first start (its start.sh: role, database, schema, .env), then stopping the app"
    cp -r "$peers_src/seed-fastapi/." "$work/seed-fastapi"
    seed_port="$(free_port)"
    if PORT="$seed_port" PGPORT="$peers_pg_port" PGDATA_DIR="$peers_pg" PYTHON="$python" "$work/seed-fastapi/start.sh"; then
      PORT="$seed_port" PGPORT="$peers_pg_port" PGDATA_DIR="$peers_pg" KEEP_DB=1 "$work/seed-fastapi/stop.sh" >/dev/null
      peer_args+=(--seed-dir "$work/seed-fastapi" --python "$python")
    else
      say "seed-fastapi: SKIPPED: its start.sh failed (see above)"
    fi
  fi

  if [[ -s "$peers_pg/PG_VERSION" ]]; then
    # The same durability settings as UserServices' cluster (and the tests'), so no one pays for fsync.
    psql -X -q -h 127.0.0.1 -p "$peers_pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
      -c "ALTER SYSTEM SET fsync = off" -c "ALTER SYSTEM SET synchronous_commit = off" \
      -c "ALTER SYSTEM SET full_page_writes = off" -c "SELECT pg_reload_conf()" >/dev/null
    say "peers' PostgreSQL on 127.0.0.1:$peers_pg_port (fsync, synchronous_commit, full_page_writes off)"
  fi
fi

redis_args=()
if ((redis)); then
  command -v redis-server >/dev/null || { echo "run.sh: --redis needs redis-server (apt-get install redis-server)." >&2; exit 2; }
  redis_port="$(free_port)"
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly no \
    --daemonize yes --pidfile "$work/redis.pid" --logfile "$work/redis.log"
  say "Redis listening on 127.0.0.1:$redis_port"
  redis_args=(--redis-url "redis://127.0.0.1:$redis_port/0")
fi

mode=()
if ((peers)); then mode=(peers); fi
set +e
"${loadgen[@]}" "${mode[@]}" \
  --api-dll "$api_dll" \
  --database-url "Host=127.0.0.1;Port=$port;Username=postgres;Database=userservices" \
  --results-dir "$repo/bench/results" \
  --pid-file "$pid_file" \
  --warmup "$warmup" --measure "$measure" --users "$users" --work-factor 12 \
  ${micro_report:+--micro-report "$micro_report"} \
  "${peer_args[@]}" \
  "${redis_args[@]}" \
  --command "$command_line"
status=$?
set -e
if ((status == 3)); then
  say "some targets FAILed (see the table)."
  ((strict)) && exit 3
  exit 0
fi
exit "$status"
