#!/usr/bin/env bash
# Builds the libFuzzer targets with clang + ASan/UBSan into build-fuzz/ and runs each for the
# given number of seconds, seeded from the captured byte streams in ../shared/testdata.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-20}
BUILD_DIR=build-fuzz
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCQLBULK_BUILD_TESTS=OFF -DCQLBULK_BUILD_FUZZ=ON -DCQLBULK_BUILD_SIM=OFF \
    -DCQLBULK_ENABLE_ASAN=ON -DCQLBULK_ENABLE_UBSAN=ON >/dev/null
fi
ninja -C "$BUILD_DIR" fuzz_targets
for target in "$BUILD_DIR"/tests/fuzz/*_fuzzer; do
  name=$(basename "$target")
  corpus="$BUILD_DIR/corpus/$name"
  mkdir -p "$corpus"
  if [ "$name" = frame_fuzzer ] && [ -z "$(ls -A "$corpus")" ]; then
    # Seed with the byte streams captured from a real Cassandra, prefixed by the mode byte.
    for f in ../shared/testdata/v4_*server_to_client.bin ../shared/testdata/v4_*client_to_server.bin; do
      (printf '\x00'; head -c 65536 "$f") >"$corpus/seed_$(basename "$f")"
    done
  fi
  # Parquet's targets start from what pyarrow writes (scripts/install-referees.sh), when it is
  # installed: valid blocks of every page codec, footers and page headers; Avro's from what
  # fastavro writes.
  referee_python="${CQLBULK_CACHE:-$HOME/.cache/cqlbulk}/referees/venv/bin/python"
  if [ -x "$referee_python" ] && [ -z "$(ls -A "$corpus")" ]; then
    case "$name" in
      block_decompress_fuzzer) "$referee_python" tests/fuzz/block_decompress_seeds.py "$corpus" >/dev/null ;;
      parquet_metadata_fuzzer) "$referee_python" tests/fuzz/parquet_metadata_seeds.py "$corpus" >/dev/null ;;
      parquet_reader_fuzzer) "$referee_python" tests/fuzz/parquet_reader_seeds.py "$corpus" ;;
      avro_container_fuzzer) "$referee_python" tests/fuzz/avro_container_seeds.py "$corpus" 2>/dev/null ;;
    esac
  fi
  if [ "$name" = parquet_encoding_fuzzer ] && [ -z "$(ls -A "$corpus")" ]; then
    # Seed with the worked examples of Encodings.md (target byte, parameter byte, then the
    # encoding): the hybrid, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY.
    printf '\x00\x03\x03\x88\xc6\xfa\x14\x04' >"$corpus/seed_rle"
    printf '\x05\x00\x80\x01\x04\x08\x0e\x03\x02\x00\x00\x00\xc0\x3f\x00\x00\x00\x00\x00\x00' \
      >"$corpus/seed_delta"
    printf '\x07\x00\x80\x01\x04\x04\x0a\x00\x01\x00\x00\x00\x02\x00\x00\x00HelloWorldFoobarABCDEF' \
      >"$corpus/seed_delta_length"
    printf '\x08\x00\x80\x01\x04\x04\x00\x03\x03\x00\x00\x00\x44\x01%b%b%baxislebabbleyhood' \
      '\0\0\0\0\0\0\0\0\0\0' '\x80\x01\x04\x04\x08\x03\x03\x00\x00\x00\x70' \
      '\0\0\0\0\0\0\0\0\0\0\0' >"$corpus/seed_delta_strings"
  fi
  "$target" "$corpus" -artifact_prefix="$BUILD_DIR/$name-" \
    -max_total_time="$SECONDS_PER_TARGET" -max_len=262144 -rss_limit_mb=2048 \
    >"$BUILD_DIR/$name.log" 2>&1 || { tail -50 "$BUILD_DIR/$name.log"; echo "fuzz: $name FAILED"; exit 1; }
  echo "fuzz: $name ok: $(grep -o 'Done [0-9]* runs in [0-9]* second' "$BUILD_DIR/$name.log" | tail -1)s"
done
