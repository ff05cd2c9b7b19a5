#!/usr/bin/env bash
# The one test command (README, CI): set up, lint, then run every test — unit
# tests and integration tests against the real local control plane and real
# Prometheus — in one node:test run whose closing summary CI reads.
# A cluster that is already up is reused and left up; one we start is stopped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

echo "[test] lint (eslint + prettier)"
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --check . ; exit 1; }

started_cluster=false
if ! node dist/hack/cluster/cli.js status >/dev/null 2>&1; then
  started_cluster=true
fi
node dist/hack/cluster/cli.js up >/dev/null
cleanup() {
  if [ "$started_cluster" = true ] && [ "${KEEP_CLUSTER:-false}" != true ]; then
    node dist/hack/cluster/cli.js down || true
  fi
}
trap cleanup EXIT

node scripts/run-tests.mjs unit integration
