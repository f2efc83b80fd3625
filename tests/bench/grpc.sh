#!/usr/bin/env bash
# Benchmark: h2load against CatalogService/ListModels on the Host's h2c port and against a bare
# Kestrel HTTP/2 endpoint answering the same bytes, in one run. Loopback only, bounded in count.
# ListModels is served from the in-memory catalog (ADR 0121). The same run also measures
# grpc.health.v1.Health/Check through the same Host, against the bare endpoint answering Health's bytes
# (layer_ratio: the cost of any gRPC layer) and against a stock Grpc.AspNetCore health service started
# here (health_ratio: what the Host adds on top of the library; goal >= 0.90).
# list_vs_health: what a use case adds to a call through the same Host (goal >= 0.90). ListModels answers
# ~2.3 KB and Health/Check 7 bytes, and bare Kestrel alone serves the large answer at ~0.4-0.5 of the
# small one, so the raw quotient ListModels ÷ Health/Check (list_vs_health_raw, printed beside it) mostly
# measures the bytes, not the Host. list_vs_health divides each call by bare Kestrel serving its own bytes:
# (ListModels ÷ bare ListModels bytes) ÷ (Health/Check ÷ bare Health bytes) = ratio ÷ layer_ratio; 1.0 means
# the use case costs no more than the gRPC layer's health answer does (ADR 0225).
# On the shared 2-core machine the load moves between two measurements more than a change moves a figure:
# each server is first warmed until its rate stops rising (the JIT's tiers: at least 4 and up to WARMUP_BLOCKS
# blocks of WARMUP calls), then ROUNDS rounds measure every target once each, back to back, and every ratio is
# the median of its per-round ratios (rates: medians too). The anonymous rate limit is lifted for the run (h2load
# is one client address), and every ListModels call must have ended OK (the Host's /metrics count them by
# gRPC status).
# Prints figures; the last line is:
#   BENCH grpc rps=… p99_ms=… bare_rps=… ratio=… list_vs_health=… list_vs_health_raw=… rss_idle_mb=… rss_load_mb=…
#              layer_rps=… layer_ratio=… stock_health_rps=… health_ratio=…
# Knobs: REQUESTS (default 30000 per measurement), ROUNDS (5), CLIENTS (4), STREAMS (16 in flight per client),
# WARMUP (20000), WARMUP_BLOCKS (12).
# GOAL ratio >= 0.5
# GOAL list_vs_health >= 0.9
# GOAL health_ratio >= 0.9
# GOAL rss_idle_mb < 150
# GOAL rss_load_mb < 250
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REQUESTS="${REQUESTS:-30000}"
ROUNDS="${ROUNDS:-5}"
WARMUP="${WARMUP:-20000}"
WARMUP_BLOCKS="${WARMUP_BLOCKS:-12}"
CLIENTS="${CLIENTS:-4}"
STREAMS="${STREAMS:-16}"
WORK="$(mktemp -d /tmp/nb-bench-grpc.XXXXXX)"
chmod 755 "$WORK"   # the embedded PostgreSQL may run as another user (postgres) when we are root
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

command -v h2load >/dev/null || { echo "h2load missing: apt-get install nghttp2-client" >&2; exit 1; }

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
wait_for() { for _ in $(seq 1 120); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "timed out waiting for $1" >&2; exit 1; }

echo "building (Release)…"
dotnet build -c Release -v q --nologo "$ROOT/Host/NanoBanana.Host" >/dev/null
dotnet build -c Release -v q --nologo "$ROOT/tests/bench/BareKestrel" >/dev/null
dotnet build -c Release -v q --nologo "$ROOT/tests/bench/StockGrpcHealth" >/dev/null

GRPC_PORT="$(free_port)"; HTTP_PORT="$(free_port)"; BARE_PORT="$(free_port)"; STOCK_PORT="$(free_port)"
METHOD="nanobanana.catalog.v1.CatalogService/ListModels"
HEALTH="grpc.health.v1.Health/Check"
printf '\x00\x00\x00\x00\x00' > "$WORK/request.bin"   # one empty request frame (ListModelsRequest, HealthCheckRequest)

echo "starting the Host (embedded PostgreSQL in $WORK/pg)…"
(cd "$ROOT/Host/NanoBanana.Host" && exec dotnet bin/Release/net10.0/NanoBanana.Host.dll \
  --Kestrel:Endpoints:Grpc:Url="http://127.0.0.1:$GRPC_PORT" \
  --Kestrel:Endpoints:Http:Url="http://127.0.0.1:$HTTP_PORT" \
  --Database:EmbeddedDataDirectory="$WORK/pg" \
  --RateLimits:Anonymous:PerSecond=1000000 --RateLimits:Anonymous:Burst=1000000 \
  --Logging:LogLevel:Default=Warning) > "$WORK/host.log" 2>&1 &
