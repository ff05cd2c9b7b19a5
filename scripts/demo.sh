#!/usr/bin/env bash
# The local demo (README's first command): sets everything up, starts the local
# control plane (real kube-apiserver, controller-manager, scheduler, etcd, KWOK
# nodes) and Prometheus, runs flagger-ts against it, promotes a healthy version of
# podinfo and rolls back a bad one, streaming the canary's events.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
node dist/hack/demo/run.js
