// SPDX-License-Identifier: Apache-2.0
// Schema resolution ("Schema Resolution"): Resolution::Make works out the steps for a pair of
// schemas; Decoder::Next(const Resolution&) reads through them.
#include "cqlbulk/formats/avro/resolve.h"

#include <map>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/avro/encoding.h"
#include "cqlbulk/formats/text/json_parse.h"

namespace cqlbulk::formats::avro {
namespace {

std::string_view ShortName(std::string_view full_name) {
  size_t dot = full_name.rfind('.');
  return dot == std::string_view::npos ? full_name : full_name.substr(dot + 1);
}

// "the writer's schema may be promoted to the reader's".
bool Promotes(Type writer, Type reader) {
  switch (writer) {
    case Type::kInt:
      return reader == Type::kLong || reader == Type::kFloat || reader == Type::kDouble;
    case Type::kLong:
      return reader == Type::kFloat || reader == Type::kDouble;
    case Type::kFloat:
      return reader == Type::kDouble;
    case Type::kString:
      return reader == Type::kBytes;
    case Type::kBytes:
      return reader == Type::kString;
    default:
      return false;
  }
}

std::string Describe(const Node& n) {
  return n.is_named() ? std::string(TypeName(n.type)) + " " + n.full_name
                      : std::string(TypeName(n.type));
}

}  // namespace

class ResolutionBuilder {
 public:
  static Resolution::Step MakeStep(Resolution::Op op, NodeId w, NodeId r) {
    Resolution::Step step;
    step.op = op;
    step.writer = w;
    step.reader = r;
    return step;
  }

  explicit ResolutionBuilder(Resolution& resolution)
      : r_(resolution), writer_(*resolution.writer_), reader_(*resolution.reader_) {}

  Result<uint32_t> Resolve(NodeId w, NodeId r) {
    if (auto it = memo_.find({w, r}); it != memo_.end()) {
      return it->second;
    }
    const Node& wn = writer_.node(w);
    const Node& rn = reader_.node(r);
    if (wn.type == Type::kUnion) {
      uint32_t id = Add(MakeStep(Resolution::Op::kWriterUnion, w, r), w, r);
      std::vector<uint32_t> children;
      for (NodeId branch : wn.children) {
        Result<uint32_t> child = Resolve(branch, r);
        if (child.has_value()) {
          children.push_back(*child);
        } else {
          Resolution::Step fail = MakeStep(Resolution::Op::kFail, branch, r);
          fail.message = std::move(child).error().message();
          children.push_back(Add(std::move(fail)));
        }
      }
      r_.steps_[id].children = std::move(children);
      return id;
    }
    if (rn.type == Type::kUnion) {
      std::optional<size_t> branch = MatchingBranch(wn, rn);
      if (!branch) {
        return Fail("the writer's " + Describe(wn) + " matches no branch of the reader's union");
      }
      Resolution::Step step = MakeStep(Resolution::Op::kReaderUnion, w, r);
      step.branch = static_cast<int32_t>(*branch);
      uint32_t id = Add(std::move(step), w, r);
      CQLBULK_ASSIGN_OR_RETURN(uint32_t child, Resolve(w, rn.children[*branch]));
      r_.steps_[id].children = {child};
      return id;
    }
    if (wn.type != rn.type) {
      if (Promotes(wn.type, rn.type)) {
        return Add(MakeStep(Resolution::Op::kPromote, w, r), w, r);
      }
      return Fail("the writer's " + Describe(wn) + " cannot be read as " + Describe(rn));
    }
    switch (wn.type) {
      case Type::kRecord:
        return Record(w, r);
      case Type::kEnum:
        return Enum(w, r);
      case Type::kArray:
      case Type::kMap: {
        uint32_t id = Add(MakeStep(Resolution::Op::kArray, w, r), w, r);
        size_t mark = Push(wn.type == Type::kArray ? "[]" : "{}");
        CQLBULK_ASSIGN_OR_RETURN(uint32_t child, Resolve(wn.children.front(), rn.children.front()));
        Pop(mark);
        r_.steps_[id].children = {child};
        return id;
      }
      case Type::kFixed:
        if (wn.size != rn.size) {
          return Fail("the writer's " + Describe(wn) + " of " + std::to_string(wn.size) +
                      " bytes cannot be read as " + Describe(rn) + " of " +
                      std::to_string(rn.size));
        }
        [[fallthrough]];
      default:
        if (wn.logical_type == LogicalType::kDecimal && rn.logical_type == LogicalType::kDecimal &&
            (wn.precision != rn.precision || wn.scale != rn.scale)) {
          return Fail("the writer's decimal(" + std::to_string(wn.precision) + ", " +
                      std::to_string(wn.scale) + ") cannot be read as decimal(" +
                      std::to_string(rn.precision) + ", " + std::to_string(rn.scale) + ")");
        }
        return Add(MakeStep(Resolution::Op::kRead, w, r), w, r);
    }
  }

