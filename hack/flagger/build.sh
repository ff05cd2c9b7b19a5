#!/usr/bin/env bash
# Builds the real Flagger (github.com/fluxcd/flagger/cmd/flagger, pinned by the go.mod/go.sum
# beside this script, no replace directives) into ~/.cache/flagger-ts/bin/flagger-<version>
# (override the cache with FLAGGER_TS_CACHE). Only the benchmark against Flagger needs it
# (docs/benchmarks.md). Idempotent: nothing is built when the pinned binary is already there.
# Prints the binary's path on its last line of stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

# shellcheck source=../lib/build-common.sh
source "$here/../lib/build-common.sh"

bin="$FLAGGER_BIN_DIR/flagger-$FLAGGER_VERSION"

build_flagger() {
  # Built into a temporary name and renamed, so an interrupted build never leaves a binary
  # that a later run would take for a finished one. Niced: the machine is usually shared.
  mkdir -p "$FLAGGER_BIN_DIR"
  (cd "$here" && nice -n 10 go build -ldflags="-s -w" -o "$bin.tmp" github.com/fluxcd/flagger/cmd/flagger)
  mv "$bin.tmp" "$bin"
}

if [ ! -x "$bin" ]; then
  log "first build of flagger $FLAGGER_VERSION: on 2 cores with cold Go caches expect several minutes"
  with_progress "flagger $FLAGGER_VERSION" build_flagger
fi
echo "$bin"
