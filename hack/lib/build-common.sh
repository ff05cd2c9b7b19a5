# Shared by hack/cluster/build.sh and hack/tools/build.sh: the Go build environment,
# log lines, and a heartbeat so a multi-minute cold build shows it is alive.
# Sourced, not run.

export GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off GOFLAGS=-trimpath
command -v go >/dev/null || { echo "build: 'go' not found on PATH; install Go >= 1.26" >&2; exit 1; }

log() { printf '[build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# with_progress <what> <command...>: runs the command, logging every 15 s until it ends.
with_progress() {
  local what=$1; shift
  local start=$SECONDS
  log "building $what ..."
  "$@" &
  local pid=$!
  local next=$((start + 15))
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if [ "$SECONDS" -ge "$next" ] && kill -0 "$pid" 2>/dev/null; then
      log "  $what: still building, $((SECONDS - start))s elapsed"
      next=$((next + 15))
    fi
  done
  if ! wait "$pid"; then log "FAILED building $what after $((SECONDS - start))s"; return 1; fi
  log "built $what in $((SECONDS - start))s"
}
