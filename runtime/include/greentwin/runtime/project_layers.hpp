#pragma once
// The twin's part of a project (core/project.hpp; docs/workbench.md "Projects"): the layers added at run time, and
// each layer's visibility, opacity, edited style and attribute filter, in draw order. The viewer adds the camera,
// panels and scenario (viewer/src/project_io.hpp).
//
// Update thread (the twin's).

#include <string>
#include <vector>

#include "greentwin/core/project.hpp"

namespace gt::runtime {

class Twin;

// Fills out.addedLayers and out.layers from the twin (colourBy is the viewer's: left as it is in `out` for the ids
// that stay).
void captureProjectLayers(const Twin& twin, Project& out);

// Brings the twin to a project's layers. A layer that is still loading (the window loads in the background, and the
// project's added layers load after they are added) gets its style and filter once it has loaded: call update() each
// frame until it returns true. Nothing is undone on a problem: the rest of the project is applied.
class ProjectLayerApplier {
 public:
  // Adds the project's added layers (one whose id is taken is a problem, and the layer there stays), sets every
  // layer's visibility and opacity, and puts the layers in the project's draw order (layers the project does not
  // name keep their place above the ones it does).
  ProjectLayerApplier(Twin& twin, const Project& project);
  // Applies styles and filters to the layers that have loaded since; true when nothing is left to apply.
  bool update(Twin& twin);
  bool done() const { return pending_.empty(); }
  // What could not be applied, each naming the layer and why: a layer the config no longer has, one that failed to
  // load, a filter whose attribute is gone, a style the layer refuses.
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<ProjectLayer> pending_;
  std::vector<std::string> problems_;
};

}  // namespace gt::runtime
