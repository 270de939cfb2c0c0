// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/formats/avro/schema.h"
#include "cqlbulk/formats/avro/value.h"

namespace cqlbulk::formats::avro {

/// \brief How to read values written with one schema as values of another (Avro 1.11
/// specification, "Schema Resolution"), worked out once for a pair of schemas and used by
/// Decoder::Next(const Resolution&).
///
/// Records match by their unqualified names and their fields by name: a writer's field the
/// reader lacks is read and dropped, a reader's field the writer lacks takes its default.
/// Enums and fixed match by unqualified name (and size); int promotes to long, float and
/// double, long to float and double, float to double, string and bytes to each other; decimals
/// match when precision and scale do. A reader's union takes the writer's value as its first
/// branch of the same type, else the first it can be promoted to. Aliases are not used.
/// Both schemas must outlive the Resolution.
class Resolution {
 public:
  /// \brief kInvalidArgument when a value of `writer` can never be read as `reader`, saying
  /// where (`manifest_entry.data_file: reader's field x has no default and the writer has
  /// no such field`). Mismatches inside a branch of a writer's union are reported only when a
  /// value of that branch is read.
  static Result<Resolution> Make(const Schema& writer, const Schema& reader);

  const Schema& writer() const noexcept { return *writer_; }
  const Schema& reader() const noexcept { return *reader_; }

 private:
  friend class Decoder;
  friend class ResolutionBuilder;

  enum class Op : uint8_t {
    kRead,         // same type: read the writer's node as it is
    kPromote,      // read the writer's primitive, convert to the reader's type
    kRecord,
    kEnum,
    kArray,        // also maps
    kWriterUnion,  // a step per writer branch
    kReaderUnion,  // the writer's value as the reader's branch
    kFail,         // a writer's union branch the reader cannot take
  };
  struct FieldStep {
    int32_t reader_field = -1;  // -1: read and drop
    uint32_t step = 0;
  };
  struct Step {
    Op op = Op::kRead;
    NodeId writer = 0;
    NodeId reader = 0;
    std::vector<FieldStep> fields;                  // kRecord: one per writer field
    std::vector<std::pair<size_t, Value>> defaults;  // kRecord: reader fields the writer lacks
    std::vector<int32_t> symbols;  // kEnum: writer symbol -> reader symbol, -1 for none
    std::vector<uint32_t> children;  // kArray: {items}; kWriterUnion: one per writer branch;
                                     // kReaderUnion: {the chosen branch's step}
    int32_t branch = 0;              // kReaderUnion: the reader's branch
    std::string message;             // kFail
  };

  Resolution(const Schema& writer, const Schema& reader) : writer_(&writer), reader_(&reader) {}

  const Schema* writer_;
  const Schema* reader_;
  std::vector<Step> steps_;  // steps_[0] is the roots'
};

}  // namespace cqlbulk::formats::avro
