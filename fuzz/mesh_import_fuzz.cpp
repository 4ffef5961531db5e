// libFuzzer target for the twin's side of a BIM mesh import (docs/bim.md): the sidecar (<stem>.bim.json) the
// importer process writes beside its .osgb and that the twin reads back, fresh or from its cache, as the layer's
// element features and model tree (connectors/bim_model.hpp parseBimModel, what readBimModel does after its size
// and file-type checks). The importer is not trusted and a cache folder may be damaged, so the reader must refuse
// any text it cannot use, and nothing it accepts may make the twin index out of range. The STEP text reader on the
// importer's side has its own target (ifc_step_fuzz).
//
// Besides "no crash, no out-of-bounds read, no undefined behaviour, no uncaught exception", it checks:
// - a refused sidecar says why, naming the file;
// - an accepted one holds only tree indices inside its arrays (what the viewer's panel and layer index with);
// - what the importer would write for the model read (bimModelText) reads again, and writing that gives the same
//   text (the twin's cache round trip is stable).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "greentwin/connectors/bim_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 1024 * 1024) return 0;  // the reader's own cap is 256 MiB; the fuzzer learns nothing more past 1 MiB
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto model = gt::bim::parseBimModel(text, "fuzz.bim.json");
  if (!model) {
    if (model.status().message().find("fuzz.bim.json") == std::string::npos) std::abort();
    return 0;
  }
  for (const gt::bim::BimSpatialNode& n : model->spatialNodes) {
    for (std::size_t c : n.children) {
      if (c >= model->spatialNodes.size()) std::abort();
    }
    for (std::size_t e : n.elements) {
      if (e >= model->elements.size()) std::abort();
    }
  }
  for (std::size_t s : model->storeys()) {
    if (s >= model->spatialNodes.size()) std::abort();
  }
  for (const gt::bim::BimElement& e : model->elements) {
    if (model->findElement(e.guid) == nullptr) std::abort();
  }
  (void)model->placement.toScene(model->boundsMax);

  const std::string written = gt::bim::bimModelText(*model);
  const auto again = gt::bim::parseBimModel(written, "written.bim.json");
  if (!again || gt::bim::bimModelText(*again) != written) std::abort();
  return 0;
}
