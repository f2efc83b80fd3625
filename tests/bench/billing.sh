#!/usr/bin/env bash
# Billing benchmark: reserve+capture pairs/s (16 clients) vs pgbench TPC-B-like on the same embedded cluster.
# Usage: tests/bench/billing.sh [billing_seconds=20] [pgbench_seconds=30]; last line: BENCH billing ...
# GOAL ratio >= 0.5
# GOAL drift == 0
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet run -c Release --project tests/bench/NanoBanana.Billing.Bench -- "${1:-20}" "${2:-30}"
