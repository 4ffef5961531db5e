// libFuzzer target: the importer's STEP text reader and IFC semantics (bim_importer/src/step_file.cpp,
// ifc_semantics.cpp) on arbitrary bytes - the part of the BIM importer that is GreenTwin's own code. IFC++ and
// OSG's readers are exercised by the damaged-file corpus through the importer process (tests/tools).
#include <cstddef>
#include <cstdint>
#include <string>

#include "../bim_importer/src/ifc_semantics.hpp"
#include "../bim_importer/src/step_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Inputs without the STEP header stop at the first check; give most inputs a valid start so the fuzzer spends
  // its time inside the DATA section.
  std::string text;
  if (size > 0 && data[0] == 'I') {
    text.assign(reinterpret_cast<const char*>(data), size);
  } else {
    text = "ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\n";
    text.append(reinterpret_cast<const char*>(data), size);
  }
  auto file = gt::bim::StepFile::parse(std::move(text), "fuzz.ifc");
  if (!file) return 0;
  const gt::bim::IfcSemantics semantics = gt::bim::readIfcSemantics(*file);
  (void)semantics;
  return 0;
}
