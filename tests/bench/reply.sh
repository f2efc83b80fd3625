#!/usr/bin/env bash
# /start → the menu reply through the playground (the Host's Bot API emulator) at a fixed rate of new users:
# send → the bot's "Hi, …" message seen by the emulator, per user; default 100 updates/s, 500 users, 4 update workers.
# GOAL p99_ms < 100
# Last line: BENCH reply rate_per_s=… replies=… p50_ms=… p99_ms=…
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ingest/host.sh"
RATE="${BENCH_RATE:-100}"
COUNT="${BENCH_REPLIES:-500}"

echo "== /start → menu reply through the playground at $RATE updates/s" >&2
start_host "$WORK/host-reply.log" "${BENCH_INBOX_WORKERS:-4}"
PLAYGROUND=$(grep -o 'Web chat: *http://[0-9.:]*' "$WORK/host-reply.log" | awk '{print $NF}' || true)
[[ -n "$PLAYGROUND" ]] || { echo "no web chat address in the Host's banner:" >&2; head -20 "$WORK/host-reply.log" >&2; exit 1; }
$PY "$HERE/reply_latency.py" "$PLAYGROUND" 20 40 1 >/dev/null
read -r P50 P99 < <($PY "$HERE/reply_latency.py" "$PLAYGROUND" "$RATE" "$COUNT" 2 || { echo "reply run failed; host log:" >&2; grep -v Information "$WORK/host-reply.log" | tail -5 >&2; exit 1; })
echo "reply p50 $P50 ms, p99 $P99 ms" >&2
stop_host
echo "BENCH reply rate_per_s=$RATE replies=$COUNT p50_ms=$P50 p99_ms=$P99"
