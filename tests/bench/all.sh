#!/usr/bin/env bash
# Runs every benchmark tests/bench/*.sh (but this one), one after another, and prints one table: bench,
# figure, goal, verdict. A bench declares its goals in its own header, one line each:
#   # GOAL <key> <op> <value>      (op: >= > <= < ==; key: a key of its BENCH line)
# so a new bench joins the table by existing. A bench's full output is kept in $BENCH_LOGS (default
# tests/output/bench). Last line: BENCH all benches=… goals=… met=… missed=… failed=…
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOGS="${BENCH_LOGS:-$ROOT/tests/output/bench}"
mkdir -p "$LOGS"

ROWS=()
benches=0 goals=0 met=0 missed=0 failed=0
for script in "$ROOT"/tests/bench/*.sh; do
  name="$(basename "$script" .sh)"
  [[ "$name" == all ]] && continue
  benches=$((benches + 1))
  echo "== bench $name (log: $LOGS/$name.log)" >&2
  "$script" > "$LOGS/$name.log" 2>&1
  status=$?
  line="$(grep '^BENCH ' "$LOGS/$name.log" | tail -1)"
  echo "${line:-(no BENCH line; exit $status)}" >&2
  if [[ $status -ne 0 || -z "$line" ]]; then
    failed=$((failed + 1))
    ROWS+=("$name|exit $status, no figures|-|FAILED")
    continue
  fi

  declared=0
  while read -r _ _ key op goal; do
    declared=1
    goals=$((goals + 1))
    value="$(tr ' ' '\n' <<<"$line" | awk -F= -v k="$key" '$1 == k {print $2}')"
    if [[ -z "$value" ]]; then
      verdict="NO FIGURE"; missed=$((missed + 1))
    elif awk -v v="$value" -v g="$goal" -v op="$op" 'BEGIN {
           ok = (op == ">=" && v >= g) || (op == ">" && v > g) || (op == "<=" && v <= g) || (op == "<" && v < g) || (op == "==" && v == g)
           exit !ok }'; then
      verdict="met"; met=$((met + 1))
    else
      verdict="MISSED"; missed=$((missed + 1))
    fi
    ROWS+=("$name|$key=${value:-?}|$op $goal|$verdict")
  done < <(grep -E '^# GOAL [A-Za-z0-9_]+ (>=|>|<=|<|==) [0-9.]+$' "$script")
  [[ $declared -eq 1 ]] || ROWS+=("$name|${line#BENCH $name }|(no goal declared)|-")
done

echo
printf '%-12s %-40s %-12s %s\n' bench figure goal verdict
printf '%-12s %-40s %-12s %s\n' ------------ ---------------------------------------- ------------ -------
for row in "${ROWS[@]}"; do
  IFS='|' read -r name figure goal verdict <<<"$row"
  printf '%-12s %-40s %-12s %s\n' "$name" "$figure" "$goal" "$verdict"
done
echo "BENCH all benches=$benches goals=$goals met=$met missed=$missed failed=$failed"
