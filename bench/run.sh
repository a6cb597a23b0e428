#!/usr/bin/env bash
# The benchmark, one command: builds Release, starts a throwaway PostgreSQL with the tests' own code (LoadGen
# pg-start), runs the BenchmarkDotNet micro-benchmarks, then the load generator, which starts the service itself and
# drives it over loopback. The table is printed and written to bench/results/ (not committed). See bench/README.md.
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

work="$(mktemp -d /tmp/userservices-bench-XXXXXX)"
chmod 711 "$work"   # the postgres user must reach its data folder inside
pid_file="$work/service.pid"
api_dll="$repo/UserServices.Api/bin/Release/net10.0/UserServices.Api.dll"
loadgen=(dotnet "$repo/bench/LoadGen/bin/Release/net10.0/LoadGen.dll")
pg_started=0

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
    "${loadgen[@]}" pg-stop --root "$work/pg" >/dev/null 2>&1 || true
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

micro_report=""
if ((micro)); then
  say "micro-benchmarks (BenchmarkDotNet, in-process, short job)"
  dotnet bench/Micro/bin/Release/net10.0/Micro.dll "$work/micro"
  micro_report="$(ls "$work"/micro/results/*-report-github.md | head -n 1)"
fi

say "starting PostgreSQL (LoadGen pg-start: the tests' PostgresCluster)"
pg_started=1
pg_out="$("${loadgen[@]}" pg-start --root "$work/pg" --database userservices)"   # "<port> <root> <bin>"
read -r port _ pg_bin <<<"$pg_out"
say "PostgreSQL listening on 127.0.0.1:$port ($pg_bin)"

set +e
"${loadgen[@]}" \
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
