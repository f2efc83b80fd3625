#!/usr/bin/env bash
# Durable webhook ingest: the Host's /telegram/webhook vs. a FastAPI + asyncpg peer doing the same
# durable insert with dedupe (uvicorn, 2 workers) vs. pgbench running that single INSERT (the database
# bound); then /start → menu reply latency through the playground at 100 updates/s.
# Last line: BENCH ingest updates_per_s=… p99_ms=… peer_per_s=… ratio=… db_bound_per_s=… reply_p99_ms=…
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/bench/ingest"
PY=/usr/bin/python3
DURATION="${BENCH_DURATION:-10}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
WORK="$(mktemp -d /tmp/nb-bench-ingest.XXXXXX)"
chmod 755 "$WORK"
HOST_DLL="$ROOT/Host/NanoBanana.Host/bin/Release/net10.0/NanoBanana.Host.dll"
[[ -f "$HOST_DLL" ]] || dotnet build "$ROOT/Host/NanoBanana.Host" -c Release -nologo -v quiet -clp:ErrorsOnly
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -f "$WORK/pg/postmaster.pid" ]]; then
    runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_host LOGFILE WORKERS → sets HOST_URL and HOST_PID
start_host() {
  local log="$1" workers="$2" http grpc
  http=$(free_port); grpc=$(free_port)
  Telegram__WebhookSecret=bench-secret Bot__InboxWorkers="$workers" Bot__GlobalMessagesPerSecond=1000 \
  Database__EmbeddedDataDirectory="$WORK/pg" Logging__LogLevel__Default=Warning Playground__Port=0 \
    dotnet "$HOST_DLL" --Kestrel:Endpoints:Http:Url="http://127.0.0.1:$http" --Kestrel:Endpoints:Grpc:Url="http://127.0.0.1:$grpc" >"$log" 2>&1 &
  HOST_PID=$!
  PIDS+=("$HOST_PID")
  HOST_URL="http://127.0.0.1:$http"
  for _ in $(seq 1 120); do
    curl -sf "$HOST_URL/readyz" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "the Host did not become ready; log:" >&2; tail -20 "$log" >&2; exit 1
}

stop_host() { kill "$HOST_PID"; wait "$HOST_PID" 2>/dev/null || true; }

# wrk_run URL → prints "requests_per_s p99_ms"
wrk_run() {
  wrk -t2 -c"$CONNECTIONS" -d3s -s "$HERE/webhook.lua" "$1" >/dev/null 2>&1 || true
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$HERE/webhook.lua" "$1" > "$WORK/wrk.txt"
  local rps p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$WORK/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk.txt")
  [[ -z "$non2xx" ]] || { echo "wrk saw $non2xx non-2xx answers" >&2; cat "$WORK/wrk.txt" >&2; exit 1; }
  echo "$rps $p99"
}

echo "== Host webhook ingest (inbox workers off: ingest only)" >&2
start_host "$WORK/host-ingest.log" 0
PG_PORT=$(sed -n 4p "$WORK/pg/postmaster.pid")
DSN="postgresql://nanobanana@127.0.0.1:$PG_PORT/nanobanana"
read -r HOST_RPS HOST_P99 < <(wrk_run "$HOST_URL/telegram/webhook")
STORED=$(psql "$DSN" -Atc "SELECT count(*) FROM bot.updates")
echo "host: $HOST_RPS req/s, p99 $HOST_P99 ms, $STORED updates stored" >&2
stop_host

echo "== FastAPI + asyncpg peer (uvicorn, 2 workers), same PostgreSQL" >&2
runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D "$WORK/pg" -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/pg/socket" -l "$WORK/pg/server.log" -w start >/dev/null
psql "$DSN" -q -c "DROP SCHEMA IF EXISTS benchpy CASCADE; CREATE SCHEMA benchpy;
  CREATE TABLE benchpy.updates (update_id bigint PRIMARY KEY, chat_id bigint NOT NULL, kind text NOT NULL, payload jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(), status smallint NOT NULL DEFAULT 0, attempts integer NOT NULL DEFAULT 0);
  CREATE INDEX ON benchpy.updates (update_id) WHERE status = 0;
  CREATE INDEX ON benchpy.updates (chat_id, update_id) WHERE status = 0;
  CREATE TABLE benchpy.chats (chat_id bigint PRIMARY KEY, state text NOT NULL DEFAULT '', data jsonb NOT NULL DEFAULT '{}');"
PEER_PORT=$(free_port)
(cd "$HERE" && BENCH_DSN="$DSN" exec /usr/bin/uvicorn peer_app:app --host 127.0.0.1 --port "$PEER_PORT" --workers 2 --log-level warning) >"$WORK/peer.log" 2>&1 &
PEER_PID=$!
PIDS+=("$PEER_PID")
for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$PEER_PORT/docs" && break; sleep 0.5; done
read -r PEER_RPS PEER_P99 < <(wrk_run "http://127.0.0.1:$PEER_PORT/telegram/webhook")
echo "peer: $PEER_RPS req/s, p99 $PEER_P99 ms" >&2
kill "$PEER_PID"; wait "$PEER_PID" 2>/dev/null || true

echo "== pgbench: the single INSERT (database bound)" >&2
psql "$DSN" -q -c "TRUNCATE benchpy.updates, benchpy.chats"
DB_TPS=$(pgbench -n -c 8 -j 2 -T "$DURATION" -f "$HERE/insert.sql" "$DSN" 2>/dev/null | awk '/^tps/ {print $3; exit}')
echo "pgbench: $DB_TPS inserts/s" >&2
# The benchmark's updates (fake chats) must not sit in front of the reply measurement.
psql "$DSN" -q -c "TRUNCATE bot.updates, bot.chats, bot.outbound, bot.slots; DROP SCHEMA benchpy CASCADE"
runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null

echo "== /start → menu reply through the playground at 100 updates/s" >&2
start_host "$WORK/host-reply.log" "${BENCH_INBOX_WORKERS:-4}"
PLAYGROUND=$(grep -o 'Web chat:  http://[0-9.:]*' "$WORK/host-reply.log" | awk '{print $3}')
$PY "$HERE/reply_latency.py" "$PLAYGROUND" 20 40 1 >/dev/null
REPLY_P99=$($PY "$HERE/reply_latency.py" "$PLAYGROUND" 100 "${BENCH_REPLIES:-500}" 2 || { echo "reply run failed; host log:" >&2; grep -v Information "$WORK/host-reply.log" | tail -5 >&2; exit 1; })
echo "reply p99: $REPLY_P99 ms" >&2
stop_host

RATIO=$(awk -v a="$HOST_RPS" -v b="$PEER_RPS" 'BEGIN { printf "%.2f", a / b }')
printf 'BENCH ingest updates_per_s=%.0f p99_ms=%s peer_per_s=%.0f ratio=%s db_bound_per_s=%.0f reply_p99_ms=%s\n' \
  "$HOST_RPS" "$HOST_P99" "$PEER_RPS" "$RATIO" "$DB_TPS" "$REPLY_P99"
