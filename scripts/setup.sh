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
# The real firewall tools of test/oracle/firewalls.ts (ORACLES.md).
command -v nft >/dev/null || missing+=(nftables)
command -v iptables-restore >/dev/null || missing+=(iptables)
command -v ipset >/dev/null || missing+=(ipset)
command -v nginx >/dev/null || missing+=(nginx-light)
command -v apache2 >/dev/null || missing+=(apache2)
command -v tcpdmatch >/dev/null || missing+=(tcpd)
command -v nc.openbsd >/dev/null || missing+=(netcat-openbsd)
command -v curl >/dev/null || missing+=(curl)
# pre-commit runs the hook of .pre-commit-hooks.yaml in a test; its python3-yaml reads the CI recipe.
command -v pre-commit >/dev/null || missing+=(pre-commit)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  # Debian starts nginx and apache2 as services when they install; the tests
  # start their own inside network namespaces. So service starts are forbidden
  # during the install (by a policy-rc.d of our own, unless one is in place),
  # and a daemon that started all the same is stopped by its pid file's PID.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# scripts/setup.sh: no service starts during its apt-get install.\nexit 101\n' >"$policy"
    chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
    own_policy=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  if [ -n "${own_policy:-}" ]; then
    rm -f "$policy"
    trap - EXIT
  fi
  for package in "${missing[@]}"; do
    case "$package" in
      nginx-light) pidfile=/run/nginx.pid ;;
      apache2) pidfile=/run/apache2/apache2.pid ;;
      *) continue ;;
    esac
    if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "Stopping $package, which its install started (PID $(cat "$pidfile") from $pidfile)"
      kill "$(cat "$pidfile")"
    fi
  done
fi

# The editor tests: code-server on Node 24 and Debian's chromium, cached between runs.
scripts/e2e/install-code-server.sh
