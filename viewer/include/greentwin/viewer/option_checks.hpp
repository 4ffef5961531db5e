#pragma once
// Checks of the command line's options against the config, made before any layer loads (main.cpp): a bad
// `--camera` or `--select` is reported at once, naming the value and what would be valid, instead of after every
// layer has loaded. Pure functions of the config and the layer types (their traits say what ids they make); any
// thread.

#include <string>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/layers/layer_registry.hpp"

namespace gt::viewer {

// `bookmark` is the id of one of the config's [[camera.bookmarks]]; NotFound lists the known ids.
Status checkBookmark(const Config& config, const std::string& bookmark);

// The forms of the entity ids the config's layers will register, as "<prefix><what follows>", e.g.
// "city-buildings/<feature id>", "bim/fzk-haus/storey/<GUID>", "buses/<vehicle id>". Layers without entities
// (terrain, field) give none.
std::vector<std::string> entityIdForms(const Config& config, const layers::LayerRegistry& types);

// `id` has the form of an entity id some configured layer registers: "<layer id>/<feature id>" of a feature layer,
// "bim/<layer id>/<GUID>" or "bim/<layer id>/storey/<GUID>" of a BIM layer, "<prefix><id>" of a vehicles layer.
// Whether such an entity exists is known only once the layers have loaded (or the feed has sent the vehicle);
// NotFound names the id and lists the valid forms.
Status checkEntityIdForm(const Config& config, const layers::LayerRegistry& types, const std::string& id);

}  // namespace gt::viewer
