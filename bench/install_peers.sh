#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the benchmark peers that come from a registry: DataStax Bulk Loader (DSBulk), at the
# version pinned in bench/peers/pom.xml, resolved from Maven Central with its runtime
# dependencies into a cache outside the repository:
#
#   ${CQLBULK_CACHE:-$HOME/.cache/cqlbulk}/dsbulk-<version>/{lib,conf,bin/dsbulk}
#
# and prints the launcher's path (the only thing written to stdout). Idempotent: a stamp file
# holding the hash of bench/peers/pom.xml and of this script marks a finished install, and a
# second run with both unchanged downloads nothing. --force reinstalls. Needs java (8 or later)
# and mvn.
#
#   bench/install_peers.sh            # -> /root/.cache/cqlbulk/dsbulk-1.10.0/bin/dsbulk
#   "$(bench/install_peers.sh)" --version
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pom="$here/peers/pom.xml"
force=0
case "${1:-}" in
  --force) force=1 ;;
  "") ;;
  -h|--help) sed -n '3,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [--force]" >&2; exit 2 ;;
esac

version=$(sed -n 's:.*<dsbulk.version>\(.*\)</dsbulk.version>.*:\1:p' "$pom")
[ -n "$version" ] || { echo "$0: no <dsbulk.version> in $pom" >&2; exit 1; }
cache="${CQLBULK_CACHE:-$HOME/.cache/cqlbulk}"
dest="$cache/dsbulk-$version"
stamp="$dest/.installed"
launcher="$dest/bin/dsbulk"
want=$(cat "$pom" "$0" | sha256sum | cut -d' ' -f1)

if [ "$force" = 0 ] && [ -x "$launcher" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "$launcher"
  exit 0
fi

command -v mvn >/dev/null || { echo "$0: mvn not found (apt-get install maven)" >&2; exit 1; }
command -v java >/dev/null || [ -n "${JAVA_HOME:-}" ] ||
  { echo "$0: java not found (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }

echo "installing DSBulk $version into $dest" >&2
mkdir -p "$cache"
# Resolve in a scratch copy of the pom: Maven leaves nothing in the repository, and a half
# finished download never replaces a good lib/.
work=$(mktemp -d "$cache/.dsbulk-$version.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$pom" "$work/pom.xml"
if ! (cd "$work" && mvn -B -q -Dstyle.color=never dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$work/lib") >"$work/mvn.log" 2>&1; then
  cat "$work/mvn.log" >&2
  echo "$0: resolving DSBulk $version from Maven Central failed" >&2
  exit 1
fi
ls "$work/lib"/dsbulk-runner-*.jar >/dev/null

# What DSBulk's distribution puts in conf/: an application.conf (DSBulk settings) including a
# driver.conf (Java driver settings), both empty of settings, first on the class path.
mkdir -p "$work/conf" "$work/bin"
cat >"$work/conf/application.conf" <<'EOF'
# DSBulk settings (see dsbulk-reference.conf in the dsbulk-workflow-commons jar)
include classpath("driver.conf")
dsbulk {
}
EOF
cat >"$work/conf/driver.conf" <<'EOF'
# Java driver settings (see driver-reference.conf in the dsbulk-workflow-commons jar)
datastax-java-driver {
}
EOF
# The distribution's bin/dsbulk, reduced to what it does on Linux: conf/ then every jar of lib/
# on the class path, DSBULK_JAVA_OPTS passed to the JVM. exec, so the caller's wait4 sees the JVM.
cat >"$work/bin/dsbulk" <<'EOF'
#!/bin/sh
# DataStax Bulk Loader launcher written by cqlbulk's bench/install_peers.sh.
home=$(cd "$(dirname "$0")/.." && pwd)
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/java}}
# shellcheck disable=SC2086 # DSBULK_JAVA_OPTS is a list of options
exec "${java:-java}" $DSBULK_JAVA_OPTS -cp "$home/conf:$home/lib/*" \
  com.datastax.oss.dsbulk.runner.DataStaxBulkLoader "$@"
EOF
chmod +x "$work/bin/dsbulk"

rm -rf "$dest"
mkdir -p "$dest"
mv "$work/lib" "$work/conf" "$work/bin" "$dest/"
echo "$want" >"$stamp"
echo "$launcher"
