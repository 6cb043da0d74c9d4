#!/bin/sh
# The differential oracle over the whole corpus (issue 12): picks the programs of
# ../shared/corpora/real-python that run deterministically within a second of CPU with the
# standard library only, traces each under every CPython 3.11–3.13 found, and compares every
# visible name after every simple statement with the runtime model's c2py/heapSnapshot.
# Usage: bench/runtime_model_oracle.sh [BUILD_DIR] [JSON_REPORT]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build/release}
root=${C2PY_CORPUS:-$here/../../shared/corpora/real-python}
[ -d "$root" ] || root=/work/shared/corpora/real-python
list=$(mktemp)
trap 'rm -f "$list"' EXIT
python3 "$here/../tests/oracle/differential.py" --select --root "$root" > "$list"
echo "programs selected: $(wc -l < "$list")"
C2PY_LSP="$build/c2py-lsp" python3 "$here/../tests/oracle/differential.py" -v --list "$list" --root "$root" \
  ${2:+--json "$2"}
