#!/usr/bin/env bash
# Builds the local control-plane binaries (kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl, etcd, kwok) from the Go module proxy, pinned by the
# go.mod/go.sum files beside this script. Binaries land in a cache outside the repo,
# keyed by version, and are rebuilt only when a pinned version changes.
# Prints the cache bin dir on its last line of stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

# shellcheck source=../lib/build-common.sh
source "$here/../lib/build-common.sh"

k8s_dir="$CLUSTER_BIN_DIR/k8s-$K8S_VERSION"
etcd_dir="$CLUSTER_BIN_DIR/etcd-$ETCD_VERSION"
kwok_dir="$CLUSTER_BIN_DIR/kwok-$KWOK_VERSION"

build_k8s() {
  local v=$K8S_VERSION minor=${K8S_VERSION#v1.} ldflags="-s -w"
  minor=${minor%%.*}
  local date; date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date"
  done
  mkdir -p "$k8s_dir.tmp"
  (cd "$here/k8s-bins" && go build -tags=selinux,notest,grpcnotrace -ldflags="$ldflags" -o "$k8s_dir.tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
  rm -rf "$k8s_dir" && mv "$k8s_dir.tmp" "$k8s_dir"
}

build_etcd() {
  mkdir -p "$etcd_dir.tmp"
  (cd "$here/etcd-bin" && go build -ldflags="-s -w" -o "$etcd_dir.tmp/etcd" go.etcd.io/etcd/server/v3)
  rm -rf "$etcd_dir" && mv "$etcd_dir.tmp" "$etcd_dir"
}

build_kwok() {
  mkdir -p "$kwok_dir.tmp"
  (cd "$here/kwok-bin" && go build -ldflags="-s -w" -o "$kwok_dir.tmp/kwok" sigs.k8s.io/kwok/cmd/kwok)
  rm -rf "$kwok_dir" && mv "$kwok_dir.tmp" "$kwok_dir"
}

total=$SECONDS
[ -x "$etcd_dir/etcd" ] || with_progress "etcd $ETCD_VERSION" build_etcd
[ -x "$kwok_dir/kwok" ] || with_progress "kwok $KWOK_VERSION" build_kwok
if [ ! -x "$k8s_dir/kube-apiserver" ] || [ ! -x "$k8s_dir/kubectl" ]; then
  log "first build of Kubernetes $K8S_VERSION: on 2 cores expect 10-20 minutes"
  with_progress "kube-apiserver, kube-controller-manager, kube-scheduler, kubectl $K8S_VERSION" build_k8s
fi
log "binaries ready in $((SECONDS - total))s under $CLUSTER_BIN_DIR"
