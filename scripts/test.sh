#!/usr/bin/env bash
# The README's test command: builds everything and runs every test (unit, property,
# differential, end-to-end, browser). Release profile: the same build `fiberplan plan` uses.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --release "$@"
