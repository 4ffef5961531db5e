#include "ifc_geometry.hpp"

#include <cmath>

#include <ifcpp/IFC4/include/IfcProduct.h>
#include <ifcpp/geometry/Carve/GeometryConverter.h>
#include <ifcpp/model/BuildingModel.h>
#include <ifcpp/reader/ReaderSTEP.h>

namespace gt::bim {
namespace {

struct MessageSink {
  std::size_t errors = 0;
  std::string first;
};

void onMessage(void* target, shared_ptr<StatusCallback::Message> m) {
  auto* sink = static_cast<MessageSink*>(target);
  if (!m || m->m_message_type != StatusCallback::MESSAGE_TYPE_ERROR) return;
  ++sink->errors;
  if (sink->first.empty()) {
    // Messages are wide strings of ASCII text in practice; keep the ASCII part.
    for (wchar_t c : m->m_message_text) {
      if (c == L'\n' || c == L'\r' || c == L'\t') c = L' ';
      sink->first += c >= 32 && c < 127 ? static_cast<char>(c) : '?';
    }
    while (!sink->first.empty() && sink->first.back() == ' ') sink->first.pop_back();
  }
}

std::array<float, 4> colourOf(const std::vector<shared_ptr<AppearanceData>>& appearances) {
  for (const auto& a : appearances) {
    if (!a) continue;
    if (a->m_apply_to_geometry_type != AppearanceData::GEOM_TYPE_SURFACE &&
        a->m_apply_to_geometry_type != AppearanceData::GEOM_TYPE_ANY &&
        a->m_apply_to_geometry_type != AppearanceData::GEOM_TYPE_VOLUME) {
      continue;
    }
    const auto& c = a->m_color_diffuse;
    if (!std::isfinite(c.r()) || c.r() < 0 || c.g() < 0 || c.b() < 0) continue;
    float alpha = static_cast<float>(c.a());
    if (!(alpha > 0.0f) || alpha > 1.0f) alpha = 1.0f;
    return {static_cast<float>(c.r()), static_cast<float>(c.g()), static_cast<float>(c.b()), alpha};
  }
  return {-1.f, -1.f, -1.f, -1.f};
}

MeshPart& partFor(ElementMesh& mesh, const std::array<float, 4>& rgba) {
  for (MeshPart& p : mesh.parts) {
    if (p.rgba == rgba) return p;
  }
  mesh.parts.push_back(MeshPart{rgba, {}, {}});
  return mesh.parts.back();
}

// `toWorld`: the product's placement (IFC++ keeps item meshes in product coordinates).
void addMeshSet(shared_ptr<carve::mesh::MeshSet<3>>& meshset, bool closedKind, const carve::math::Matrix& toWorld,
                MeshPart& part, ElementMesh& mesh) {
  if (!meshset) return;
  CSG_Adapter::retriangulateMeshSet(meshset);
  std::vector<carve::geom::vector<3>> loop;
  for (const carve::mesh::Mesh<3>* m : meshset->meshes) {
    if (!m) continue;
    if (closedKind && m->isClosed()) {
      const double v = m->volume();  // placements are rigid: the volume is the same in world coordinates
      if (std::isfinite(v)) {
        mesh.closedVolumeM3 += std::abs(v);
        mesh.hasClosedMesh = true;
      }
    }
    for (const carve::mesh::Face<3>* face : m->faces) {
      if (!face || face->nVertices() < 3 || face->nVertices() > 100000) continue;
      loop.clear();
      const carve::mesh::Edge<3>* e = face->edge;
      for (std::size_t i = 0; i < face->nVertices() && e; ++i, e = e->next) loop.push_back(toWorld * e->v1()->v);
      if (loop.size() < 3) continue;
      // The outward normal in world coordinates.
      auto n = toWorld * (e->v1()->v + face->plane.N) - toWorld * e->v1()->v;
      const double len = std::sqrt(n.x * n.x + n.y * n.y + n.z * n.z);
      if (!(len > 0) || !std::isfinite(len)) continue;
      n.x /= len, n.y /= len, n.z /= len;
      // Fan over the (convex, after retriangulation) face, wound counter-clockwise around the outward normal.
      for (std::size_t i = 1; i + 1 < loop.size(); ++i) {
        const auto& a = loop[0];
        const auto& b = loop[i];
        const auto& c = loop[i + 1];
        const auto ab = b - a;
        const auto ac = c - a;
        const double cx = ab.y * ac.z - ab.z * ac.y;
        const double cy = ab.z * ac.x - ab.x * ac.z;
        const double cz = ab.x * ac.y - ab.y * ac.x;
        const bool flip = cx * n.x + cy * n.y + cz * n.z < 0;
        const auto* p1 = flip ? &c : &b;
        const auto* p2 = flip ? &b : &c;
        for (const auto* p : {&a, p1, p2}) {
          part.positions.push_back(p->x);
          part.positions.push_back(p->y);
          part.positions.push_back(p->z);
        }
        part.normals.push_back(static_cast<float>(n.x));
        part.normals.push_back(static_cast<float>(n.y));
        part.normals.push_back(static_cast<float>(n.z));
        ++mesh.triangles;
      }
    }
  }
}

}  // namespace

Result<IfcGeometry> convertIfcGeometry(std::string text, const std::string& displayName,
                                       std::vector<std::shared_ptr<void>>* park) {
  MessageSink sink;
  auto model = std::make_shared<BuildingModel>();
  auto reader = std::make_shared<ReaderSTEP>();
  reader->setMessageCallBack(&sink, &onMessage);
  model->setMessageCallBack(&sink, &onMessage);
  try {
    reader->loadModelFromString(text, model);
  } catch (const std::bad_alloc&) {
    throw;  // the importer reports out-of-memory itself
  } catch (const std::exception& e) {
    return Status(ErrorCode::ParseError, displayName + ": IFC reader: " + e.what());
  } catch (...) {
    return Status(ErrorCode::ParseError, displayName + ": IFC reader failed");
  }
  if (model->getMapIfcEntities().empty()) {
    return Status(ErrorCode::ParseError, "not an IFC file: " + displayName + ": the IFC reader found no entities" +
                                             (sink.first.empty() ? "" : " (" + sink.first + ")"));
  }

  auto converterPtr = std::make_shared<GeometryConverter>(model);
  GeometryConverter& converter = *converterPtr;
  if (park) {
    park->push_back(model);
    park->push_back(converterPtr);
    park->push_back(reader);
  }
  converter.setMessageCallBack(&sink, &onMessage);
  try {
    converter.convertGeometry();
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    return Status(ErrorCode::ParseError, displayName + ": IFC geometry: " + e.what());
  } catch (...) {
    return Status(ErrorCode::ParseError, displayName + ": IFC geometry conversion failed");
  }

  IfcGeometry out;
  for (auto& [id, shape] : converter.getShapeInputData()) {
    if (!shape || id < 0) continue;
    const shared_ptr<IfcObjectDefinition> def = shape->m_ifc_object_definition.lock();
    if (!dynamic_pointer_cast<IfcProduct>(def)) continue;
    ElementMesh mesh;
    const carve::math::Matrix toWorld = shape->getTransform();
    const auto productColour = colourOf(shape->getAppearances());
    for (auto& rep : shape->m_vec_representations) {
      if (!rep) continue;
      // Bounding boxes, footprints and axes would double or clutter the body.
      const std::wstring& ident = rep->m_representation_identifier;
      if (ident == L"Box" || ident == L"BoundingBox" || ident == L"FootPrint" || ident == L"Axis" ||
          ident == L"Annotation") {
        continue;
      }
      const auto repColour = colourOf(rep->m_vec_representation_appearances);
      for (auto& item : rep->m_vec_item_data) {
        if (!item) continue;
        auto colour = colourOf(item->m_vec_item_appearances);
        if (colour[0] < 0) colour = repColour[0] >= 0 ? repColour : productColour;
        MeshPart& part = partFor(mesh, colour);
        for (auto& ms : item->m_meshsets) addMeshSet(ms, true, toWorld, part, mesh);
        for (auto& ms : item->m_meshsets_open) addMeshSet(ms, false, toWorld, part, mesh);
      }
    }
    std::erase_if(mesh.parts, [](const MeshPart& p) { return p.positions.empty(); });
    if (!mesh.parts.empty()) out.byId.emplace(static_cast<std::uint64_t>(id), std::move(mesh));
  }
  out.errorMessages = sink.errors;
  out.firstError = sink.first;
  // The message callbacks point at this frame's sink: detach them before a parked model outlives it.
  model->unsetMessageCallBack();
  reader->unsetMessageCallBack();
  converter.unsetMessageCallBack();
  return out;
}

}  // namespace gt::bim
