// Picking in a view (app.hpp): the entity under a window point, the ground under it, and "Place model" there.

#include <osgUtil/LineSegmentIntersector>
#include <osgViewer/View>

#include <algorithm>
#include <cmath>

#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"

namespace gt::viewer {

std::optional<EntityIndex> pickEntity(const runtime::Twin& twin, osgViewer::View& view, float x, float y) {
  // Point markers (vehicles) have no area a ray could hit, and they draw over everything else: the layers that
  // draw them pick in window space first, the layer drawn on top first.
  if (const osg::Camera* camera = view.getCamera(); camera != nullptr && camera->getViewport() != nullptr) {
    const osg::Matrixd worldToWindow =
        camera->getViewMatrix() * camera->getProjectionMatrix() * camera->getViewport()->computeWindowMatrix();
    for (auto it = twin.layers().rbegin(); it != twin.layers().rend(); ++it) {
      if (!(*it)->visible()) continue;
      if (const auto entity = (*it)->entityNearWindowPoint(worldToWindow, x, y)) return entity;
    }
  }
  osgUtil::LineSegmentIntersector::Intersections hits;
  // Window coordinates of the main camera (pixels, y up): what a window's events carry, and what headless callers
  // pass; the event-queue variant would rescale by an input range a pbuffer never sets.
  if (!view.computeIntersections(view.getCamera(), osgUtil::Intersector::WINDOW, x, y, hits)) return std::nullopt;
  // Hits come nearest first. 3D content (buildings) in front wins. Ground layers lie on the same surface (draped
  // fills of different layers differ by their triangulation, not by meaning), so every ground hit within a small
  // distance of the first one competes, and the layer drawn on top wins.
  std::optional<EntityIndex> best;
  int bestOrder = -1;
  double groundDistance = -1.0;
  const osg::Vec3d eye = osg::Vec3d() * view.getCamera()->getInverseViewMatrix();
  for (const auto& hit : hits) {
    const layers::Layer* layer = nullptr;
    for (auto it = hit.nodePath.rbegin(); it != hit.nodePath.rend() && layer == nullptr; ++it) {
      std::string id;
      if ((*it)->getUserValue(layers::kLayerUserValue, id)) layer = twin.findLayer(id);
    }
    if (layer == nullptr || !layer->visible()) continue;
    const unsigned int vertex = hit.indexList.empty() ? 0u : hit.indexList.front();
    const auto entity = layer->entityAtHit(hit.nodePath, hit.drawable.get(), vertex);
    if (!entity) continue;
    const double distance = (hit.getWorldIntersectPoint() - eye).length();
    if (groundDistance < 0.0) {
      if (layer->isThreeDimensional()) return entity;
      groundDistance = distance;
    } else if (distance > groundDistance + std::max(30.0, 0.01 * groundDistance)) {
      break;
    }
    if (layer->isThreeDimensional()) continue;
    if (layer->order() > bestOrder) {
      bestOrder = layer->order();
      best = entity;
    }
  }
  return best;
}

std::optional<Vec3d> pickGroundPoint(const runtime::Twin& twin, osgViewer::View& view, float x, float y) {
  osgUtil::LineSegmentIntersector::Intersections hits;
  if (view.computeIntersections(view.getCamera(), osgUtil::Intersector::WINDOW, x, y, hits)) {
    for (const auto& hit : hits) {  // nearest first
      const layers::Layer* layer = nullptr;
      for (auto it = hit.nodePath.rbegin(); it != hit.nodePath.rend() && layer == nullptr; ++it) {
        std::string id;
        if ((*it)->getUserValue(layers::kLayerUserValue, id)) layer = twin.findLayer(id);
      }
      if (layer == nullptr || !layer->visible() || layer->isThreeDimensional()) continue;
      const osg::Vec3d p = hit.getWorldIntersectPoint();
      return Vec3d{p.x(), p.y(), p.z()};
    }
  }
  // No ground layer under the cursor: the ray against the plane z = 0.
  const osg::Matrixd toWorld = osg::Matrixd::inverse(view.getCamera()->getViewMatrix() *
                                                     view.getCamera()->getProjectionMatrix() *
                                                     view.getCamera()->getViewport()->computeWindowMatrix());
  const osg::Vec3d nearPoint = osg::Vec3d(x, y, 0.0) * toWorld;
  const osg::Vec3d farPoint = osg::Vec3d(x, y, 1.0) * toWorld;
  const double dz = farPoint.z() - nearPoint.z();
  if (std::abs(dz) < 1e-9) return std::nullopt;
  const double t = -nearPoint.z() / dz;
  if (t < 0.0) return std::nullopt;
  const osg::Vec3d p = nearPoint + (farPoint - nearPoint) * t;
  return Vec3d{p.x(), p.y(), 0.0};
}

Status placeBimModelAtWindowPoint(runtime::Twin& twin, osgViewer::View& view, const std::string& bimLayerId, float x, float y) {
  const auto current = twin.bimPlacement(bimLayerId);
  if (!current) return Status(ErrorCode::NotFound, "place model: '" + bimLayerId + "' is not a loaded BIM model");
  const auto ground = pickGroundPoint(twin, view, x, y);
  if (!ground) return Status(ErrorCode::OutOfRange, "place model: no ground under the cursor");
  return twin.placeBimModelAt(bimLayerId, *ground, current->anchor.rotationDeg, current->anchor.scale);
}

}  // namespace gt::viewer
