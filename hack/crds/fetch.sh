#!/usr/bin/env bash
# Resolves every project in pins.txt to CRD files in the Go module cache and writes the
# index test/harness/third-party-crds.ts reads: $FLAGGER_TS_CACHE/crds/index.json, of the form
# {"<name>": {"module": "...", "version": "...", "files": ["/abs/path.yaml", ...]}}.
# Idempotent: `go mod download` returns at once for a module already in the cache.
# Usage: fetch.sh [name ...]   (default: every project)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export GOFLAGS=-mod=mod GOTOOLCHAIN=local GOWORK=off
command -v go >/dev/null || { echo "crds: 'go' not found on PATH" >&2; exit 1; }
cache=${FLAGGER_TS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/flagger-ts}
mkdir -p "$cache/crds"
index="$cache/crds/index.json"
tmp=$(mktemp "$cache/crds/index.XXXXXX")
trap 'rm -f "$tmp"' EXIT

want=" $* "
entries=()
while read -r name modver paths; do
  case "$name" in ''|'#'*) continue ;; esac
  if [ $# -gt 0 ] && [[ "$want" != *" $name "* ]]; then continue; fi
  # Run from a scratch directory so no go.mod around us takes part.
  json=$(cd "$cache/crds" && go mod download -json "$modver") || {
    echo "crds: go mod download $modver failed: $(printf '%s' "$json" | sed -n 's/.*"Error": "\(.*\)".*/\1/p')" >&2
    exit 1
  }
  dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  [ -n "$dir" ] || { echo "crds: no Dir for $modver: $json" >&2; exit 1; }
  files=()
  for p in $paths; do
    if [ -d "$dir/$p" ]; then
      while IFS= read -r f; do files+=("$f"); done < <(find "$dir/$p" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' \) | sort)
    elif [ -f "$dir/$p" ]; then
      files+=("$dir/$p")
    else
      echo "crds: $p not found in $modver ($dir)" >&2
      exit 1
    fi
  done
  list=$(printf '"%s",' "${files[@]}")
  entries+=("\"$name\":{\"module\":\"${modver%@*}\",\"version\":\"${modver#*@}\",\"files\":[${list%,}]}")
  echo "[crds] $name: $modver (${#files[@]} files)" >&2
done <"$here/pins.txt"

# Merge with an existing index so fetching one project keeps the others.
node -e '
const fs = require("fs");
const [index, fresh] = [process.argv[1], JSON.parse(process.argv[2])];
let old = {};
try { old = JSON.parse(fs.readFileSync(index, "utf8")); } catch {}
process.stdout.write(JSON.stringify({ ...old, ...fresh }, null, 2) + "\n");
' "$index" "{$(IFS=,; echo "${entries[*]}")}" >"$tmp"
mv "$tmp" "$index"
trap - EXIT
echo "$index"
