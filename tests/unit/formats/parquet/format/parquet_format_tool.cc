// SPDX-License-Identifier: Apache-2.0
// The C++ side of interop_test.py (a test tool, not a product):
//   parquet_format_tool dump <file.parquet>
//       ParseFileMetaData on the footer and ParsePageHeader on every page of every column
//       chunk; prints JSON {footer_length, metadata, reserialized_equal, chunks: [[{start,
//       pages: [{offset, header_size, header}]}]]}.
//   parquet_format_tool rewrite <in.parquet> <out.parquet>
//       Copies the file with its footer replaced by Serialize(ParseFileMetaData(footer)).
//   parquet_format_tool write <metadata.json> <out.parquet>
//       Writes "PAR1", Serialize(metadata), its length, "PAR1" (a file with no row groups
//       when the JSON has none); prints the parsed-back metadata as JSON.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cqlbulk/formats/parquet/format/metadata.h"
#include "metadata_json.h"

namespace {

using namespace cqlbulk;
using namespace cqlbulk::formats::parquet;
using nlohmann::json;

constexpr std::string_view kMagic = "PAR1";

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << "parquet_format_tool: " << message << "\n";
  std::exit(1);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Fail("cannot open " + path);
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    Fail("cannot write " + path);
  }
}

// The footer of a whole file (between the data and the trailing length and magic).
std::string_view Footer(std::string_view file) {
  if (file.size() < 12 || file.substr(0, 4) != kMagic || file.substr(file.size() - 4) != kMagic) {
    Fail("not a Parquet file");
  }
  const auto* tail = reinterpret_cast<const uint8_t*>(file.data() + file.size() - 8);
  const uint32_t length = uint32_t{tail[0]} | uint32_t{tail[1]} << 8 | uint32_t{tail[2]} << 16 |
                          uint32_t{tail[3]} << 24;
  if (length > file.size() - 12) {
    Fail("footer length past the start of the file");
  }
  return file.substr(file.size() - 8 - length, length);
}

FileMetaData ParseOrFail(std::string_view footer) {
  Result<FileMetaData> metadata = ParseFileMetaData(AsBytes(footer));
  if (!metadata.has_value()) {
    Fail(metadata.error().ToString());
  }
  return std::move(metadata).value();
}

std::string Trailer(size_t footer_length) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) {
    out[static_cast<size_t>(i)] = static_cast<char>(footer_length >> (8 * i));
  }
  return out.append(kMagic);
}

// Every page header of a column chunk, from its first page to total_compressed_size.
json Pages(std::string_view file, const ColumnMetaData& column) {
  int64_t start = column.data_page_offset;
  if (column.dictionary_page_offset.has_value() && *column.dictionary_page_offset > 0) {
    start = std::min(start, *column.dictionary_page_offset);
  }
  const int64_t end = start + column.total_compressed_size;
  if (start < 4 || end > static_cast<int64_t>(file.size())) {
    Fail("column chunk outside the file");
  }
  json pages = json::array();
  for (int64_t offset = start; offset < end;) {
    auto chunk = AsBytes(file.substr(static_cast<size_t>(offset), static_cast<size_t>(end - offset)));
    size_t header_size = 0;
    Result<PageHeader> header = ParsePageHeader(chunk, &header_size);
    if (!header.has_value()) {
      Fail("page at " + std::to_string(offset) + ": " + header.error().ToString());
    }
    pages.push_back({{"offset", offset}, {"header_size", header_size}, {"header", testing::ToJson(*header)}});
    offset += static_cast<int64_t>(header_size) + header->compressed_page_size;
  }
  return {{"start", start}, {"pages", std::move(pages)}};
}

int Dump(const std::string& path) {
  const std::string file = ReadFile(path);
  const std::string_view footer = Footer(file);
  const FileMetaData metadata = ParseOrFail(footer);
  data::Buffer again;
  Serialize(metadata, again);
  Result<FileMetaData> reparsed = ParseFileMetaData(again.view());
  json chunks = json::array();
  for (const RowGroup& row_group : metadata.row_groups) {
    json columns = json::array();
    for (const ColumnChunk& chunk : row_group.columns) {
      if (!chunk.meta_data.has_value()) {
        Fail("a column chunk without meta_data");
      }
      columns.push_back(Pages(file, *chunk.meta_data));
    }
    chunks.push_back(std::move(columns));
  }
  json out = {{"footer_length", footer.size()},
              {"metadata", testing::ToJson(metadata)},
              {"reserialized_equal", reparsed.has_value() && *reparsed == metadata},
              {"chunks", std::move(chunks)}};
  std::cout << out.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  return 0;
}

int Rewrite(const std::string& in, const std::string& out) {
  const std::string file = ReadFile(in);
  const std::string_view footer = Footer(file);
  const FileMetaData metadata = ParseOrFail(footer);
  data::Buffer ours;
  Serialize(metadata, ours);
  std::string bytes(file.substr(0, file.size() - 8 - footer.size()));
  bytes.append(AsChars(ours.view())).append(Trailer(ours.size()));
  WriteFile(out, bytes);
  return 0;
}

int Write(const std::string& json_path, const std::string& out) {
  const FileMetaData metadata = testing::FileMetaDataFromJson(json::parse(ReadFile(json_path)));
  data::Buffer footer;
  Serialize(metadata, footer);
  std::string bytes(kMagic);
  bytes.append(AsChars(footer.view())).append(Trailer(footer.size()));
  WriteFile(out, bytes);
  const FileMetaData parsed = ParseOrFail(AsChars(footer.view()));
  std::cout << testing::ToJson(parsed).dump(-1, ' ', false, json::error_handler_t::replace)
            << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "dump" && argc == 3) {
    return Dump(argv[2]);
  }
  if (mode == "rewrite" && argc == 4) {
    return Rewrite(argv[2], argv[3]);
  }
  if (mode == "write" && argc == 4) {
    return Write(argv[2], argv[3]);
  }
  std::cerr << "usage: parquet_format_tool dump <file> | rewrite <in> <out> | write <json> <out>\n";
  return 2;
}
