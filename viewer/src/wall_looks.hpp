#pragma once
// Each layer's look on a wall (docs/wall.md "What is sent each frame"): the style it is drawn with, its attribute
// filter and, under "Compare times", the change per feature its colours read — whatever set them on the lead (the
// layer workbench's colour-by form, the style switch, a hand-edited style, a filter, the Compare times panel).
//
// The lead's WallLookTracker numbers each new look of a layer with a revision and says which looks to send (a new
// one at once, all of them again once a second for followers that join late); the frame carries only the revision.
// A follower's WallLookApplier puts the look of the frame's revision on its own layer when it has it, the config's
// look for revision 0. A look the follower cannot take (a style its reader refuses, a filter naming an attribute it
// lacks, values for another number of features) is logged once and the layer keeps what it showed.
//
// Update thread (the window's loop), as the rest of the wall node.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "greentwin/viewer/ui.hpp"
#include "greentwin/wall/frame_state.hpp"
#include "greentwin/wall/layer_look.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

inline constexpr double kLookRepeatS = 1.0;  // how often the lead sends every look again

class WallLookTracker {
 public:
  // `firstRevision`: where this lead's revisions start (random in the window: a restarted lead's revisions are not
  // the old one's, so a follower never takes a new look for one it already shows).
  explicit WallLookTracker(std::uint32_t firstRevision);

  // The lead's frame: sets each of `layers`' look revision (matched by id) from what `twin` and `state` show now,
  // and returns the looks to send before that frame — those that changed, and every look not the config's when
  // `nowS` (steady seconds) is kLookRepeatS past the last repeat.
  std::vector<wall::LayerLook> update(const runtime::Twin& twin, const UiState& state,
                                      std::vector<wall::LayerState>& layers, double nowS);

 private:
  std::uint32_t nextRevision();

  std::uint32_t next_;
  std::map<std::string, wall::LayerLook> current_;  // by layer id; revision 0: the config's look (never sent)
  double lastRepeatS_ = 0;
  bool loggedTooMany_ = false;
};

class WallLookApplier {
 public:
  // Puts the look of `layer.look` on the follower's layer: `look` is the newest received for that layer (nullptr:
  // none yet); a revision not yet received is waited for (the lead repeats its looks). Nothing while the layer is
  // missing or loading.
  void apply(runtime::Twin& twin, const wall::LayerState& layer, const wall::LayerLook* look);
  // The revision the follower's layer shows (0: the config's look).
  std::uint32_t shown(const std::string& layerId) const;

 private:
  std::map<std::string, std::uint32_t> shown_;
};

}  // namespace gt::viewer
