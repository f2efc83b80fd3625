#!/usr/bin/env bash
# Video tools on 2 cores: a 60 s input through the playground bot, subtitles only and the full pipeline
# (translation + voice-over + bold captions + 9:16 blur) on the Sandbox speech adapter, against plain
# ffmpeg baselines on the same file in the same run (audio extraction alone; the 9:16 render alone).
# Last line: BENCH videotools subtitles_s_per_min=… full_s_per_min=… subtitles_vs_extract=… full_vs_render=…
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PY=/usr/bin/python3
PRESET="${BENCH_X264_PRESET:-veryfast}"
WORK="$(mktemp -d /tmp/nb-bench-videotools.XXXXXX)"
chmod 755 "$WORK"
HOST_DLL="$ROOT/Host/NanoBanana.Host/bin/Release/net10.0/NanoBanana.Host.dll"
# ./nb bench builds the solution first; run directly, the script builds only when nothing is built.
[[ -f "$HOST_DLL" ]] || dotnet build "$ROOT/Host/NanoBanana.Host" -c Release -nologo -v quiet -clp:ErrorsOnly
command -v espeak-ng >/dev/null || echo "espeak-ng is missing: the Sandbox voices lines with a tone" >&2
HOST_PID=""
cleanup() {
  [[ -z "$HOST_PID" ]] || { kill "$HOST_PID" 2>/dev/null || true; wait "$HOST_PID" 2>/dev/null || true; }
  if [[ -f "$WORK/pg/postmaster.pid" ]]; then
    runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http=$(free_port); grpc=$(free_port)
# The step log's category has dots, which no shell variable name may: it goes as a command-line setting.
Database__EmbeddedDataDirectory="$WORK/pg" Logging__Console__FormatterName=json Logging__LogLevel__Default=Warning \
Playground__Port=0 Bot__AdminIds__0=1 \
Generation__Sandbox__Latency=00:00:00 Generation__VideoTools__X264Preset="$PRESET" Generation__VideoTools__MaxInputBytes=20971520 \
  dotnet "$HOST_DLL" --Kestrel:Endpoints:Http:Url="http://127.0.0.1:$http" --Kestrel:Endpoints:Grpc:Url="http://127.0.0.1:$grpc" \
  --Logging:LogLevel:NanoBanana.Generation.VideoTools=Information >"$WORK/host.log" 2>&1 &
HOST_PID=$!
# A loaded shared machine can take minutes to start the Host; say so instead of timing a Host that is not up.
ready=""
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$http/readyz" >/dev/null 2>&1 && { ready=1; break; }
  kill -0 "$HOST_PID" 2>/dev/null || break
  sleep 0.5
done
[[ -n "$ready" ]] || { echo "the Host did not become ready (5 min)" >&2; tail -20 "$WORK/host.log" >&2; exit 1; }
# Not found must reach the message below, not end the script silently (set -e with pipefail).
PLAYGROUND=$(grep -o 'Web chat:  *http://[0-9.:]*' "$WORK/host.log" | awk '{print $3}' | head -1 || true)
[[ -n "$PLAYGROUND" ]] || { echo "no playground address in the Host log" >&2; tail -20 "$WORK/host.log" >&2; exit 1; }
RESULT=$($PY "$ROOT/tests/bench/videotools/run.py" "$PLAYGROUND" "$WORK/host.log" "$PRESET")
echo "$RESULT" | $PY -c '
import json, sys
r = json.load(sys.stdin)
# Plain names: a backslash inside an f-string expression is a syntax error before Python 3.12.
subtitles, full, extract, render = r["subtitles"], r["full"], r["extract"], r["render"]
print("  upload (download + ffprobe + store): " + ", ".join(f"{t:.1f} s" for t in r["inspect"]), file=sys.stderr)
for name, total, steps in zip(("subtitles", "full"), (subtitles, full), r["steps"]):
    # What the steps leave of the job: queue pickup and delivery (reading the results, the bot uploading them).
    listed = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in steps.items())
    print(f"  {name} job {total:.1f} s: {listed}, rest {total - sum(steps.values()):.1f} s", file=sys.stderr)
print(f"  baselines: plain extract {extract:.1f} s, plain 9:16 render {render:.1f} s", file=sys.stderr)
print(f"BENCH videotools subtitles_s_per_min={subtitles:.1f} full_s_per_min={full:.1f} "
      f"subtitles_vs_extract={subtitles / extract:.2f} full_vs_render={full / render:.2f}")
'