 private:
  uint32_t Add(Resolution::Step step) {
    r_.steps_.push_back(std::move(step));
    return static_cast<uint32_t>(r_.steps_.size() - 1);
  }
  // Also remembers the pair, so that a recursive record resolves to itself.
  uint32_t Add(Resolution::Step step, NodeId w, NodeId r) {
    uint32_t id = Add(std::move(step));
    memo_[{w, r}] = id;
    return id;
  }

  size_t Push(std::string_view step) {
    size_t mark = path_.size();
    if (step.front() != '[' && step.front() != '{') path_ += '.';
    path_ += step;
    return mark;
  }
  void Pop(size_t mark) { path_.resize(mark); }
  Error Fail(std::string_view what) const {
    const Node& root = writer_.root_node();
    std::string where = (root.is_named() ? root.full_name : std::string("value")) + path_;
    return InvalidArgument(where + ": " + std::string(what));
  }

  // The reader's first branch of the writer's type (named types by unqualified name), else
  // the first the writer's type promotes to.
  std::optional<size_t> MatchingBranch(const Node& wn, const Node& rn) const {
    for (size_t i = 0; i < rn.children.size(); ++i) {
      const Node& b = reader_.node(rn.children[i]);
      bool same_name = !wn.is_named() || ShortName(b.full_name) == ShortName(wn.full_name);
      if (b.type == wn.type && same_name) {
        return i;
      }
    }
    for (size_t i = 0; i < rn.children.size(); ++i) {
      if (Promotes(wn.type, reader_.node(rn.children[i]).type)) {
        return i;
      }
    }
    return std::nullopt;
  }

  Result<uint32_t> Record(NodeId w, NodeId r) {
    uint32_t id = Add(MakeStep(Resolution::Op::kRecord, w, r), w, r);
    const Node& wn = writer_.node(w);
    const Node& rn = reader_.node(r);
    std::vector<Resolution::FieldStep> fields;
    std::vector<bool> written(rn.fields.size(), false);
    for (const Field& wf : wn.fields) {
      std::optional<size_t> index = rn.FieldIndex(wf.name);
      if (!index) {
        fields.push_back({});
        continue;
      }
      size_t mark = Push(wf.name);
      CQLBULK_ASSIGN_OR_RETURN(uint32_t step, Resolve(wf.type, rn.fields[*index].type));
      Pop(mark);
      fields.push_back({static_cast<int32_t>(*index), step});
      written[*index] = true;
    }
    std::vector<std::pair<size_t, Value>> defaults;
    for (size_t i = 0; i < rn.fields.size(); ++i) {
      if (written[i]) continue;
      if (!rn.fields[i].default_value) {
        return Fail("the reader's field " + rn.fields[i].name +
                    " has no default and the writer has no such field");
      }
      defaults.emplace_back(i, *rn.fields[i].default_value);
    }
    r_.steps_[id].fields = std::move(fields);
    r_.steps_[id].defaults = std::move(defaults);
    return id;
  }

  Result<uint32_t> Enum(NodeId w, NodeId r) {
    const Node& wn = writer_.node(w);
    const Node& rn = reader_.node(r);
    std::vector<int32_t> symbols;
    for (const std::string& s : wn.symbols) {
      int32_t mapped = rn.enum_default.value_or(-1);
      for (size_t i = 0; i < rn.symbols.size(); ++i) {
        if (rn.symbols[i] == s) mapped = static_cast<int32_t>(i);
      }
      symbols.push_back(mapped);
    }
    Resolution::Step step = MakeStep(Resolution::Op::kEnum, w, r);
    step.symbols = std::move(symbols);
    return Add(std::move(step), w, r);
  }

