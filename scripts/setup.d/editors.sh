#!/usr/bin/env bash
# Editors (issue 7): what the editor tests need, on a fresh Debian 12 machine as root (Debian's
# packages and npm only). Run by `scripts/c2py.sh test` before the build; idempotent: each part
# is skipped when its lock file has not changed since it was installed.
#   - Debian: neovim and tmux (the Neovim test; tmux shows it as a terminal would, for the screenshot), emacs-nox, elpa-eglot and elpa-markdown-mode (the Emacs test; markdown-mode renders hovers), chromium (the browser playwright drives), ripgrep (VS Code's
#     search binary, which @vscode/ripgrep would download), libkrb5-dev (the native module
#     kerberos), g++/make/python3 (node-gyp).
#   - vscode-client/: `npm ci` (esbuild, tsc, vsce, vscode-languageclient).
#   - tests/editors/vscode/: code-server 4.100.3 (the last release that runs on node 20) and
#     playwright-core. A plain `npm install code-server` fails offline (its postinstall downloads),
#     so it is installed the long way: no scripts, then VS Code's own dependencies the same way,
#     Debian's rg where @vscode/ripgrep expects it, the symlinks code-server's postinstall makes,
#     and `npm rebuild` for the native modules against the installed node's headers.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export DEBIAN_FRONTEND=noninteractive
log() { printf '\n== editors: %s\n' "$*"; }
started=$(date +%s)

wanted=(neovim tmux emacs-nox elpa-eglot elpa-markdown-mode chromium ripgrep libkrb5-dev g++ make python3 pkg-config)
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# True when $1/node_modules does not match $1/package-lock.json (then: npm ci, mark_installed).
needs_install() { ! { [ -f "$1/node_modules/.c2py-lock" ] && cmp -s "$1/package-lock.json" "$1/node_modules/.c2py-lock"; }; }
mark_installed() { cp "$1/package-lock.json" "$1/node_modules/.c2py-lock"; }

# The README's own `npm ci` in vscode-client counts too: npm leaves node_modules/.package-lock.json,
# newer than the lock it installed from (a changed lock is newer again, and reinstalls).
client_current() { [ -f vscode-client/node_modules/.package-lock.json ] && [ vscode-client/node_modules/.package-lock.json -nt vscode-client/package-lock.json ]; }
if needs_install vscode-client && ! client_current; then
  log "npm ci in vscode-client"
  (cd vscode-client && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  mark_installed vscode-client
fi

e2e=tests/editors/vscode
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" != 20 ]; then
  log "node $(node --version) is not node 20: code-server 4.100.3 needs node 20, so the VS Code test cannot run"
  exit 0
fi
if needs_install "$e2e"; then
  log "npm ci in $e2e (code-server, playwright-core)"
  (cd "$e2e" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  # Native modules are built against the installed node's own headers, never downloaded ones.
  if [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
  export npm_config_yes=true npm_config_unsafe_perm=true
  vscode="$e2e/node_modules/code-server/lib/vscode"
  log "installing VS Code's own dependencies (as code-server's postinstall does: npm install from its shrinkwrap, minus the downloads)"
  (cd "$vscode" && npm install --ignore-scripts --omit=dev --no-audit --no-fund --loglevel=error)
  (cd "$vscode/extensions" && npm install --ignore-scripts --omit=dev --no-audit --no-fund --loglevel=error)
  mkdir -p "$vscode/node_modules/@vscode/ripgrep/bin"
  cp "$(command -v rg)" "$vscode/node_modules/@vscode/ripgrep/bin/rg"
  ln -sfn node_modules "$vscode/node_modules.asar"
  ln -sfn code-linux.sh "$vscode/bin/remote-cli/code-server"
  ln -sfn browser-linux.sh "$vscode/bin/helpers/browser.sh"
  log "building the native modules (kerberos, node-pty, spdlog, watchdog, argon2)"
  (cd "$vscode" && npm rebuild --ignore-scripts=false --loglevel=error)
  (cd "$e2e" && npm rebuild argon2 --ignore-scripts=false --loglevel=error)
  node "$e2e/node_modules/code-server/out/node/entry.js" --version >/dev/null
  mark_installed "$e2e"
fi
log "ready ($(( $(date +%s) - started )) s)"