HOST_PID=$!; PIDS+=("$HOST_PID")
wait_for "http://127.0.0.1:$HTTP_PORT/readyz"

curl -sf --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
  --data-binary @"$WORK/request.bin" -o "$WORK/response.bin" "http://127.0.0.1:$GRPC_PORT/$METHOD"
RESPONSE_BYTES="$(stat -c %s "$WORK/response.bin")"
curl -sf --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
  --data-binary @"$WORK/request.bin" -o "$WORK/health.bin" "http://127.0.0.1:$GRPC_PORT/$HEALTH"
[ "$RESPONSE_BYTES" -gt 5 ] || { echo "ListModels returned no message" >&2; exit 1; }
RSS_IDLE="$(rss_mb "$HOST_PID")"

(exec dotnet "$ROOT/tests/bench/BareKestrel/bin/Release/net10.0/BareKestrel.dll" "$BARE_PORT" "/$METHOD=$WORK/response.bin" "/$HEALTH=$WORK/health.bin") > "$WORK/bare.log" 2>&1 &
PIDS+=("$!")
(exec dotnet "$ROOT/tests/bench/StockGrpcHealth/bin/Release/net10.0/StockGrpcHealth.dll" "$STOCK_PORT") > "$WORK/stock.log" 2>&1 &
PIDS+=("$!")
for target in "$BARE_PORT/$METHOD" "$STOCK_PORT/$HEALTH"; do
  for _ in $(seq 1 60); do
    curl -sf --http2-prior-knowledge -X POST -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @"$WORK/request.bin" \
      -o /dev/null "http://127.0.0.1:$target" && break
    sleep 0.5
  done
done

# Runs h2load; prints "rps p99_ms" (p99 from the per-request log).
load() {
  local port="$1" count="$2" method="${3:-$METHOD}" log="$WORK/h2load.log"
  local out
  rm -f "$log"   # h2load appends to an existing log
  out="$(h2load -n "$count" -c "$CLIENTS" -m "$STREAMS" -t 1 -d "$WORK/request.bin" \
    -H 'content-type: application/grpc' -H 'te: trailers' --log-file="$log" \
    "http://127.0.0.1:$port/$method")"
  local ok; ok="$(echo "$out" | awk '/status codes:/ {print $3}')"
  [ "$ok" = "$count" ] || { echo "$out" >&2; echo "not every request got 2xx" >&2; exit 1; }
  local rps; rps="$(echo "$out" | awk '/^finished in/ {print $4}')"
  local p99; p99="$(awk '{print $3}' "$log" | sort -n | awk '{a[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; printf "%.2f", a[i]/1000}')"
  echo "$rps $p99"
}

# Warms one target: at least 4 blocks of WARMUP calls, then until a block is less than 5 % faster than the best
# block before it (a single slow block on a busy machine does not end the warm-up; a plateau does).
warm() {
  local port="$1" method="$2" best=0 rps block
  for block in $(seq 1 "$WARMUP_BLOCKS"); do
    read -r rps _ < <(load "$port" "$WARMUP" "$method")
    [ "$block" -ge 4 ] && awk -v a="$rps" -v b="$best" 'BEGIN {exit !(a < b * 1.05)}' && break
    best="$(awk -v a="$rps" -v b="$best" 'BEGIN {print (a > b) ? a : b}')"
  done
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }

echo "warming up (JIT) every server until its rate stops rising…"
warm "$GRPC_PORT" "$METHOD"
warm "$BARE_PORT" "$METHOD"
warm "$GRPC_PORT" "$HEALTH"
warm "$BARE_PORT" "$HEALTH"
warm "$STOCK_PORT" "$HEALTH"

RSS_PEAK_FILE="$WORK/rss-peak"; echo 0 > "$RSS_PEAK_FILE"
( while kill -0 "$HOST_PID" 2>/dev/null; do
    now="$(rss_mb "$HOST_PID")"; [ "$now" -gt "$(cat "$RSS_PEAK_FILE")" ] && echo "$now" > "$RSS_PEAK_FILE"; sleep 0.2
  done ) &
SAMPLER=$!; PIDS+=("$SAMPLER")

