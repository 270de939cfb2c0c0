// SPDX-License-Identifier: Apache-2.0
// The range sinks of unload: text files (cut back when a range fails), Parquet files (done when
// closed) and the Iceberg table (done when an epoch ends).
#include <algorithm>
#include <filesystem>
#include <iterator>
#include <memory>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/io/file_stream.h"
#include "cqlbulk/formats/parquet/writer.h"
#include "cqlbulk/ops/output_file.h"
#include "cqlbulk/ops/text/csv_page_writer.h"
#include "cqlbulk/ops/text/json_page_writer.h"
#include "cqlbulk/ops/unload_internal.h"

namespace cqlbulk::ops::unload_internal {
namespace {

namespace fs = std::filesystem;

/// The encoded row groups the Parquet workers hold together, at most (each cuts its row
/// groups at its share).
constexpr size_t kParquetRowGroupMemory = 32 << 20;
/// Rows in a Parquet worker's row group, at most (DuckDB writes 122,880). A row group's encoded
/// pages and its columns' dictionaries grow with its rows until it is written: so memory
/// reaches its bound with a table of about a million rows, and stays there however large.
constexpr size_t kParquetRowGroupRows = 128 << 10;
/// The dictionaries the Parquet workers fill together, at most (each column's is cut at its
/// share, down to 16 KiB; past it the column chunk is PLAIN).
constexpr size_t kParquetDictionaryMemory = 32 << 20;

/// Text output: the file ranges go into, one compressed frame (and so one complete gzip
/// member, zstd frame, ...) per range, cut back if the range fails. A committed range is done.
class RangeWriter final : public RangeSink {
 public:
  explicit RangeWriter(UnloadState& state) : state_(state) {
    // Scalar columns: pages go straight to text (else through a batch).
    if (state_.options->format == FileFormat::kCsv && state_.decoder) {
      auto fast = text::CsvPageWriter::Make(*state_.decoder, state_.options->csv);
      if (fast) fast_ = std::move(*fast);
    } else if (state_.options->format == FileFormat::kJson && state_.decoder) {
      auto fast = text::JsonPageWriter::Make(*state_.decoder, state_.options->csv.text);
      if (fast) fast_ = std::move(*fast);
    }
  }

  /// Through the text fast path when there is one: the same text as the batch path.
  Result<size_t> WritePage(const RowDecoder& decoder, const cql::RowsResult& rows,
                           data::BatchBuilder& builder) override {
    if (!fast_) return RangeSink::WritePage(decoder, rows, builder);
    auto page = fast_->Begin(rows);
    if (!page) return DecoderError(decoder, rows, builder, std::move(page).error());
    const int64_t max = state_.to_stdout() ? 0 : state_.options->max_records_per_file;
    size_t total = 0;
    while (page->rows_left > 0) {
      if (!current_ || (max > 0 && current_->records == max)) {
        CQLBULK_RETURN_IF_ERROR(NextFile());
      }
      size_t take = static_cast<size_t>(page->rows_left);
      if (max > 0) take = std::min<size_t>(take, static_cast<size_t>(max - current_->records));
      CQLBULK_RETURN_IF_ERROR(StartSegment());
      Result<size_t> written = fast_->Write(*page, take, *segment_);
      if (!written) return DecoderError(decoder, rows, builder, std::move(written).error());
      current_->records += static_cast<int64_t>(*written);
      total += *written;
    }
    return total;
  }

  /// Writes the rows of `batch`, opening the next file when the current one is full.
  Status Write(data::Batch batch) override {
    const int64_t max = state_.to_stdout() ? 0 : state_.options->max_records_per_file;
    size_t row = 0;
    while (row < batch.num_rows()) {
      if (!current_ || (max > 0 && current_->records == max)) {
        CQLBULK_RETURN_IF_ERROR(NextFile());
      }
      size_t take = batch.num_rows() - row;
      if (max > 0) take = std::min<size_t>(take, static_cast<size_t>(max - current_->records));
      CQLBULK_RETURN_IF_ERROR(StartSegment());
      CQLBULK_RETURN_IF_ERROR(writer_->Write(batch, row, row + take));
      current_->records += static_cast<int64_t>(take);
      row += take;
    }
    return {};
  }

  /// The range is complete: its frames are finished and its files' lengths become the ones a
  /// resumed run keeps. Standard output gets the range now.
  Status Commit() override {
    CQLBULK_RETURN_IF_ERROR(EndSegment());
    for (Slot& slot : retired_) {
      CQLBULK_RETURN_IF_ERROR(slot.file->Close());
      Record(slot);
    }
    retired_.clear();
    if (!current_) return {};
    if (state_.to_stdout()) {
      CQLBULK_RETURN_IF_ERROR(CopySpillToStdout());
      return {};
    }
    Record(*current_);
    current_->committed_bytes = current_->file->size();
    current_->committed_records = current_->records;
    return {};
  }

