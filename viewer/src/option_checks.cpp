#include "greentwin/viewer/option_checks.hpp"

#include <string_view>

namespace gt::viewer {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

}  // namespace

Status checkBookmark(const Config& config, const std::string& bookmark) {
  if (config.findBookmark(bookmark) != nullptr) return Status::ok();
  std::vector<std::string> ids;
  for (const BookmarkConfig& b : config.bookmarks) ids.push_back(b.id);
  return Status(ErrorCode::NotFound, "no camera bookmark '" + bookmark + "' in the config; " +
                                         (ids.empty() ? std::string("it has no [[camera.bookmarks]]")
                                                      : "known bookmarks: " + joined(ids)));
}

// Where the ids are made: a feature's "<layer id>/<fid or id attribute>" by the layer loader (VectorReadOptions
// idPrefix), a BIM element's "bim/<layer id>/<GUID>" and a storey's "bim/<layer id>/storey/<GUID>" by the runtime's
// BIM loading, a vehicle's "<prefix>..." by the feed under the prefix its layer claims: each type says which
// (LayerTraits::entityIds; layers/layer_registry.cpp).
std::vector<std::string> entityIdForms(const Config& config, const layers::LayerRegistry& types) {
  std::vector<std::string> out;
  for (const LayerConfig& layer : config.layers) {
    for (const layers::EntityIdForm& form : types.entityIdForms(layer)) out.push_back(form.prefix + form.rest);
  }
  return out;
}

Status checkEntityIdForm(const Config& config, const layers::LayerRegistry& types, const std::string& id) {
  for (const LayerConfig& layer : config.layers) {
    for (const layers::EntityIdForm& form : types.entityIdForms(layer)) {
      if (id.size() > form.prefix.size() && std::string_view(id).starts_with(form.prefix)) return Status::ok();
    }
  }
  const std::vector<std::string> forms = entityIdForms(config, types);
  return Status(ErrorCode::NotFound, "'" + id + "' is not an entity id of any configured layer; " +
                                         (forms.empty() ? std::string("no layer of the config has entities")
                                                        : "ids look like: " + joined(forms)));
}

}  // namespace gt::viewer
