#pragma once
// The import itself, run IN THE CALLING PROCESS: parse a model file (IFC through IFC++ and the STEP text; glTF
// 2.0, OBJ, Collada, 3DS, PLY, LWO, STL through assimp), georeference it, compute embodied carbon and write the
// twin's BIM format (greentwin/connectors/bim_model.hpp). Parsers of untrusted files crash and hang: only the
// importer executable (greentwin-bim-import) and tests call this; the twin calls importModelInProcess
// (greentwin/connectors/bim_import.hpp), which runs that executable.
// Library: GreenTwin::greentwin_bim_importer (links IFC++, assimp and OSG privately; of the rest of GreenTwin only
// core and the format both sides share, greentwin_bim_format).
//
// Threads: one import at a time per process (IFC++/Carve keep global state such as carve's epsilon).

#include <filesystem>
#include <memory>
#include <vector>

#include "greentwin/connectors/bim_import_options.hpp"
#include "greentwin/core/status.hpp"

namespace gt::bim {

// Writes <outputDir>/<stem>.osgb and <stem>.bim.json (through temporary names, renamed at the end).
// options.importerExe and the limits are ignored here. Errors: NotFound (input), Unsupported (unknown extension
// or IFC schema), ParseError ("not an IFC file: ...", "not a glTF file: ..." when the first bytes contradict the
// extension, or what the reader reported), InvalidArgument (bad anchor,
// scene frame or factor table), IoError (outputs).
// `parkParserState`: when set, the parser's model and geometry (large graphs of small objects) are moved there
// instead of being freed - the importer executable parks them and exits at once, since freeing them costs about
// as much as a tenth of the import and the OS reclaims the memory anyway.
Result<ImportedModelFiles> importModelHere(const std::filesystem::path& input, const BimImportOptions& options,
                                           std::vector<std::shared_ptr<void>>* parkParserState = nullptr);

// The default emission factor table: $GREENTWIN_BIM_FACTORS, else the source tree's/installed
// assets/bim/emission_factors.toml known at build time.
std::filesystem::path defaultEmissionFactorsPath();

}  // namespace gt::bim