  /// The range failed: everything it wrote is cut out (files it opened are removed).
  void Abort() override {
    writer_.reset();
    if (fast_) fast_->Discard();
    segment_.reset();
    bytes_ = 0;
    std::vector<Slot> slots = std::move(retired_);
    retired_.clear();
    if (current_) slots.push_back(std::move(*current_));
    current_.reset();
    for (Slot& slot : slots) {
      if (slot.committed_bytes == 0 && slot.committed_records == 0 && !state_.to_stdout()) {
        slot.file.reset();
        std::error_code ec;
        fs::remove(slot.file_path, ec);
        continue;
      }
      if (slot.file->is_closed()) {
        auto reopened = OutputFile::Open(slot.file_path, slot.committed_bytes);
        if (!reopened) continue;  // the next range opens a new file; this one stays as committed
        slot.file = std::move(*reopened);
      } else if (!slot.file->Truncate(slot.committed_bytes).has_value()) {
        continue;
      }
      slot.records = slot.committed_records;
      current_ = std::move(slot);
    }
  }

  void MarkDone(size_t index, int64_t rows) override {
    state_.done[index] = 1;
    ++state_.ranges_done;
    state_.committed_rows += rows;
    state_.committed_bytes += std::exchange(bytes_, 0);  // text, before compression
  }

  /// Closes the worker's file (after its last committed range).
  Status Close() override {
    if (!current_) return {};
    Status closed = current_->file->Close();
    if (state_.to_stdout()) {
      std::error_code ec;
      fs::remove(current_->file_path, ec);
    }
    current_.reset();
    return closed;
  }

 private:
  struct Slot {
    std::string name;
    std::string file_path;
    std::unique_ptr<OutputFile> file;
    int64_t records = 0;
    uint64_t committed_bytes = 0;
    int64_t committed_records = 0;
  };

  Status NextFile() {
    if (current_) {
      CQLBULK_RETURN_IF_ERROR(EndSegment());
      retired_.push_back(std::move(*current_));
      current_.reset();
    }
    Slot slot;
    if (state_.to_stdout()) {
      slot.name = "spill";
      slot.file_path = state_.run->path() + "/stdout-spill-" + std::to_string(next_spill_++);
    } else {
      slot.name = state_.FileName(state_.next_file++);
      slot.file_path = state_.PathOf(slot.name);
    }
    CQLBULK_ASSIGN_OR_RETURN(slot.file, OutputFile::Open(slot.file_path));
    current_ = std::move(slot);
    return {};
  }

  /// A page the fast path refused: RowDecoder's precise error for it (the fast path takes
  /// what the decoder takes: a page the decoder reads is an internal error).
  static Error DecoderError(const RowDecoder& decoder, const cql::RowsResult& rows,
                            data::BatchBuilder& builder, Error error) {
    if (error.code() != ErrorCode::kProtocol) return error;
    const size_t before = builder.num_rows();
    Result<size_t> decoded = decoder.AppendRows(rows, builder);
    if (!decoded) return std::move(decoded).error();
    builder.Truncate(before);
    return Internal("the text fast path refused a page the row decoder reads: " +
                    error.message());
  }

  Status StartSegment() {
    if (segment_) return {};
    CQLBULK_ASSIGN_OR_RETURN(segment_,
                             formats::CompressingStream(state_.options->compression,
                                                        formats::Borrow(*current_->file),
                                                        state_.compression_level));
    // A file's header opens its first frame (standard output had it once, at the start).
    if (!state_.header.empty() && !state_.to_stdout() && current_->file->size() == 0) {
      CQLBULK_RETURN_IF_ERROR(segment_->Write(AsBytes(state_.header)));
    }
    if (fast_) return {};
    formats::CsvOptions csv = state_.options->csv;
    csv.header = false;
    CQLBULK_ASSIGN_OR_RETURN(writer_,
                             MakeRecordWriter(state_.options->format, *segment_, state_.schema, csv));
    return {};
  }

  Status EndSegment() {
    if (!segment_) return {};
    if (writer_) {
      CQLBULK_RETURN_IF_ERROR(writer_->Flush());
    } else {
      CQLBULK_RETURN_IF_ERROR(fast_->Flush(*segment_));
    }
    bytes_ += segment_->bytes_written();
    CQLBULK_RETURN_IF_ERROR(segment_->Close());
    writer_.reset();
    segment_.reset();
    return {};
  }

