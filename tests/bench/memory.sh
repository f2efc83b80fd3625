#!/usr/bin/env bash
# Host resident memory (VmRSS of the one Host process, the playground in it as with ./nb run): idle = 20 s after
# /readyz with no traffic; load = the peak while 32 webhook connections post /start for 5,000 new users for 15 s
# and the 4 update workers answer them (Users, Billing, replies through the playground). BENCH_HOST_ENV="K=V …"
# passes extra environment to the Host (e.g. to compare GC settings).
# GOAL idle_rss_mb < 150
# GOAL load_rss_mb < 250
# Last line: BENCH memory idle_rss_mb=… load_rss_mb=… after_load_rss_mb=… updates_per_s=…
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ingest/host.sh"

rss_mb() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$HOST_PID/status"; }

[[ -z "${BENCH_HOST_ENV:-}" ]] || export ${BENCH_HOST_ENV}
start_host "$WORK/host-memory.log" 4
sleep 20
IDLE=$(rss_mb)
echo "idle: $IDLE MB" >&2
PEAK=0
( while kill -0 "$HOST_PID" 2>/dev/null; do rss_mb; echo; sleep 0.5; done ) > "$WORK/rss.txt" &
SAMPLER=$!
PIDS+=("$SAMPLER")
read -r RPS _ BAD < <(wrk_webhook "$HOST_URL/telegram/webhook" 15 1)
sleep 5
kill "$SAMPLER" 2>/dev/null || true
PEAK=$(sort -n "$WORK/rss.txt" | tail -1)
AFTER=$(rss_mb)
echo "load: peak $PEAK MB at $RPS updates/s ($BAD non-2xx); 5 s later $AFTER MB" >&2
stop_host
echo "BENCH memory idle_rss_mb=$IDLE load_rss_mb=$PEAK after_load_rss_mb=$AFTER updates_per_s=$(printf '%.0f' "$RPS")"
