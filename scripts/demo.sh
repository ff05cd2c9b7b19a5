#!/usr/bin/env bash
# The local demo: sets everything up, starts the local control plane (real
# kube-apiserver, controller-manager, scheduler, etcd, KWOK nodes) and Prometheus,
# and shows it healthy. Later steps install flagger-ts and run a canary on it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
node dist/hack/cluster/cli.js up >/dev/null
eval "$(node dist/hack/cluster/cli.js env)"
echo
node dist/hack/cluster/cli.js status
echo
kubectl get nodes -o wide
echo
echo "The cluster stays up. Explore it with:"
echo "  eval \"\$(node dist/hack/cluster/cli.js env)\"   # KUBECONFIG, PROMETHEUS_URL, kubectl on PATH"
echo "  kubectl get nodes"
echo "Stop it with: node dist/hack/cluster/cli.js down"
