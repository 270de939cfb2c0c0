// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/data/batch.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/data/schema.h"

/// \file
/// A batch's buffers as one run of bytes, and back: for the temporary files of the process
/// that wrote them (rows set aside on disk and read back later), not for exchange. The form
/// is the columns' buffers as they are in memory (native byte order), each behind its length,
/// column after column, children after their parent.

namespace cqlbulk::data {

/// \brief Appends the bytes of `batch` to `out`.
void AppendSerializedBatch(const Batch& batch, Buffer& out);

/// \brief Reads the batch at the front of `in` (written by AppendSerializedBatch for a batch of
/// `schema`'s layout) and moves `in` past it. kCorrupt, naming what is wrong, when the bytes
/// end early or do not describe a batch of that layout (buffer sizes, offsets, child lengths
/// are all checked: a damaged file is an error, never a crash).
Result<Batch> ReadSerializedBatch(BytesView& in, const SchemaPtr& schema);

}  // namespace cqlbulk::data
