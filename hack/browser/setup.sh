#!/usr/bin/env bash
# Headless Chromium for the dashboard's browser test (test/integration/dashboard/), from
# Debian's packages: puppeteer-core drives this executable, so no browser is downloaded.
# Idempotent: does nothing when chromium is already installed.
set -euo pipefail
if command -v chromium >/dev/null; then
  exit 0
fi
echo "[setup] installing chromium from Debian (dashboard browser test)"
start=$(date +%s)
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "[setup] chromium $(chromium --version 2>/dev/null | awk '{print $2}') installed in $(( $(date +%s) - start ))s"