  void Record(const Slot& slot) {
    state_.files[slot.name] = {slot.file->size(), slot.records};
  }

  Status CopySpillToStdout() {
    uint64_t size = current_->file->size();
    if (size > 0) {
      CQLBULK_ASSIGN_OR_RETURN(auto in, formats::FileInputStream::Open(current_->file_path));
      CQLBULK_RETURN_IF_ERROR(formats::CopyStream(*in, *state_.stdout_stream));
      CQLBULK_RETURN_IF_ERROR(state_.stdout_stream->Flush());
    }
    CQLBULK_RETURN_IF_ERROR(current_->file->Truncate(0));
    current_->records = 0;
    return {};
  }

 private:
  UnloadState& state_;
  std::optional<Slot> current_;
  std::vector<Slot> retired_;
  std::unique_ptr<formats::OutputStream> segment_;
  std::unique_ptr<formats::RecordWriter> writer_;
  std::unique_ptr<text::PageWriter> fast_;  ///< CSV or JSON of scalar columns, or null
  uint64_t bytes_ = 0;
  static inline int next_spill_ = 1;
};

/// The rows a sink holds for the range being read, a batch per page; the first batch's first
/// first_row() rows may be written already (a cut inside it).
class HeldRows {
 public:
  void Add(data::Batch batch) {
    if (batch.num_rows() == 0) return;
    bytes_ += batch.size_bytes();
    batches_.push_back(std::move(batch));
  }
  std::span<const data::Batch> batches() const { return batches_; }
  size_t first_row() const { return first_row_; }
  /// The held batches' bytes, less the written rows' share of the first.
  size_t bytes() const { return bytes_ - front_written_bytes_; }
  /// Forgets the first `n` batches (written).
  void DropFront(size_t n) { TakeFront(n); }
  /// Hands the first `n` batches over.
  std::vector<data::Batch> TakeFront(size_t n) {
    for (size_t i = 0; i < n; ++i) bytes_ -= batches_[i].size_bytes();
    if (n > 0) first_row_ = front_written_bytes_ = 0;
    auto end = batches_.begin() + static_cast<std::ptrdiff_t>(n);
    std::vector<data::Batch> taken(std::make_move_iterator(batches_.begin()),
                                   std::make_move_iterator(end));
    batches_.erase(batches_.begin(), end);
    return taken;
  }
  /// The first batch's next `rows` rows are written: held rows begin past them.
  void SkipRows(size_t rows) {
    const data::Batch& front = batches_.front();
    first_row_ += rows;
    front_written_bytes_ = front.size_bytes() * first_row_ / front.num_rows();
  }
  void Clear() { DropFront(batches_.size()); }

 private:
  std::vector<data::Batch> batches_;
  size_t bytes_ = 0;
  size_t first_row_ = 0;
  size_t front_written_bytes_ = 0;
};

/// Parquet output: a range's rows wait in memory until it commits, then go to the worker's
/// ParquetWriter, whose file becomes complete only when its footer is written. So ranges are
/// done (in the checkpoint) when their file is closed: at --max-records-per-file (checked
/// between ranges: a range is never split across files) and at the end. A resumed run removes
/// the files the interrupted one had not finished and reads their ranges again.
///
/// A range whose rows pass the worker's share of memory is cut by the worker (CommitHeld); one
/// that cannot be cut (a --query's, or one partition) is spilled: the worker closes its file
/// (its committed ranges are done), opens another and writes the range's rows into it as they
/// come. If the range then fails, that file holds nothing else and is removed before the range
/// is read again.
class ParquetRangeWriter final : public RangeSink {
 public:
  explicit ParquetRangeWriter(UnloadState& state) : state_(state) {}

  Status Write(data::Batch batch) override {
    if (streaming_) {
      return batch.num_rows() == 0 ? Status{} : WriteToFile(batch, 0, batch.num_rows());
    }
    range_.Add(std::move(batch));
    return {};
  }

  std::span<const data::Batch> held() const override { return range_.batches(); }
  size_t held_bytes() const override { return range_.bytes(); }
  size_t held_first_row() const override { return range_.first_row() + head_; }
  bool cuts_inside_batches() const override { return true; }

  Status Spill() override {
    if (streaming_) return {};
    CQLBULK_RETURN_IF_ERROR(FlushHead());  // committed: into the file being closed
    CQLBULK_RETURN_IF_ERROR(CloseFile());
    CQLBULK_RETURN_IF_ERROR(OpenFile());
    state_.run->Log("a range past " + std::to_string(range_.bytes()) +
                    " bytes of rows goes straight into " + path_);
    streaming_ = true;
    return CommitHeld(range_.batches().size(), 0);
  }

