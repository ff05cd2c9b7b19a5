#!/usr/bin/env bash
# Builds Knative Serving's controller, webhook and HPA autoscaler (knative.dev/serving) and
# the Gateway API ingress controller (knative.dev/net-gateway-api) from the Go module proxy,
# pinned by the go.mod/go.sum in serving-bin/ and net-gateway-api-bin/, into
# ~/.cache/flagger-ts/bin/knative-serving-<version>/ and net-gateway-api-<version>/
# (override the cache with FLAGGER_TS_CACHE). One Go build at a time, niced; a component is
# rebuilt only when its pinned version changes. Only the Knative lane file needs them
# (test/integration/traffic/knative.lane.ts, docs/providers/knative.md); scripts/setup.sh runs
# this. Prints the bin directory last on stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

# shellcheck source=../lib/build-common.sh
source "$here/../lib/build-common.sh"

# go_tools <module dir> <cache dir name> <package=binary>...: builds into one versioned dir.
go_tools() {
  local mod=$1 name=$2 dir="$KNATIVE_BIN_DIR/$2"
  shift 2
  local missing=0 pair
  for pair in "$@"; do [ -x "$dir/${pair#*=}" ] || missing=1; done
  [ "$missing" = 1 ] || return 0
  build() {
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    for pair in "$@"; do
      (cd "$here/$mod" && nice -n 19 go build -ldflags="-s -w" -o "$dir.tmp/${pair#*=}" "${pair%=*}")
    done
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  }
  with_progress "$name" build "$@"
}

total=$SECONDS
go_tools serving-bin "knative-serving-$KNATIVE_SERVING_VERSION" \
  knative.dev/serving/cmd/controller=controller \
  knative.dev/serving/cmd/webhook=webhook \
  knative.dev/serving/cmd/autoscaler-hpa=autoscaler-hpa
go_tools net-gateway-api-bin "net-gateway-api-$KNATIVE_NET_GATEWAY_API_VERSION" \
  knative.dev/net-gateway-api/cmd/controller=controller
# The knative lane reads Knative's config and CRDs from these modules' directories with
# `go mod download -json` (test/harness/third-party-crds.ts goModuleDir) inside a network
# namespace without network. Resolve them here the same way, so the module files and the
# checksum-database entries that command verifies against are in the cache (a build alone
# verifies through go.sum and caches no checksum-database entry).
pinned() { awk -v m="$1" '$1 == m { print $2; exit }' "$here/serving-bin/go.mod"; }
mkdir -p "$FLAGGER_TS_CACHE/crds"
for m in "knative.dev/serving@$KNATIVE_SERVING_VERSION" "knative.dev/net-gateway-api@$KNATIVE_NET_GATEWAY_API_VERSION" \
  "knative.dev/networking@$(pinned knative.dev/networking)" "knative.dev/caching@$(pinned knative.dev/caching)"; do
  (cd "$FLAGGER_TS_CACHE/crds" && GOFLAGS=-mod=mod go mod download -json "$m" >/dev/null) ||
    { log "go mod download $m failed"; exit 1; }
done
log "knative ready in $((SECONDS - total))s under $KNATIVE_BIN_DIR"
echo "$KNATIVE_BIN_DIR"
