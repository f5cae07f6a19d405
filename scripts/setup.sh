#!/usr/bin/env bash
# Everything a fresh machine needs before `npm test`: the npm dependencies,
# the Debian packages of the reference tools the tests compare against,
# Neovim, and code-server with chromium for the tests in a real VS Code.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund

missing=()
command -v iprange >/dev/null || missing+=(iprange)
/usr/bin/python3 -c 'import netaddr' 2>/dev/null || missing+=(python3-netaddr)
command -v unshare >/dev/null || missing+=(util-linux)
command -v nvim >/dev/null || missing+=(neovim)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

# The editor tests: code-server on Node 24 and Debian's chromium, cached between runs.
scripts/e2e/install-code-server.sh
