#!/usr/bin/env bash
# Sandbox image jobs (zero latency) on two Host replicas sharing one database (ADR 0215), after a warm-up:
#   burst: 1 000 jobs from 16 clients calling StartGeneration as fast as they can while both replicas work:
#          enqueue_per_s = the calls' rate; jobs_per_s = first call → last capture; burst_start_* = enqueue →
#          provider call start behind the backlog the burst builds.
#   paced: 300 jobs offered at offered_per_s, a rate both replicas sustain: start_* = enqueue → provider call
#          start, the queue's wake-up and claim (it means something only below saturation).
# cpu_ms_per_job = the burst's CPU per job, both Hosts and PostgreSQL; load1 = the machine's load average after it.
# Last line: BENCH generation enqueue_per_s=… jobs_per_s=… burst_start_p50_ms=… burst_start_p99_ms=… offered_per_s=…
#            start_p50_ms=… start_p99_ms=… cpu_ms_per_job=… load1=…
# GOAL enqueue_per_s >= 300
# GOAL start_p99_ms < 50
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
CONFIGURATION="${CONFIGURATION:-Release}"
dotnet build tests/bench/GenerationBench -c "$CONFIGURATION" -nologo -v quiet >/dev/null
dotnet build Host/NanoBanana.Host -c "$CONFIGURATION" -nologo -v quiet >/dev/null
exec dotnet "tests/bench/GenerationBench/bin/$CONFIGURATION/net10.0/GenerationBench.dll" | grep -v '^{'
