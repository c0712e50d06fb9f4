#!/usr/bin/env bash
# Run CI's own entry point N times in a row, each from a fresh clone of this repository's
# committed HEAD, and print one line per run: its result, pytest's summary and the time.
# Stops at the first red run (its log is kept). Usage: scripts/flake_check.sh [N] [REF]
set -uo pipefail
runs=${1:-3}
ref=${2:-HEAD}
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
commit=$(git -C "$repo" rev-parse "$ref")
logs=$(mktemp -d /tmp/flake-check.XXXXXX)
echo "flake check: $runs clean-clone runs of .ci/run at ${commit:0:12}; logs in $logs"

for n in $(seq 1 "$runs"); do
  clone="$logs/clone-$n"
  git clone -q "$repo" "$clone" && git -C "$clone" checkout -q "$commit"
  started=$(date +%s)
  (cd "$clone" && CI=true bash .ci/run </dev/null >"$logs/run-$n.log" 2>&1)
  status=$?
  seconds=$(($(date +%s) - started))
  summary=$(grep -E '^=* ?[0-9]+ (passed|failed)|[0-9]+ passed' "$logs/run-$n.log" | tail -1)
  echo "run $n: exit $status in ${seconds}s — ${summary}"
  if [ "$status" -ne 0 ]; then
    grep -E '^(FAILED|ERROR) ' "$logs/run-$n.log" | head -20
    exit 1
  fi
  rm -rf "$clone"
done
echo "flake check: $runs of $runs green"
