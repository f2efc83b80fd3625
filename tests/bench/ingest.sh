#!/usr/bin/env bash
# Durable webhook ingest on an ingest-only replica (Bot:UpdateWorkers=0): the Host's /telegram/webhook, 32
# connections, every update for one of 5,000 chats new to the bot, vs. a FastAPI + asyncpg peer doing the same
# durable insert with dedupe (uvicorn, 2 workers) vs. pgbench running that single INSERT (the database bound).
# Non-2xx answers are counted, not fatal: a 500 (e.g. a deadlock between writers) is a figure with a goal.
# GOAL non_2xx == 0
# GOAL p99_ms < 25
# GOAL ratio >= 3
# Last line: BENCH ingest updates_per_s=… p99_ms=… non_2xx=… peer_per_s=… peer_p99_ms=… ratio=… db_bound_per_s=… stored=…
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ingest/host.sh"
DURATION="${BENCH_DURATION:-10}"

echo "== Host webhook ingest (update workers off: ingest only)" >&2
start_host "$WORK/host-ingest.log" 0
PG_PORT=$(sed -n 4p "$WORK/pg/postmaster.pid")
DSN="postgresql://nanobanana@127.0.0.1:$PG_PORT/nanobanana"
wrk_webhook "$HOST_URL/telegram/webhook" 3 1 >/dev/null
BEFORE=$(psql "$DSN" -Atc "SELECT count(*) FROM bot.updates")
read -r HOST_RPS HOST_P99 HOST_BAD < <(wrk_webhook "$HOST_URL/telegram/webhook" "$DURATION" 2)
STORED=$(( $(psql "$DSN" -Atc "SELECT count(*) FROM bot.updates") - BEFORE ))
DEADLOCKS=$(grep -c '40P01' "$WORK/host-ingest.log" || true)
echo "host: $HOST_RPS req/s, p99 $HOST_P99 ms, $HOST_BAD non-2xx, $STORED updates stored in the run, $DEADLOCKS deadlocks logged" >&2
stop_host

echo "== FastAPI + asyncpg peer (uvicorn, 2 workers), same PostgreSQL" >&2
start_postgres
psql "$DSN" -q -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS benchpy CASCADE; CREATE SCHEMA benchpy;
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
wrk_webhook "http://127.0.0.1:$PEER_PORT/telegram/webhook" 3 1 >/dev/null
read -r PEER_RPS PEER_P99 PEER_BAD < <(wrk_webhook "http://127.0.0.1:$PEER_PORT/telegram/webhook" "$DURATION" 2)
echo "peer: $PEER_RPS req/s, p99 $PEER_P99 ms, $PEER_BAD non-2xx" >&2
kill "$PEER_PID"; wait "$PEER_PID" 2>/dev/null || true

echo "== pgbench: the single INSERT (database bound)" >&2
psql "$DSN" -q -c "TRUNCATE benchpy.updates, benchpy.chats"
DB_TPS=$(pgbench -n -c 8 -j 2 -T "$DURATION" -f "$HERE/insert.sql" "$DSN" 2>/dev/null | awk '/^tps/ {print $3; exit}')
echo "pgbench: $DB_TPS inserts/s" >&2
stop_postgres

RATIO=$(awk -v a="$HOST_RPS" -v b="$PEER_RPS" 'BEGIN { printf "%.2f", a / b }')
printf 'BENCH ingest updates_per_s=%.0f p99_ms=%s non_2xx=%d peer_per_s=%.0f peer_p99_ms=%s ratio=%s db_bound_per_s=%.0f stored=%d\n' \
  "$HOST_RPS" "$HOST_P99" "$HOST_BAD" "$PEER_RPS" "$PEER_P99" "$RATIO" "$DB_TPS" "$STORED"
