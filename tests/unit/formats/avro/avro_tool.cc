// SPDX-License-Identifier: Apache-2.0
// The test driver of avro_interop_test.py: converts between JSON lines (the Avro JSON
// encoding, NaN and infinities as strings) and Avro object container files with our writer
// and reader, so that fastavro and avsc can read what we write and we can read what they write.
//
//   avro_tool write --schema SCHEMA.json --input VALUES.jsonl --output OUT.avro
//       [--codec null|deflate|snappy] [--level N] [--block-records N] [--block-bytes N]
//       [--meta KEY=VALUE]...
//
//   avro_tool read IN.avro [--reader-schema SCHEMA.json]
//
// `write` prints {"records": N, "blocks": N, "bytes": N}. `read` prints each record as a JSON
// line (the JSON encoding of the reader's schema, else the writer's), then a last line
// {"codec": ..., "blocks": N, "metadata": {...}} with every metadata entry.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cqlbulk/formats/avro/container.h"
#include "cqlbulk/formats/avro/value_json.h"
#include "cqlbulk/formats/io/file_stream.h"
#include "cqlbulk/formats/text/scalar_text.h"

namespace cqlbulk::formats::avro {
namespace {

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << "avro_tool: " << message << "\n";
  std::exit(1);
}

template <typename T>
T Check(Result<T> r, const char* what) {
  if (!r.has_value()) Fail(std::string(what) + ": " + r.error().ToString());
  return std::move(*r);
}

void Check(Status s, const char* what) {
  if (!s.has_value()) Fail(std::string(what) + ": " + s.error().ToString());
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail("cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

int Write(const std::vector<std::string>& args) {
  std::string schema_path, input, output;
  ContainerWriterOptions options;
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    const std::string& flag = args[i];
    const std::string& value = args[i + 1];
    if (flag == "--schema") {
      schema_path = value;
    } else if (flag == "--input") {
      input = value;
    } else if (flag == "--output") {
      output = value;
    } else if (flag == "--codec") {
      options.codec = Check(ParseCodec(value), "--codec");
    } else if (flag == "--level") {
      options.deflate_level = std::stoi(value);
    } else if (flag == "--block-records") {
      options.block_records = std::stoul(value);
    } else if (flag == "--block-bytes") {
      options.block_bytes = std::stoul(value);
    } else if (flag == "--meta") {
      size_t eq = value.find('=');
      if (eq == std::string::npos) Fail("--meta takes KEY=VALUE");
      options.metadata.emplace_back(value.substr(0, eq), value.substr(eq + 1));
    } else {
      Fail("unknown flag " + flag);
    }
  }
  Schema schema = Check(Schema::Parse(ReadText(schema_path)), "schema");
  auto sink = Check(FileOutputStream::Open(output), "output");
  auto writer = Check(ContainerWriter::Make(schema, std::move(sink), options), "writer");
  std::ifstream in(input);
  if (!in) Fail("cannot read " + input);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    Value value = Check(ValueFromJsonText(schema, line), "input value");
    Check(writer->Append(value), "append");
  }
  Check(writer->Close(), "close");
  std::cout << "{\"records\":" << writer->num_records() << ",\"blocks\":" << writer->num_blocks()
            << ",\"bytes\":" << writer->bytes_written() << "}\n";
  return 0;
}

int Read(const std::vector<std::string>& args) {
  if (args.empty()) Fail("read takes a file");
  ContainerReaderOptions options;
  for (size_t i = 1; i + 1 < args.size(); i += 2) {
    if (args[i] == "--reader-schema") {
      options.reader_schema = Check(Schema::Parse(ReadText(args[i + 1])), "reader schema");
    } else {
      Fail("unknown flag " + args[i]);
    }
  }
  auto source = Check(FileInputStream::Open(args[0]), "input");
  auto reader =
      Check(ContainerReader::Open(std::move(source), args[0], std::move(options)), "open");
  std::string out;
  while (true) {
    std::optional<Value> value = Check(reader->Next(), "read");
    if (!value) break;
    out = Check(ValueToJson(reader->schema(), *value), "to JSON");
    out += '\n';
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  out = "{\"codec\":";
  AppendJsonString(CodecName(reader->codec()), out);
  out += ",\"blocks\":" + std::to_string(reader->num_blocks_read()) + ",\"metadata\":{";
  bool first = true;
  for (const auto& [key, value] : reader->metadata()) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(key, out);
    out += ':';
    AppendJsonString(value, out);
  }
  out += "}}\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace
}  // namespace cqlbulk::formats::avro

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << "usage: avro_tool write|read ...\n";
    return 2;
  }
  std::string command = args.front();
  args.erase(args.begin());
  if (command == "write") return cqlbulk::formats::avro::Write(args);
  if (command == "read") return cqlbulk::formats::avro::Read(args);
  std::cerr << "avro_tool: unknown command " << command << "\n";
  return 2;
}