: > "$WORK/rounds"
for round in $(seq 1 "$ROUNDS"); do
  read -r RPS P99 < <(load "$GRPC_PORT" "$REQUESTS")
  read -r BARE_RPS BARE_P99 < <(load "$BARE_PORT" "$REQUESTS")
  read -r LAYER_RPS LAYER_P99 < <(load "$GRPC_PORT" "$REQUESTS" "$HEALTH")
  read -r BARE_HEALTH_RPS BARE_HEALTH_P99 < <(load "$BARE_PORT" "$REQUESTS" "$HEALTH")
  read -r STOCK_RPS STOCK_P99 < <(load "$STOCK_PORT" "$REQUESTS" "$HEALTH")
  echo "$RPS $P99 $BARE_RPS $BARE_P99 $LAYER_RPS $LAYER_P99 $BARE_HEALTH_RPS $BARE_HEALTH_P99 $STOCK_RPS $STOCK_P99" \
    "$(div "$RPS" "$BARE_RPS") $(div "$LAYER_RPS" "$BARE_HEALTH_RPS") $(div "$LAYER_RPS" "$STOCK_RPS") $(div "$RPS" "$LAYER_RPS")" \
    "$(awk -v l="$RPS" -v b="$BARE_RPS" -v h="$LAYER_RPS" -v bh="$BARE_HEALTH_RPS" 'BEGIN {printf "%.2f", (l/b)/(h/bh)}')" >> "$WORK/rounds"
  printf 'round %s (load %s): ListModels %s, bare %s, Health via Host %s, bare health %s, stock health %s req/s\n' \
    "$round" "$(cut -d' ' -f1 /proc/loadavg)" "$RPS" "$BARE_RPS" "$LAYER_RPS" "$BARE_HEALTH_RPS" "$STOCK_RPS"
done
kill "$SAMPLER" 2>/dev/null || true
RSS_LOAD="$(cat "$RSS_PEAK_FILE")"
column() { awk -v c="$1" '{print $c}' "$WORK/rounds" | median; }
RPS="$(column 1)"; P99="$(column 2)"; BARE_RPS="$(column 3)"; BARE_P99="$(column 4)"
LAYER_RPS="$(column 5)"; LAYER_P99="$(column 6)"; BARE_HEALTH_RPS="$(column 7)"; BARE_HEALTH_P99="$(column 8)"
STOCK_RPS="$(column 9)"; STOCK_P99="$(column 10)"
RATIO="$(column 11)"; LAYER_RATIO="$(column 12)"; HEALTH_RATIO="$(column 13)"; LIST_VS_HEALTH_RAW="$(column 14)"; LIST_VS_HEALTH="$(column 15)"
# h2load sees HTTP 200 for every gRPC answer; the status is in the trailers, which the Host counts.
NOT_OK="$(curl -sf "http://127.0.0.1:$HTTP_PORT/metrics" | awk -v m="/$METHOD" 'index($0, "grpc_server_handled_total{") == 1 && index($0, "method=\"" m "\"") && !index($0, "code=\"OK\"") {n += $NF} END {print n + 0}')"
[ "$NOT_OK" = "0" ] || { echo "$NOT_OK ListModels calls did not end OK" >&2; exit 1; }

echo
echo "ListModels response: $RESPONSE_BYTES bytes per call; $REQUESTS calls per measurement, $CLIENTS connections x $STREAMS streams, 1 h2load thread; medians of $ROUNDS rounds"
printf '%-28s %10s req/s   p99 %7s ms\n' "NanoBanana Host (gRPC)" "$RPS" "$P99"
printf '%-28s %10s req/s   p99 %7s ms\n' "bare Kestrel (same bytes)" "$BARE_RPS" "$BARE_P99"
printf '%-28s %10s req/s   p99 %7s ms\n' "Host Health/Check (no DB)" "$LAYER_RPS" "$LAYER_P99"
printf '%-28s %10s req/s   p99 %7s ms\n' "bare Kestrel (health bytes)" "$BARE_HEALTH_RPS" "$BARE_HEALTH_P99"
printf '%-28s %10s req/s   p99 %7s ms\n' "stock Grpc.AspNetCore health" "$STOCK_RPS" "$STOCK_P99"
echo "gRPC layer ratio (Health/Check vs bare) $LAYER_RATIO"
echo "Host vs stock Grpc.AspNetCore (Health/Check) $HEALTH_RATIO (goal >= 0.90)"
echo "ListModels vs bare Kestrel $RATIO (goal >= 0.50)"
echo "ListModels vs Health/Check through the Host, each over bare Kestrel serving its bytes $LIST_VS_HEALTH (goal >= 0.90); raw $LIST_VS_HEALTH_RAW"
echo "Host RSS idle ${RSS_IDLE} MB (goal < 150), under load ${RSS_LOAD} MB (goal < 250)"
echo "BENCH grpc rps=$RPS p99_ms=$P99 bare_rps=$BARE_RPS ratio=$RATIO list_vs_health=$LIST_VS_HEALTH list_vs_health_raw=$LIST_VS_HEALTH_RAW rss_idle_mb=$RSS_IDLE rss_load_mb=$RSS_LOAD layer_rps=$LAYER_RPS layer_ratio=$LAYER_RATIO stock_health_rps=$STOCK_RPS health_ratio=$HEALTH_RATIO"
