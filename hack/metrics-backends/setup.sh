#!/usr/bin/env bash
# Installs the real metric backends the provider integration tests run against:
# - moto's server (AWS CloudWatch API) in a venv under ~/.cache/flagger-ts, pinned;
# - Graphite (carbon-cache + graphite-web) from Debian. The tests start both as local
#   processes on loopback ports in a temp dir; the Debian services are not used.
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
log "ready: $VENV/bin/moto_server, $(command -v carbon-cache)"
