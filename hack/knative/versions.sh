# Pinned versions of Knative Serving and its Gateway API networking layer, run for real by
# test/integration/traffic/knative.lane.ts. Changing one here (and in the matching *-bin/go.mod,
# via `go get -tool <module>/cmd/<bin>@<version>` in that directory) makes build.sh rebuild it.
#
# v0.42.2 (Knative 1.15), not the v0.51.0 whose CRDs the object-level tests use: v0.51.0
# requires knative.dev/pkg, knative.dev/networking and knative.dev/caching at pseudo-versions
# the module proxy refuses (403 "This module version is not available"); v0.42.2's are served.
# Kourier, net-contour and net-istio are refused at every version tried; net-gateway-api
# v0.42.0 is served and uses the same knative.dev/pkg and networking as serving v0.42.2.
KNATIVE_SERVING_VERSION=v0.42.2
KNATIVE_NET_GATEWAY_API_VERSION=v0.42.0
FLAGGER_TS_CACHE=${FLAGGER_TS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/flagger-ts}
KNATIVE_BIN_DIR="$FLAGGER_TS_CACHE/bin"
