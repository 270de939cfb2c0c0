#!/usr/bin/env bash
# Installs what cqlbulk needs to build, test and run its demo, from Debian's packages only.
# Idempotent: does nothing when everything is present. Run as root (or with sudo available).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  clang libclang-rt-14-dev          # libFuzzer targets (tests/fuzz)
  libgtest-dev libgmock-dev libbenchmark-dev
  libasio-dev libssl-dev zlib1g-dev liblz4-dev libsnappy-dev libzstd-dev libbz2-dev liblzma-dev libbrotli-dev libsqlite3-dev
  nlohmann-json3-dev
  libpq-dev postgresql              # the shared Iceberg catalog (the tests start their own server)
  python3 python3-cassandra         # the DataStax Python driver: an independent referee
  gzip zstd lz4 bzip2 xz-utils python3-snappy  # the codecs' own tools: referees of formats/io
  openssl                           # throwaway CAs and certificates for the TLS tests
  openjdk-17-jre-headless maven     # scripts/cassandra.sh: a real Apache Cassandra (jars via Maven)
  procps iproute2 util-linux        #   ps/kill, ss (ports in use), setsid
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
