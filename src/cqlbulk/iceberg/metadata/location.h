// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/formats/io/stream.h"

namespace cqlbulk::iceberg {

/// \brief The local path of a table location or file location: `file:///abs/path`,
/// `file:/abs/path` (as Hadoop writes it) and plain absolute paths. kUnimplemented for another
/// scheme (s3://...), kInvalidArgument for a relative path; both name the location.
Result<std::string> LocalPath(std::string_view location);

/// \brief `location` + "/" + `name`, without doubling a trailing slash.
std::string JoinLocation(std::string_view location, std::string_view name);

/// \brief Writes `data` to the local file `path` so that it appears whole or not at all and
/// never replaces a file: written and synced under a temporary name in the same directory, then
/// linked to `path` (link(2) fails when `path` exists), then the temporary name removed.
/// kAlreadyExists when `path` exists; kIo otherwise, naming the path.
Status WriteNewFile(const std::string& path, BytesView data);

/// \brief A new local file to write (kAlreadyExists when `path` exists: O_EXCL), for manifests
/// and manifest lists, whose names are unique.
Result<std::unique_ptr<formats::OutputStream>> OpenNewFile(const std::string& path);

/// \brief The whole local file (kNotFound when it does not exist, kIo otherwise).
Result<std::string> ReadLocalFile(const std::string& path);

}  // namespace cqlbulk::iceberg
