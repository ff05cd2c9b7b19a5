#!/usr/bin/env bash
# Installs the pinned SciPy (from PyPI) into a venv under the flagger-ts cache. The judge's
# statistics tests (test/judge-scipy/) compare our TypeScript against it on data generated at
# test time. Idempotent: a venv whose stamp matches the pins is reused.
# Prints the venv's python on its last line of stdout.
set -euo pipefail
SCIPY_VERSION=1.16.3
NUMPY_VERSION=2.3.5
cache="${FLAGGER_TS_CACHE:-$HOME/.cache/flagger-ts}"
venv="$cache/judge-venv/scipy-$SCIPY_VERSION-numpy-$NUMPY_VERSION"
stamp="$venv/.flagger-ts-ok"

if [ ! -f "$stamp" ]; then
  command -v python3 >/dev/null || { echo "judge setup: python3 (>= 3.11, with venv) is required" >&2; exit 1; }
  start=$SECONDS
  echo "[judge setup] installing scipy $SCIPY_VERSION + numpy $NUMPY_VERSION (PyPI wheels) into $venv" >&2
  rm -rf "$venv.tmp"
  python3 -m venv "$venv.tmp"
  "$venv.tmp/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
    "numpy==$NUMPY_VERSION" "scipy==$SCIPY_VERSION" >&2
  # venvs hard-code their path in scripts; the tests only run bin/python, which resolves its prefix itself.
  rm -rf "$venv" && mv "$venv.tmp" "$venv"
  touch "$stamp"
  echo "[judge setup] done in $((SECONDS - start))s" >&2
fi
echo "$venv/bin/python"
