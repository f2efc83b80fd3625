#!/usr/bin/env bash
# /start → the menu reply through the playground (the Host's Bot API emulator) at a fixed rate of new users:
# send → the bot's "Hi, …" message seen by the client, per user; default 100 updates/s, 500 users, 4 update workers.
# The Host is first warmed with blocks of WARMUP users at the same rate until a block's p99 stops falling (the JIT's
# tiers, the pools; at least MIN_WARMUP_BLOCKS and up to WARMUP_BLOCKS blocks: under load, tiering took 1,000+ users),
# then ROUNDS rounds of COUNT new users each measure it; the figures are the median round's (by p99) and the worst
# round's. Each round also prints, to stderr, where its users' time went (client → emulator → bot → stored → step
# saved → reply → client; ADR 0235).
# GOAL p99_ms < 100
# Last line: BENCH reply rate_per_s=… replies=… rounds=… p50_ms=… p99_ms=… worst_p99_ms=…
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ingest/host.sh"
RATE="${BENCH_RATE:-100}"
COUNT="${BENCH_REPLIES:-500}"
ROUNDS="${ROUNDS:-5}"
WARMUP="${WARMUP:-200}"
WARMUP_BLOCKS="${WARMUP_BLOCKS:-12}"
MIN_WARMUP_BLOCKS="${MIN_WARMUP_BLOCKS:-6}"

echo "== /start → menu reply through the playground at $RATE updates/s" >&2
start_host "$WORK/host-reply.log" "${BENCH_INBOX_WORKERS:-4}"
PLAYGROUND=$(grep -o 'Web chat: *http://[0-9.:]*' "$WORK/host-reply.log" | awk '{print $NF}' || true)
[[ -n "$PLAYGROUND" ]] || { echo "no web chat address in the Host's banner:" >&2; head -20 "$WORK/host-reply.log" >&2; exit 1; }
PSQL="$PG_BIN/psql -h 127.0.0.1 -p $(sed -n 4p "$WORK/pg/postmaster.pid") -U nanobanana -d nanobanana"

measure() {   # measure RUN USERS [PSQL] → "p50 p99"; every RUN number sends new users
  $PY "$HERE/reply_latency.py" "$PLAYGROUND" "$RATE" "$2" "$1" ${3:+"$3"} \
    || { echo "reply run failed; host log:" >&2; grep -v Information "$WORK/host-reply.log" | tail -5 >&2; exit 1; }
}

best=""
for block in $(seq 1 "$WARMUP_BLOCKS"); do
  read -r _ P99 <<< "$(measure "$block" "$WARMUP")"
  echo "warm-up block $block: p99 $P99 ms (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  if [[ $block -ge $MIN_WARMUP_BLOCKS && -n "$best" ]] && awk -v p="$P99" -v b="$best" 'BEGIN { exit !(p >= b * 0.95) }'; then break; fi
  if [[ -z "$best" ]] || awk -v p="$P99" -v b="$best" 'BEGIN { exit !(p < b) }'; then best="$P99"; fi
done

: > "$WORK/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  read -r P50 P99 <<< "$(measure $((WARMUP_BLOCKS + round)) "$COUNT" "$PSQL")"
  echo "round $round: p50 $P50 ms, p99 $P99 ms (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  echo "$P50 $P99" >> "$WORK/rounds.txt"
done
stop_host
read -r P50 P99 < <(sort -k2 -g "$WORK/rounds.txt" | sed -n "$(( (ROUNDS + 1) / 2 ))p")
WORST=$(sort -k2 -g "$WORK/rounds.txt" | tail -1 | cut -d' ' -f2)
echo "reply: median round p50 $P50 ms, p99 $P99 ms; worst round p99 $WORST ms" >&2
echo "BENCH reply rate_per_s=$RATE replies=$COUNT rounds=$ROUNDS p50_ms=$P50 p99_ms=$P99 worst_p99_ms=$WORST"
