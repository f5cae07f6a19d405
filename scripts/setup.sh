#!/usr/bin/env bash
# Everything a fresh machine needs before `npm test`: the npm dependencies and
# the Debian packages of the reference tools the tests compare against.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund

missing=()
command -v iprange >/dev/null || missing+=(iprange)
/usr/bin/python3 -c 'import netaddr' 2>/dev/null || missing+=(python3-netaddr)
command -v unshare >/dev/null || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
