# Pinned versions of the local control plane. Changing one here (and in the
# matching go.mod) makes build.sh rebuild just that component.
K8S_VERSION=v1.36.3
ETCD_VERSION=v3.6.10
KWOK_VERSION=v0.8.0
FLAGGER_TS_CACHE=${FLAGGER_TS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/flagger-ts}
CLUSTER_BIN_DIR="$FLAGGER_TS_CACHE/bin"
