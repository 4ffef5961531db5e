#pragma once
// Loading a "bim" layer's model (viewer-private; docs/bim.md "In the viewer"). The model file itself is never
// parsed here: greentwin-bim-import (a separate process) turns it into <stem>.osgb + <stem>.bim.json in a cache
// folder, keyed by the file's content hash and the import options, so a restart loads the cached pair without
// importing again; then only our own .osgb is read with OSG and the sidecar becomes the layer's element features
// (entities) and model tree.
//
// Threads: loadBimModel blocks (it may wait for the importer): call it on the loader's worker thread.

#include <filesystem>
#include <memory>
#include <string>

#include "greentwin/connectors/bim_import.hpp"
#include "greentwin/core/config.hpp"
#include "greentwin/core/feature.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/layers/bim_layer.hpp"

namespace gt::runtime {

struct BimLoadResult {
  std::shared_ptr<FeatureSet> elements;  // one feature per element: id "bim/<layer id>/<GUID>", its properties
  std::shared_ptr<layers::BimScene> scene;
  bool fromCache = false;    // the cached import was used
  double importSeconds = 0;  // the importer's run time (0 from the cache)
};

// The cache folder: $GREENTWIN_BIM_CACHE, else $XDG_CACHE_HOME/greentwin/bim, else ~/.cache/greentwin/bim, else
// <temp>/greentwin-bim.
std::filesystem::path bimCacheDirectory();

// The import options of a layer (anchor from [layers.bim], the scene's geo frame, the cache folder).
bim::BimImportOptions bimImportOptions(const LayerConfig& config, const GeoFrame& frame);

// Imports (or takes from the cache) the layer's source and builds what the layer is made from. Errors name the
// layer and carry the importer's reason ("not an IFC file: ...", "importer crashed with SIGSEGV on ...").
Result<BimLoadResult> loadBimModel(const LayerConfig& config, const GeoFrame& frame);

// An imported model (sidecar + scene node) as the layer's inputs: the element features, tree and placement.
// `entityPrefix` is "bim/<layer id>". Pure conversion (tests build scenes by hand with it).
BimLoadResult makeBimInputs(const bim::BimModel& model, osg::ref_ptr<osg::Node> sceneNode,
                            const std::string& entityPrefix);

}  // namespace gt::runtime