  Status Commit() override {
    if (streaming_) {  // the rows are in the file already
      streaming_ = false;
      return {};
    }
    return CommitHeld(range_.batches().size(), 0);
  }

  /// Writes the committed batches whole, from their first row not yet written (the rows of a
  /// head included). Rows committed inside a batch (`rows`) become the head of the batch left
  /// in front, written with it: so a batch goes into the file in one Write however the range
  /// is cut, and the file is the one an uncut range makes.
  Status CommitHeld(size_t batches, size_t rows) override {
    if (!writer_) CQLBULK_RETURN_IF_ERROR(OpenFile());
    std::span<const data::Batch> held = range_.batches();
    size_t begin = range_.first_row();
    for (const data::Batch& batch : held.first(batches)) {
      CQLBULK_RETURN_IF_ERROR(WriteToFile(batch, begin, batch.num_rows()));
      begin = 0;
    }
    range_.DropFront(batches);
    if (batches > 0) head_ = 0;
    head_ += rows;
    return {};
  }

  void Abort() override {
    // The head's rows are committed (their range is pending in this file): written before the
    // rest is dropped.
    Status flushed = FlushHead();
    if (!flushed.has_value() && !state_.first_error) state_.first_error = flushed.error();
    range_.Clear();
    if (streaming_) {  // the file holds only this range's rows: remove it
      streaming_ = false;
      writer_.reset();
      std::error_code ec;
      fs::remove(path_, ec);
      state_.run->Log("removed " + path_ + " (a range that failed was written into it)");
    }
  }

  void MarkDone(size_t index, int64_t rows) override {
    pending_.push_back({index, rows});
    ++state_.pending_ranges;
    state_.pending_rows += rows;
    const int64_t max = state_.options->max_records_per_file;
    if (max > 0 && records_ + static_cast<int64_t>(head_) >= max) {
      Status closed = FlushHead();
      if (closed.has_value()) closed = CloseFile();
      if (!closed.has_value() && !state_.first_error) state_.first_error = closed.error();
    }
  }

  Status Close() override {
    CQLBULK_RETURN_IF_ERROR(FlushHead());
    return CloseFile();
  }

 private:
  /// Writes the head: the front batch's rows committed by a cut inside it (at a file's end,
  /// or when the rest of the batch will not follow it into the file).
  Status FlushHead() {
    if (head_ == 0) return {};
    const size_t begin = range_.first_row();
    const size_t rows = head_;
    head_ = 0;
    if (poisoned_) return {};  // the file is removed at its close: its ranges are read again
    CQLBULK_RETURN_IF_ERROR(WriteToFile(range_.batches().front(), begin, begin + rows));
    range_.SkipRows(rows);
    return {};
  }

  /// Writes rows [begin, end) of `batch`.
  Status WriteToFile(const data::Batch& batch, size_t begin, size_t end) {
    Status written = writer_->Write(batch, begin, end);
    if (!written.has_value()) {
      poisoned_ = true;  // part of the range may be in the file: it cannot be finished
      return written;
    }
    records_ += static_cast<int64_t>(end - begin);
    return {};
  }

  Status OpenFile() {
    name_ = state_.FileName(state_.next_file++);
    path_ = state_.PathOf(name_);
    CQLBULK_ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> file, OutputFile::Open(path_));
    formats::parquet::WriterOptions options = state_.options->parquet;
    options.key_value_metadata.push_back({"cqlbulk.query", state_.query_text});
    // Every worker holds a row group, and a dictionary per column being filled (its entries
    // and a hash table of about four times their size): together at most
    // kParquetRowGroupMemory and kParquetDictionaryMemory.
    const auto workers = static_cast<size_t>(std::max(1, state_.options->concurrency));
    options.row_group_bytes =
        std::min<size_t>(options.row_group_bytes, kParquetRowGroupMemory / workers);
    options.row_group_rows = std::min(options.row_group_rows, kParquetRowGroupRows);
    options.dictionary_page_bytes = std::clamp<size_t>(
        kParquetDictionaryMemory / 5 / (workers * std::max<size_t>(1, state_.schema->num_fields())),
        size_t{16} << 10, options.dictionary_page_bytes);
    CQLBULK_ASSIGN_OR_RETURN(writer_, formats::parquet::ParquetWriter::Make(
                                          state_.schema, std::move(file), std::move(options)));
    records_ = 0;
    poisoned_ = false;
    return {};
  }

