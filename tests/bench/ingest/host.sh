# Shared by ingest.sh, reply.sh and memory.sh (sourced): a work folder, the Release Host on free ports with its
# embedded PostgreSQL in that folder, wrk against the webhook, and cleanup of everything on exit.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
HERE="$ROOT/tests/bench/ingest"
PY=/usr/bin/python3
HOST_DLL="$ROOT/Host/NanoBanana.Host/bin/Release/net10.0/NanoBanana.Host.dll"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
WORK="$(mktemp -d /tmp/nb-bench.XXXXXX)"
chmod 755 "$WORK"
[[ -f "$HOST_DLL" ]] || dotnet build "$ROOT/Host/NanoBanana.Host" -c Release -nologo -v quiet -clp:ErrorsOnly
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -f "$WORK/pg/postmaster.pid" ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_host LOGFILE WORKERS → sets HOST_URL and HOST_PID; the Host answers the playground as its Telegram.
start_host() {
  local log="$1" workers="$2" http grpc
  http=$(free_port); grpc=$(free_port)
  Telegram__WebhookSecret=bench-secret Bot__UpdateWorkers="$workers" Bot__GlobalMessagesPerSecond=1000 \
  Database__EmbeddedDataDirectory="$WORK/pg" Logging__LogLevel__Default=Warning Playground__Port=0 \
    dotnet "$HOST_DLL" --Kestrel:Endpoints:Http:Url="http://127.0.0.1:$http" --Kestrel:Endpoints:Grpc:Url="http://127.0.0.1:$grpc" >"$log" 2>&1 &
  HOST_PID=$!
  PIDS+=("$HOST_PID")
  HOST_URL="http://127.0.0.1:$http"
  for _ in $(seq 1 240); do
    curl -sf "$HOST_URL/readyz" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "the Host did not become ready; log:" >&2; tail -20 "$log" >&2; exit 1
}

stop_host() { kill "$HOST_PID"; wait "$HOST_PID" 2>/dev/null || true; }

start_postgres() {
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/pg/socket" -l "$WORK/pg/server.log" -w start >/dev/null
}

stop_postgres() { runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null; }

# wrk_webhook URL SECONDS RUN → prints "requests_per_s p99_ms non_2xx". RUN picks disjoint update ids and chats:
# every run posts new updates for CHATS chats no earlier run has seen (5,000 new chats by default).
wrk_webhook() {
  local url="$1" seconds="$2" run="$3"
  local out="$WORK/wrk-$run.txt"
  wrk -t2 -c"${BENCH_CONNECTIONS:-32}" -d"${seconds}s" --latency -s "$HERE/webhook.lua" "$url" -- "$run" "${BENCH_CHATS:-5000}" > "$out"
  awk '
    /Requests\/sec/ { rps = $2 }
    $1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v = v * 1000 }; p99 = v }
    /Non-2xx/ { bad = $5 }
    END { printf "%s %s %d\n", rps, p99, bad }' "$out"
}
