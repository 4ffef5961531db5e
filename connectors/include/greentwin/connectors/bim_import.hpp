#pragma once
// Importing an untrusted model file (IFC, glTF, OBJ, Collada) into the twin's BIM format (bim_model.hpp,
// docs/bim.md) in a SEPARATE process, greentwin-bim-import, so that a parser crash, hang or memory blow-up never
// takes the twin down. The child runs with no_new_privs, under setrlimit (address space, CPU time, file size, open
// files) and with a scrubbed environment (importerEnvironment); it loads its own system-call filter before it reads
// the file (greentwin/bim_importer/sandbox.hpp). The parent enforces a wall-clock timeout and kills the child when
// it expires.
//
// Threads: importModelInProcess blocks the calling thread until the child ends (call it on a worker thread,
// never on the render thread). It is safe to call from several threads at once (each call owns its child).

#include <filesystem>
#include <string>
#include <vector>

#include "greentwin/connectors/bim_import_options.hpp"
#include "greentwin/core/status.hpp"

namespace gt::bim {

// Runs the importer on `input`. Errors (message always names the file):
//   NotFound        input or the importer executable does not exist
//   ParseError      "not an IFC file: <path>: ..." / the importer's own error line (bad or unsupported content)
//   Unsupported     a format the importer does not read
//   OutOfRange      "memory limit (N MiB) exceeded importing <file>" / "CPU limit ..." / "output size limit ..."
//   Cancelled       "timed out after N s importing <file>" (the child was killed)
//   Internal        "importer crashed with SIGSEGV on <file>" (any signal), "importer stopped by its system-call
//                   filter (SIGSYS) on <file>", or output files missing/unreadable
Result<ImportedModelFiles> importModelInProcess(const std::filesystem::path& input, const BimImportOptions& options);

// The environment the importer runs with, from `environment` (NAME=value entries, as in environ): only the
// variables it needs (docs/bim.md "Sandbox": locale and time zone, PATH, TMPDIR, PROJ's and OSG's data and plugin
// paths, the library path, the factor table, the importer's own test and timing switches, sanitizer options).
// Everything else - the twin's key paths, tokens, HOME, display - is left out.
std::vector<std::string> importerEnvironment(const char* const* environment);

}  // namespace gt::bim