  /// Writes the footer and makes the file's ranges done; a poisoned file is removed instead
  /// (its ranges are read again by a resumed run).
  Status CloseFile() {
    if (!writer_) return {};
    std::unique_ptr<formats::parquet::ParquetWriter> writer = std::move(writer_);
    for (const auto& [index, rows] : pending_) {
      --state_.pending_ranges;
      state_.pending_rows -= rows;
    }
    std::vector<std::pair<size_t, int64_t>> pending = std::move(pending_);
    pending_.clear();
    Status closed = poisoned_ ? Status{} : writer->Close();
    if (poisoned_ || !closed.has_value()) {
      writer.reset();
      std::error_code ec;
      fs::remove(path_, ec);
      state_.run->Log("removed " + path_ + " (unfinished): its " + std::to_string(pending.size()) +
                      " ranges are read again on --resume");
      return closed;
    }
    state_.files[name_] = {static_cast<uint64_t>(writer->bytes_written()), records_};
    state_.values_changed += writer->values_changed();
    for (const auto& [index, rows] : pending) {
      state_.done[index] = 1;
      ++state_.ranges_done;
      state_.committed_rows += rows;
    }
    state_.committed_bytes += static_cast<uint64_t>(writer->bytes_written());
    return {};
  }

  UnloadState& state_;
  HeldRows range_;  // the rows of the range being read
  bool streaming_ = false;  // the range being read goes straight into writer_
  /// Rows of the front held batch after its written ones that are committed (a cut inside
  /// it), not yet written: written with the rest of the batch, or by FlushHead.
  size_t head_ = 0;
  std::unique_ptr<formats::parquet::ParquetWriter> writer_;
  std::string name_;
  std::string path_;
  int64_t records_ = 0;
  bool poisoned_ = false;
  std::vector<std::pair<size_t, int64_t>> pending_;  // committed ranges in the open file
};

/// Iceberg output: a range's rows are held until it commits, then routed to the shared
/// partitioned data files in one step; ranges become done when their epoch ends
/// (ops/iceberg/export.h). A range the worker cannot cut stays held whole.
class IcebergRangeSink final : public RangeSink {
 public:
  explicit IcebergRangeSink(UnloadState& state) : state_(state) {}

  Status Write(data::Batch batch) override {
    range_.Add(std::move(batch));
    return {};
  }

  std::span<const data::Batch> held() const override { return range_.batches(); }
  size_t held_bytes() const override { return range_.bytes(); }

  Status Commit() override { return CommitHeld(range_.batches().size(), 0); }

  Status CommitHeld(size_t batches, size_t rows) override {
    if (rows > 0) return Internal("the Iceberg sink commits whole batches");
    Status written = state_.iceberg->WriteRange(range_.TakeFront(batches));
    if (!written.has_value()) {
      // Part of the range may be in the open files: never retried, the run stops (a resumed
      // run redoes the epoch).
      if (!state_.first_error) state_.first_error = written.error();
      return IoError(written.error().message());
    }
    return {};
  }

  void Abort() override { range_.Clear(); }

  void MarkDone(size_t index, int64_t rows) override {
    state_.iceberg->AddPending(index, rows);
    ++state_.pending_ranges;
    state_.pending_rows += rows;
    if (!state_.iceberg->EpochFull()) return;
    Status ended = EndIcebergEpoch(state_);
    if (ended.has_value()) ended = state_.WriteCheckpoint();
    if (!ended.has_value() && !state_.first_error) state_.first_error = ended.error();
  }

  Status Close() override { return {}; }

 private:
  UnloadState& state_;
  HeldRows range_;  // the rows of the range being read
};

}  // namespace

Status EndIcebergEpoch(UnloadState& state) {
  CQLBULK_ASSIGN_OR_RETURN(auto done, state.iceberg->EndEpoch());
  for (const auto& [index, rows] : done) {
    --state.pending_ranges;
    state.pending_rows -= rows;
    state.done[index] = 1;
    ++state.ranges_done;
    state.committed_rows += rows;
  }
  state.committed_bytes = state.iceberg->bytes_finished();
  return {};
}

std::unique_ptr<RangeSink> MakeRangeSink(UnloadState& state) {
  if (state.options->format == FileFormat::kParquet) {
    return std::make_unique<ParquetRangeWriter>(state);
  }
  if (state.options->format == FileFormat::kIceberg) {
    return std::make_unique<IcebergRangeSink>(state);
  }
  return std::make_unique<RangeWriter>(state);
}

}  // namespace cqlbulk::ops::unload_internal
