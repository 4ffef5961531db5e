#pragma once
// The folder an indicators report is written to, all or nothing (docs/indicators.md "Report"): every file is
// written into a staging folder inside it (".report-partial-<pid>", the same file system) and moved into place by
// commit(), report.html last, each move a rename; a report that fails half-way leaves nothing new beside an older
// complete one, and its staging folder is removed. Any thread (one at a time).

#include <memory>
#include <string>

#include "greentwin/core/status.hpp"

namespace gt::viewer {

class ReportFolder {
 public:
  // Creates `dir` (and its parents) when missing and the staging folder inside it. Errors (IoError): `dir` cannot
  // be created or written (a file of that name, no permission), naming it.
  static Result<std::unique_ptr<ReportFolder>> open(const std::string& dir);
  // Removes the staging folder (and with it anything not committed), and `dir` itself when open() created it and
  // nothing was committed (a refused or failed report leaves no empty folder behind).
  ~ReportFolder();
  ReportFolder(const ReportFolder&) = delete;
  ReportFolder& operator=(const ReportFolder&) = delete;

  const std::string& dir() const { return dir_; }
  const std::string& staging() const { return staging_; }
  // Writes `content` to staging()/relative (folders created). IoError naming the file.
  Status write(const std::string& relative, const std::string& content);
  // Moves every staged file to the same place under dir(), replacing what is there; report.html last. IoError
  // naming the file that could not be moved.
  Status commit();

 private:
  ReportFolder(std::string dir, std::string staging, bool created)
      : dir_(std::move(dir)), staging_(std::move(staging)), created_(created) {}
  std::string dir_;
  std::string staging_;
  bool created_ = false;    // open() made dir_
  bool committed_ = false;  // commit() moved files into it
};

}  // namespace gt::viewer
