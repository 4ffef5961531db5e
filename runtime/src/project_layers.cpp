// The twin's part of a project (project_layers.hpp).

#include "greentwin/runtime/project_layers.hpp"

#include <algorithm>
#include <variant>

#include "greentwin/core/config_text.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::runtime {
namespace {

// Moves the named layers to the bottom of the draw order, in the given order.
void applyDrawOrder(Twin& twin, const std::vector<std::string>& ids) {
  std::size_t position = 0;
  for (const std::string& id : ids) {
    const auto& layers = twin.layers();
    const auto it = std::find_if(layers.begin(), layers.end(), [&id](const auto& l) { return l->id() == id; });
    if (it == layers.end()) continue;
    const auto index = static_cast<std::size_t>(it - layers.begin());
    if (index != position) twin.moveLayer(index, static_cast<int>(position) - static_cast<int>(index));
    ++position;
  }
}

}  // namespace

void captureProjectLayers(const Twin& twin, Project& out) {
  out.addedLayers = twin.addedLayers();
  std::vector<ProjectLayer> captured;
  for (const auto& layer : twin.layers()) {
    ProjectLayer l;
    l.id = layer->id();
    l.visible = layer->visible();
    l.opacity = layer->opacity();
    if (twin.styleEdited(l.id)) l.style = layer->config().style;
    if (const LayerFilters::Active* filter = twin.layerFilters().active(l.id)) l.filter = filter->text;
    const auto kept = std::find_if(out.layers.begin(), out.layers.end(), [&l](const ProjectLayer& p) { return p.id == l.id; });
    if (kept != out.layers.end()) l.colourBy = kept->colourBy;
    captured.push_back(std::move(l));
  }
  out.layers = std::move(captured);
}

ProjectLayerApplier::ProjectLayerApplier(Twin& twin, const Project& project) {
  for (const LayerConfig& added : project.addedLayers) {
    if (twin.findLayer(added.id) != nullptr) {
      problems_.push_back("layer '" + added.id + "': not added, the twin has a layer with that id");
      continue;
    }
    if (Status s = twin.addLayer(added); !s) problems_.push_back("layer '" + added.id + "': " + s.message());
  }
  std::vector<std::string> order;
  for (const ProjectLayer& state : project.layers) {
    layers::Layer* layer = twin.findLayer(state.id);
    if (layer == nullptr) {
      problems_.push_back("layer '" + state.id + "' is in the project but not in the twin: its state is not applied");
      continue;
    }
    layer->setVisible(state.visible);
    layer->setOpacity(state.opacity);
    order.push_back(state.id);
    pending_.push_back(state);  // a placeholder's settings do not pass to the loaded layer: set again when loaded
  }
  applyDrawOrder(twin, order);
  update(twin);
}

bool ProjectLayerApplier::update(Twin& twin) {
  std::erase_if(pending_, [&](const ProjectLayer& state) {
    layers::Layer* layer = twin.findLayer(state.id);
    if (layer == nullptr) {
      problems_.push_back("layer '" + state.id + "' is gone: its style and filter are not applied");
      return true;
    }
    if (layer->state() == layers::LayerState::Created) return false;  // still loading
    if (layer->state() == layers::LayerState::Error) {
      if (!state.style && state.filter.empty()) return true;
      problems_.push_back("layer '" + state.id + "' did not load (" + layer->status().message() +
                          "): its style and filter are not applied");
      return true;
    }
    layer->setVisible(state.visible);
    layer->setOpacity(state.opacity);
    if (state.style && !sameStyle(*state.style, layer->config().style)) {
      if (Status s = twin.restyleLayer(state.id, *state.style); !s) {
        problems_.push_back("layer '" + state.id + "': the project's style is refused: " + s.message());
      }
    }
    if (!state.filter.empty()) {
      const LayerFilterOutcome outcome = twin.filterLayer(state.id, state.filter);
      if (const auto* error = std::get_if<FilterError>(&outcome)) {
        problems_.push_back("layer '" + state.id + "': the project's filter \"" + state.filter +
                            "\" no longer applies: " + error->message);
      } else if (const auto* status = std::get_if<Status>(&outcome)) {
        problems_.push_back("layer '" + state.id + "': the project's filter is not applied: " + status->message());
      }
    }
    return true;
  });
  return pending_.empty();
}

}  // namespace gt::runtime
