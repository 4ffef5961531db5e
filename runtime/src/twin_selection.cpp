// Selection by polygon and export (the workbench, issue 16 parts 3 and 6): Twin::featuresInPolygon, exportFeatures.
#include "greentwin/connectors/vector_writer.hpp"
#include "greentwin/core/selection.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::runtime {

Result<std::vector<EntityIndex>> Twin::featuresInPolygon(const std::string& id, std::span<const Vec3d> ring) const {
  const layers::Layer* layer = findLayer(id);
  if (layer == nullptr) return Status(ErrorCode::NotFound, "no layer '" + id + "'");
  const FeatureSet* features = layer->features();
  if (features == nullptr || layer->state() != layers::LayerState::Open) {
    return Status(ErrorCode::Unsupported, "layer '" + id + "' has no features to select");
  }
  if (ring.size() < 3) return Status(ErrorCode::InvalidArgument, "a selection polygon needs at least 3 corners");
  std::vector<EntityIndex> out;
  for (std::uint32_t slot = 0; slot < features->features.size() && slot < layer->slotCount(); ++slot) {
    if (!layer->slotShown(slot)) continue;
    const EntityIndex entity = layer->entityOfSlot(slot);
    if (entity == kInvalidEntity) continue;
    if (ringTakesIn(ring, features->features[slot].geometry)) out.push_back(entity);
  }
  return out;
}

Status Twin::exportFeatures(const std::string& id, std::span<const EntityIndex> entities, const std::string& path,
                            bool overwrite) const {
  const layers::Layer* layer = findLayer(id);
  if (layer == nullptr) return Status(ErrorCode::NotFound, "no layer '" + id + "'");
  const FeatureSet* features = layer->features();
  if (features == nullptr) return Status(ErrorCode::Unsupported, "layer '" + id + "' has no features to export");
  std::vector<connectors::ExportFeature> out;
  out.reserve(entities.size());
  for (const EntityIndex entity : entities) {
    const auto slot = layer->slotOfEntity(entity);
    const Entity* e = entities_.get(entity);
    if (!slot || *slot >= features->features.size() || e == nullptr) {
      return Status(ErrorCode::NotFound, "layer '" + id + "' does not draw entity " + std::to_string(entity));
    }
    out.push_back({e->id, &features->features[*slot].geometry, &e->properties});
  }
  connectors::VectorWriteOptions options;
  options.layerName = id;
  options.overwrite = overwrite;
  return connectors::writeVectorFile(path, out, geoFrame_, options);
}

}  // namespace gt::runtime
