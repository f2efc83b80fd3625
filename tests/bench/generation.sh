#!/usr/bin/env bash
# 1 000 Sandbox jobs (zero latency) on two Host replicas sharing one database.
# Last line: BENCH generation jobs_per_s=… enqueue_per_s=… start_p50_ms=… start_p99_ms=…
# GOAL enqueue_per_s >= 300
# GOAL start_p99_ms < 50
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
CONFIGURATION="${CONFIGURATION:-Release}"
dotnet build tests/bench/GenerationBench -c "$CONFIGURATION" -nologo -v quiet >/dev/null
dotnet build Host/NanoBanana.Host -c "$CONFIGURATION" -nologo -v quiet >/dev/null
exec dotnet "tests/bench/GenerationBench/bin/$CONFIGURATION/net10.0/GenerationBench.dll" | grep -v '^{'
