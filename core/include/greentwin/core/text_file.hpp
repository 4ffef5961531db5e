#pragma once
// Small text files the workbench writes and reads back (scenarios, projects): read whole with a size cap, written
// beside the target and renamed over it, so that a crash or a full disk never leaves half a file where the last good
// one was. `what` names the kind of file in messages ("scenario file", "project file").
//
// Threads: plain functions; any thread.

#include <cstddef>
#include <string>

#include "greentwin/core/status.hpp"

namespace gt {

// The file's bytes. Errors: NotFound (missing, or not a regular file: a FIFO or a folder is refused before it is
// opened), IoError (unreadable), InvalidArgument (larger than maxBytes), each naming the file.
Result<std::string> readTextFile(const std::string& path, const std::string& what, std::size_t maxBytes);

// Writes `text` to "<path>.tmp", then renames it to `path` (atomic on one file system). IoError naming the file.
Status writeTextFileAtomically(const std::string& path, const std::string& text, const std::string& what);

}  // namespace gt
