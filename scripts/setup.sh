#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: Node dependencies (from the
# lock file), the TypeScript build, the local control plane binaries (built from
# the Go module proxy, cached) and Prometheus (Debian). Idempotent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

for tool in node npm go openssl; do
  command -v "$tool" >/dev/null || { echo "setup: '$tool' is required but not on PATH" >&2; exit 1; }
done
node -e 'const [a]=process.versions.node.split(".").map(Number); if (a<20) { console.error("setup: Node.js >= 20 required, found "+process.versions.node); process.exit(1) }'

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "[setup] building TypeScript"
npx tsc -p tsconfig.json
npx tsc -p src/dashboard/web/tsconfig.json   # the dashboard's browser modules (DOM lib)
# I/O-bound installs (Debian packages, PyPI wheels, Go module downloads) run beside the
# CPU-bound Go builds instead of after them: on a fresh 2-core machine that saves minutes.
# All Debian packages come in one apt-get (two at once would fight over the dpkg lock);
# the scripts below find them installed and skip their own apt step.
mkdir -p "${FLAGGER_TS_CACHE:-$HOME/.cache/flagger-ts}"
bg_log="${FLAGGER_TS_CACHE:-$HOME/.cache/flagger-ts}/setup-background.log"
(
  set -euo pipefail
  missing=()
  command -v prometheus >/dev/null || missing+=(prometheus)
  command -v chromium >/dev/null || missing+=(chromium)
  # the Kuma lane redirects the Service range into its data plane, as Kuma's init container does
  command -v iptables >/dev/null || [ -x /usr/sbin/iptables ] || missing+=(iptables)
  { command -v carbon-cache >/dev/null && [ -d /usr/lib/python3/dist-packages/graphite ]; } ||
    missing+=(graphite-carbon graphite-web)
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "[setup] installing from Debian: ${missing[*]}"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  bash hack/browser/setup.sh             # Debian chromium for the dashboard browser test
  bash hack/crds/fetch.sh >/dev/null     # other projects' CRDs from their Go modules (hack/crds/pins.txt), for the tests
  bash hack/judge/setup-scipy.sh >/dev/null   # pinned SciPy venv: the judge's statistics are tested against it
) >"$bg_log" 2>&1 &
bg=$!

bash hack/cluster/build.sh
bash hack/tools/build.sh >/dev/null   # helm + hadolint for the packaging tests
bash hack/dataplane/build.sh >/dev/null   # Traefik, Skipper, Contour, Kuma, Envoy for the real-traffic lane (docs/providers/real-traffic.md)
bash hack/knative/build.sh >/dev/null     # Knative Serving + net-gateway-api for the knative lane file (docs/providers/knative.md)
bash hack/flagger/build.sh >/dev/null   # the real Flagger: the takeover test (test/integration/migration) and the benchmark
if ! wait "$bg"; then
  echo "setup: background installs failed; their log ($bg_log):" >&2
  tail -n 40 "$bg_log" >&2
  exit 1
fi
cat "$bg_log"
bash hack/metrics-backends/setup.sh   # moto (CloudWatch API) venv, Debian Graphite, influxd for the metric provider tests
