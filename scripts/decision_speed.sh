#!/usr/bin/env bash
# Keystrokes and wall time per decision, measured on the real binary in a pseudo-terminal
# (tests/tui_e2e.rs: ten_orders_in_a_row_at_full_speed) on the demo queue, with the
# default 5 s undo window on. Runs the release build at two queue lengths, three times each.
#   scripts/decision_speed.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
cargo test --release --test tui_e2e --no-run >/dev/null 2>&1
for n in 10 20; do
  for _ in $(seq 1 "$runs"); do
    ICP_E2E_ORDERS=$n cargo test --release --test tui_e2e ten_orders_in_a_row_at_full_speed \
      -- --nocapture 2>&1 | grep 'decision speed' || { echo "run failed" >&2; exit 1; }
  done
done
