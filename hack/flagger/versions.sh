# Pinned version of the real Flagger the benchmark runs beside flagger-ts (bench/flagger/).
# Changing it here (and in go.mod, via `go get -tool github.com/fluxcd/flagger/cmd/flagger@<version>`
# in this directory) makes build.sh build the new version into a new cache path.
FLAGGER_VERSION=v1.44.0
FLAGGER_TS_CACHE=${FLAGGER_TS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/flagger-ts}
FLAGGER_BIN_DIR="$FLAGGER_TS_CACHE/bin"
