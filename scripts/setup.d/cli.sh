#!/usr/bin/env bash
# The command line's tests (tests/protocol/test_cli.py): the SARIF 2.1.0 JSON schema, shipped by
# the npm package @microsoft/jest-sarif, and ajv to validate `--check --output-format sarif`
# against it. Idempotent: skipped while the lock file is unchanged since the last install.
set -euo pipefail
cd "$(dirname "$0")/../../tests/protocol/sarif"
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.c2py-lock 2>/dev/null; then
  printf '\n== cli: installing the SARIF schema and ajv (npm ci)\n'
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.c2py-lock
fi
