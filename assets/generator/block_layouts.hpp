#pragma once
// Block types and their lot layouts: what stands in one block of a zone's street grid. Coordinates are in the
// block frame (origin at the block centre, u along the zone's grid direction), metres.

#include <cstdint>
#include <vector>

#include "geometry.hpp"
#include "planning.hpp"
#include "rng.hpp"

namespace gtgen {

enum class BlockType : std::uint8_t {
  AdminCampus, CbdTowers, Hub, ThemePark, Hotel, ResSlabs, ResTowers, OldLowRise, Commercial, Office,
  School, Hospital, Public, TownLowRise, ArtStudios, Industrial, Village,
};

// Which notable-building name a building gets (numbered per kind in fid order).
enum class NameKind : std::uint8_t { None, Admin, CbdTower, Hub, Theme, Hotel };
enum class FootprintShape : std::uint8_t { Rect, LShape, Chamfered };

// What may be built on a lot: use and ranges the attributes are drawn from.
struct Spec {
  const char* use = "residential";
  int floorsMin = 1, floorsMax = 1;
  double roofMin = 0.3, roofMax = 1.5;  // m above the top floor (parapet, crown or pitched roof)
  int yearMin = 1990, yearMax = 2020;
  NameKind name = NameKind::None;
};

struct Lot {
  P2 centre;            // footprint centre (block frame)
  double w = 10, d = 10;  // footprint extent along u and v
  FootprintShape shape = FootprintShape::Rect;
  double notch = 0.4;   // L-shape notch / chamfer size as a fraction of the smaller side
  int corner = 0;       // which corner the notch takes (0..3)
  Spec spec;
};

// The block's type, drawn from the zone's profile. `oldTownProximity` in [0, 1] grows towards Tongzhou's old
// town (the core's urban profile has more old low-rise blocks there).
BlockType pickBlockType(const Zone& zone, int i, int j, double oldTownProximity, Rng& rng);
// The lots of one block of the given type (interior side = pitch - street).
std::vector<Lot> layoutBlock(BlockType type, const Zone& zone, Rng& rng);
// The footprint ring of a lot (counter-clockwise, block frame).
Ring lotFootprint(const Lot& lot);

}  // namespace gtgen
