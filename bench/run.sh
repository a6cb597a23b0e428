#!/usr/bin/env bash
# The benchmark, one command: builds Release, starts a throwaway PostgreSQL the way the tests do, runs the
# BenchmarkDotNet micro-benchmarks, then the load generator, which starts the service itself and drives it over
# loopback. The table is printed and written to bench/results/<UTC timestamp>.md. See bench/README.md.
#
#   bash bench/run.sh [--warmup SECONDS] [--measure SECONDS] [--users N] [--no-micro] [--strict]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

warmup="${BENCH_WARMUP_SECONDS:-3}"
measure="${BENCH_MEASURE_SECONDS:-10}"
users=32
micro=1
strict=0
command_line="bash bench/run.sh${*:+ $*}"
while (($#)); do
  case "$1" in
    --warmup) warmup="$2"; shift 2 ;;
    --measure) measure="$2"; shift 2 ;;
    --users) users="$2"; shift 2 ;;
    --no-micro) micro=0; shift ;;
    --strict) strict=1; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '[bench] %s\n' "$*"; }

command -v dotnet >/dev/null || { echo "run.sh: the .NET SDK (dotnet) is not on PATH." >&2; exit 2; }

# The PostgreSQL server binaries, found as the tests find them: on PATH, else Debian's versioned folder.
pg_bin=""
if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
  pg_bin="$(dirname "$(readlink -f "$(command -v initdb)")")"   # the folder with createdb too
else
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then pg_bin="$dir"; break; fi
  done
fi
if [[ -z "$pg_bin" ]]; then
  echo "run.sh: PostgreSQL server binaries (initdb, pg_ctl) not found. Install them with: apt-get install postgresql" >&2
  exit 2
fi

work="$(mktemp -d /tmp/userservices-bench-XXXXXX)"
chmod 711 "$work"   # the postgres user must reach its data folder inside
pg_root="$work/pg"
pid_file="$work/service.pid"
pg_started=0
as_postgres=()
if [[ "$(id -u)" == 0 ]]; then
  # PostgreSQL refuses to run as root; runuser switches to its own system user, as the tests do.
  as_postgres=(runuser -u postgres --)
fi

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  # The service is the load generator's child; if the load generator died without stopping it, end exactly that pid.
  if [[ -s "$pid_file" ]]; then
    local pid
    pid="$(cat "$pid_file")"
    if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'UserServices.Api.dll'; then
      kill "$pid" 2>/dev/null || true
    fi
  fi
  if ((pg_started)); then
    "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_root/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "building Release (service, load generator$( ((micro)) && echo ', micro-benchmarks'))"
dotnet build UserServices.Api/UserServices.Api.csproj -c Release -nologo -v quiet -clp:NoSummary
dotnet build bench/LoadGen/LoadGen.csproj -c Release -nologo -v quiet -clp:NoSummary
if ((micro)); then
  dotnet build bench/Micro/Micro.csproj -c Release -nologo -v quiet -clp:NoSummary
fi
api_dll="$repo/UserServices.Api/bin/Release/net10.0/UserServices.Api.dll"
loadgen_dll="$repo/bench/LoadGen/bin/Release/net10.0/LoadGen.dll"

micro_report=""
if ((micro)); then
  say "micro-benchmarks (BenchmarkDotNet, in-process, short job)"
  dotnet bench/Micro/bin/Release/net10.0/Micro.dll "$work/micro"
  micro_report="$(ls "$work"/micro/results/*-report-github.md | head -n 1)"
fi

say "starting PostgreSQL from $pg_bin"
mkdir -p "$pg_root"
if ((${#as_postgres[@]})); then chown -R postgres:postgres "$pg_root"; fi
"${as_postgres[@]}" "$pg_bin/initdb" -D "$pg_root/data" -U postgres -A trust --no-sync --encoding=UTF8 --locale=C >"$work/initdb.log"
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 40000))
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi   # taken
  options="-p $port -k $pg_root -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
  if "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_root/data" -l "$pg_root/server.log" -w -t 60 -o "$options" start >/dev/null; then
    pg_started=1
    break
  fi
done
if ((!pg_started)); then
  echo "run.sh: PostgreSQL did not start:" >&2
  cat "$pg_root/server.log" >&2 || true
  exit 1
fi
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres userservices
say "PostgreSQL listening on 127.0.0.1:$port"

set +e
dotnet "$loadgen_dll" \
  --api-dll "$api_dll" \
  --database-url "Host=127.0.0.1;Port=$port;Username=postgres;Database=userservices" \
  --results-dir "$repo/bench/results" \
  --pid-file "$pid_file" \
  --warmup "$warmup" --measure "$measure" --users "$users" --work-factor 12 \
  ${micro_report:+--micro-report "$micro_report"} \
  --command "$command_line"
status=$?
set -e
if ((status == 3)); then
  say "some targets FAILed (see the table)."
  ((strict)) && exit 3
  exit 0
fi
exit "$status"
