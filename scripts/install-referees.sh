#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the independent referees of the file formats, pinned in tests/referees/ (never
# linked into the product), into a cache outside the repository:
#
#   ${CQLBULK_CACHE:-$HOME/.cache/cqlbulk}/referees/venv          pyarrow, DuckDB (PyPI), in a
#       virtual environment of /usr/bin/python3 that also sees Debian's python3-cassandra
#   ${CQLBULK_CACHE:-$HOME/.cache/cqlbulk}/referees/node_modules  hyparquet (npm ci)
#
# and prints the cache folder (the only thing written to stdout); tests find the venv's python
# and node_modules there (CMake's CQLBULK_REFEREES). Idempotent: a stamp holding the hash of the
# pinned lists and of this script marks a finished install. --force reinstalls.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
pins="$here/tests/referees"
force=0
case "${1:-}" in
  --force) force=1 ;;
  "") ;;
  -h|--help) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [--force]" >&2; exit 2 ;;
esac

dest="${CQLBULK_CACHE:-$HOME/.cache/cqlbulk}/referees"
stamp="$dest/.installed"
want=$(cat "$pins/requirements.txt" "$pins/package.json" "$pins/package-lock.json" "$0" |
       sha256sum | cut -d' ' -f1)
if [ "$force" = 0 ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "$dest"
  exit 0
fi

echo "installing the format referees into $dest" >&2
rm -rf "$dest"
mkdir -p "$dest"
/usr/bin/python3 -m venv --system-site-packages "$dest/venv" >&2
"$dest/venv/bin/pip" install -q --disable-pip-version-check -r "$pins/requirements.txt" >&2
cp "$pins/package.json" "$pins/package-lock.json" "$dest/"
(cd "$dest" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >&2
echo "$want" >"$stamp"
echo "$dest"
