#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (as root) or a developer's checkout:
#   bash scripts/c2py.sh run    install what is missing, build, and run the lesson's examples
#   bash scripts/c2py.sh test   install what is missing, build (Release, ASan+UBSan, libFuzzer), run every test
# Idempotent: packages already installed and builds already up to date are left as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)
export DEBIAN_FRONTEND=noninteractive

started=$(date +%s)
# Each step says when it starts, in seconds since the command began: the time each part takes.
log() { printf '\n== [%ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }

install_packages() {
  # Debian package names; `--no-install-recommends` keeps libasio-dev from pulling in Boost.
  local wanted=(g++ cmake make pkg-config nlohmann-json3-dev libasio-dev doctest-dev python3 git ca-certificates)
  # clang and its runtime libraries (libFuzzer, sanitizers) build the fuzzers of tests/fuzz.
  if [ "${1:-}" = test ]; then wanted+=(neovim valgrind clangd clang libclang-rt-14-dev); fi
  local missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # Node.js and npm fetch the pinned grammars. A machine with its own node already carries npm;
  # Debian's npm package would conflict with it, so it is installed only when npm is absent.
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

install_grammars() {
  # tree-sitter core and grammars, pinned by package-lock.json; no install scripts run.
  if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.c2py-lock 2>/dev/null; then
    log "installing the pinned tree-sitter sources (npm ci)"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.c2py-lock
  fi
}

build() {  # build PRESET
  log "building ($1)"
  [ -f "build/$1/CMakeCache.txt" ] || cmake --preset "$1" >/dev/null
  cmake --build --preset "$1" -j "$jobs"
}

case "${1:-}" in
  run)
    install_packages run
    install_grammars
    build release
    log "c2py-lsp --check examples/lesson.c examples/lesson.py"
    ./build/release/c2py-lsp --check examples/lesson.c examples/lesson.py
    log "next: README.md, \"First five minutes\" (the server is build/release/c2py-lsp)"
    ;;
  test)
    install_packages test
    install_grammars
    # Each further test area may bring its own installer (editors, oracles): scripts/setup.d/*.sh.
    for step in scripts/setup.d/*.sh; do [ -f "$step" ] && bash "$step"; done
    build release
    log "tests (Release)"
    ctest --preset release -j "$jobs"
    build asan
    log "unit and protocol tests under AddressSanitizer and UndefinedBehaviorSanitizer"
    ctest --preset asan -j "$jobs" -L 'unit|protocol'
    build fuzz
    log "fuzzers: a fixed number of inputs each (scripts/fuzz.sh runs them longer)"
    ctest --preset fuzz -j "$jobs"
    log "the lesson's examples"
    ./build/release/c2py-lsp --check examples/lesson.c examples/lesson.py >/dev/null
    log "all tests passed"
    ;;
  *)
    echo "usage: bash scripts/c2py.sh run|test" >&2
    exit 2
    ;;
esac
