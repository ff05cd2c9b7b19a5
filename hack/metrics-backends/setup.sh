#!/usr/bin/env bash
# Installs the real metric backends the provider integration tests run against:
# - moto's server (AWS CloudWatch API) in a venv under ~/.cache/flagger-ts, pinned;
# - Graphite (carbon-cache + graphite-web) from Debian;
# - InfluxDB 1.8 (with Flux, /api/v2/query) built from the Go module proxy (about 5 min cold
#   on 2 cores, niced), into ~/.cache/flagger-ts/bin/influxd-<version>/.
# The tests start them as local processes on loopback ports in a temp dir; no system service is used.
# Idempotent: a second run checks versions and returns.
set -euo pipefail

MOTO_VERSION=5.2.5
CACHE=${FLAGGER_TS_CACHE:-$HOME/.cache/flagger-ts}
VENV=$CACHE/moto-$MOTO_VERSION
log() { printf '[metrics-backends %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [ ! -f "$VENV/.complete" ]; then
  command -v python3 >/dev/null || { echo "metrics-backends: python3 is required" >&2; exit 1; }
  log "installing moto[server]==$MOTO_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
  touch "$VENV/.complete"   # an interrupted install is redone, never half-used
fi

if ! command -v carbon-cache >/dev/null || [ ! -d /usr/lib/python3/dist-packages/graphite ]; then
  log "installing graphite-carbon and graphite-web from Debian"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends graphite-carbon graphite-web >/dev/null
fi
INFLUXDB_VERSION=1.8.10
INFLUXD=$CACHE/bin/influxd-$INFLUXDB_VERSION/influxd
if [ ! -x "$INFLUXD" ]; then
  command -v go >/dev/null || { echo "metrics-backends: go is required to build influxd" >&2; exit 1; }
  log "building influxd $INFLUXDB_VERSION from the Go module proxy (niced; about 5 min cold)"
  mkdir -p "$(dirname "$INFLUXD")"
  (cd "$(mktemp -d)" && GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off GOFLAGS=-trimpath GOBIN="$(dirname "$INFLUXD").tmp" \
    nice -n 10 go install "github.com/influxdata/influxdb/cmd/influxd@v$INFLUXDB_VERSION")
  mv "$(dirname "$INFLUXD").tmp/influxd" "$INFLUXD"
  rmdir "$(dirname "$INFLUXD").tmp"
fi
log "ready: $VENV/bin/moto_server, $(command -v carbon-cache), $INFLUXD"