  Resolution& r_;
  const Schema& writer_;
  const Schema& reader_;
  std::map<std::pair<NodeId, NodeId>, uint32_t> memo_;
  std::string path_;
};

Result<Resolution> Resolution::Make(const Schema& writer, const Schema& reader) {
  Resolution resolution(writer, reader);
  CQLBULK_ASSIGN_OR_RETURN(uint32_t root,
                           ResolutionBuilder(resolution).Resolve(writer.root(), reader.root()));
  if (root != 0) {
    return Internal("Avro resolution: the roots' step is not the first");
  }
  return resolution;
}

Result<Value> Decoder::Next(const Resolution& resolution) {
  if (&resolution.writer() != schema_) {
    return Internal("Avro: a Resolution made for another writer's schema");
  }
  path_.clear();
  depth_ = 0;
  resolution_ = &resolution;
  Result<Value> v = ReadResolved(0);
  resolution_ = nullptr;
  return v;
}

Result<Value> Decoder::ReadResolved(uint32_t index) {
  const Resolution::Step& s = resolution_->steps_[index];
  const Node& wn = schema_->node(s.writer);
  switch (s.op) {
    case Resolution::Op::kRead:
      return Read(s.writer);
    case Resolution::Op::kPromote: {
      CQLBULK_ASSIGN_OR_RETURN(Value v, Read(s.writer));
      Type to = resolution_->reader().node(s.reader).type;
      switch (v.kind()) {
        case Value::Kind::kInt:
          if (to == Type::kLong) return Value::Long(v.int_value());
          if (to == Type::kFloat) return Value::Float(static_cast<float>(v.int_value()));
          return Value::Double(v.int_value());
        case Value::Kind::kLong:
          if (to == Type::kFloat) return Value::Float(static_cast<float>(v.long_value()));
          return Value::Double(static_cast<double>(v.long_value()));
        case Value::Kind::kFloat:
          return Value::Double(v.float_value());
        case Value::Kind::kString:
          return Value::BytesFromChars(std::string(v.chars()));
        case Value::Kind::kBytes:
          if (FindInvalidUtf8(v.chars())) {
            return Mismatch("bytes read as a string are not UTF-8");
          }
          return Value::String(std::string(v.chars()));
        default:
          return Internal("Avro resolution: no such promotion");
      }
    }
    case Resolution::Op::kRecord: {
      CQLBULK_RETURN_IF_ERROR(Enter());
      const Node& rn = resolution_->reader().node(s.reader);
      std::vector<Value> fields(rn.fields.size());
      for (size_t i = 0; i < wn.fields.size(); ++i) {
        path_.push_back(PathStep::Field(wn.fields[i].name));
        const Resolution::FieldStep& f = s.fields[i];
        CQLBULK_ASSIGN_OR_RETURN(Value v, f.reader_field >= 0 ? ReadResolved(f.step)
                                                              : Read(wn.fields[i].type));
        path_.pop_back();
        if (f.reader_field >= 0) {
          fields[static_cast<size_t>(f.reader_field)] = std::move(v);
        }
      }
      for (const auto& [i, value] : s.defaults) {
        fields[i] = value;
      }
      Leave();
      return Value::Record(std::move(fields));
    }
    case Resolution::Op::kEnum: {
      CQLBULK_ASSIGN_OR_RETURN(Value v, Read(s.writer));
      int32_t mapped = s.symbols[static_cast<size_t>(v.index())];
      if (mapped < 0) {
        return Mismatch("the reader's enum has no symbol " +
                        wn.symbols[static_cast<size_t>(v.index())] + " and no default");
      }
      return Value::Enum(mapped);
    }
    case Resolution::Op::kArray:
      return ReadBlocks(wn, s.children.front());
    case Resolution::Op::kWriterUnion: {
      CQLBULK_ASSIGN_OR_RETURN(int64_t branch, ReadLong());
      if (branch < 0 || static_cast<uint64_t>(branch) >= wn.children.size()) {
        return Corrupt("union branch " + std::to_string(branch) + " is not one of its " +
                       std::to_string(wn.children.size()));
      }
      return ReadResolved(s.children[static_cast<size_t>(branch)]);
    }
    case Resolution::Op::kReaderUnion: {
      CQLBULK_ASSIGN_OR_RETURN(Value v, ReadResolved(s.children.front()));
      return Value::Union(s.branch, std::move(v));
    }
    case Resolution::Op::kFail:
      // The message names its place in the schemas already.
      return InvalidArgument(s.message + " (a value at byte " + std::to_string(pos_) + ")");
  }
  return Internal("unreachable");
}

}  // namespace cqlbulk::formats::avro
