#include "block_layouts.hpp"

#include <algorithm>
#include <array>

namespace gtgen {

namespace {

struct Weighted {
  BlockType type;
  double weight;
};

BlockType draw(std::initializer_list<Weighted> options, Rng& rng) {
  std::vector<double> w;
  for (const Weighted& o : options) w.push_back(o.weight);
  return std::data(options)[rng.weightedIndex(w)].type;
}

// Splits the square block interior (side b) into nx * ny lots; `make(lotW, lotD)` proposes the building of a
// lot (centre relative to the lot), which is shrunk to fit inside the lot's setback and jittered in its slack.
template <typename Make>
void splitLots(double b, int nx, int ny, double setback, double emptyChance, Rng& rng, std::vector<Lot>& out, Make make) {
  const double lw = b / nx, ld = b / ny;
  for (int a = 0; a < nx; ++a) {
    for (int c = 0; c < ny; ++c) {
      if (rng.chance(emptyChance)) continue;
      Lot lot = make(lw, ld);
      lot.w = std::min(lot.w, lw - 2.0 * setback);
      lot.d = std::min(lot.d, ld - 2.0 * setback);
      if (lot.w < 5.0 || lot.d < 5.0) continue;
      const double su = 0.5 * (lw - 2.0 * setback - lot.w), sv = 0.5 * (ld - 2.0 * setback - lot.d);
      lot.centre = {-0.5 * b + (a + 0.5) * lw + rng.uniform(-su, su), -0.5 * b + (c + 0.5) * ld + rng.uniform(-sv, sv)};
      out.push_back(lot);
    }
  }
}

Lot building(double w, double d, FootprintShape shape, const Spec& spec, Rng& rng) {
  Lot lot;
  lot.w = w;
  lot.d = d;
  lot.shape = shape;
  lot.notch = rng.uniform(0.3, 0.5);
  lot.corner = rng.uniformInt(0, 3);
  lot.spec = spec;
  return lot;
}

double interior(const Zone& z) { return z.pitch - z.street; }

// The building eras of a block: old estates are low, new ones taller and greener.
Spec residentialSlabSpec(const Zone& z, Rng& rng) {
  if (z.group == Group::Town) return {"residential", 4, 11, 0.3, 1.5, 1995, 2022, NameKind::None};
  if (rng.chance(0.4)) return {"residential", 5, 7, 0.3, 1.5, 1985, 2004, NameKind::None};
  return {"residential", 9, 18, 0.5, 2.0, 2005, 2023, NameKind::None};
}

void layoutAdmin(const Zone& z, Rng& rng, std::vector<Lot>& out) {
  splitLots(interior(z), 2, 2, 8.0, 0.1, rng, out, [&](double lw, double ld) {
    const bool hall = rng.chance(0.25);
    const Spec spec{hall ? "public" : "office", hall ? 3 : 6, hall ? 6 : 12, 0.8, 2.5, 2016, 2019, NameKind::Admin};
    return building(rng.uniform(0.55, 0.85) * lw, rng.uniform(0.45, 0.7) * ld,
                    rng.chance(0.5) ? FootprintShape::LShape : FootprintShape::Rect, spec, rng);
  });
}

void layoutCbd(const Zone& z, Rng& rng, std::vector<Lot>& out) {
  splitLots(interior(z), 2, 2, 6.0, 0.1, rng, out, [&](double, double) {
    const Spec tower{"office", 18, 45, 1.5, 3.5, 2014, 2024, NameKind::CbdTower};
    const double s = rng.uniform(28.0, 42.0);
    return building(s, s * rng.uniform(0.8, 1.0), FootprintShape::Chamfered, tower, rng);
  });
}

void layoutHub(const Zone& z, Rng& rng, std::vector<Lot>& out) {
  const double b = interior(z);
  Lot hub = building(0.8 * b, 0.45 * b, FootprintShape::Rect, {"public", 3, 4, 1.5, 3.5, 2023, 2024, NameKind::Hub}, rng);
  hub.centre = {0.0, 0.0};
  out.push_back(hub);
}

void layoutTheme(const Zone& z, Rng& rng, std::vector<Lot>& out) {
  splitLots(interior(z), 3, 3, 6.0, 0.25, rng, out, [&](double lw, double ld) {
    const Spec spec{"commercial", 1, 5, 1.0, 3.5, 2019, 2021, NameKind::Theme};
    const auto shape = static_cast<FootprintShape>(rng.uniformInt(0, 2));
    return building(rng.uniform(0.35, 0.9) * lw, rng.uniform(0.35, 0.9) * ld, shape, spec, rng);
  });
}

void layoutHotel(const Zone& z, Rng& rng, std::vector<Lot>& out) {
  splitLots(interior(z), 1, 2, 10.0, 0.0, rng, out, [&](double lw, double) {
    const Spec spec{"commercial", 6, 12, 1.0, 2.5, 2019, 2021, NameKind::Hotel};
    return building(rng.uniform(0.6, 0.8) * lw, rng.uniform(20.0, 28.0), FootprintShape::Rect, spec, rng);
  });
}

void layoutResSlabs(const Zone& z, Rng& rng, std::vector<Lot>& out) {
  const Spec spec = residentialSlabSpec(z, rng);
  const int cols = interior(z) >= 125.0 ? 2 : 1;
  const int rows = interior(z) >= 125.0 ? 4 : 3;
  splitLots(interior(z), cols, rows, 5.0, 0.05, rng, out, [&](double lw, double) {
    return building(rng.uniform(0.7, 0.92) * lw, rng.uniform(11.0, 15.0), FootprintShape::Rect, spec, rng);
  });
}

void layoutResTowers(const Zone& z, Rng& rng, std::vector<Lot>& out) {
  splitLots(interior(z), 3, 3, 6.0, 0.1, rng, out, [&](double, double) {
    const Spec spec{"residential", 18, 32, 1.0, 3.0, 2005, 2023, NameKind::None};
    const double s = rng.uniform(20.0, 28.0);
    return building(s, s * rng.uniform(0.75, 1.0), rng.chance(0.5) ? FootprintShape::Chamfered : FootprintShape::Rect, spec, rng);
  });
}

void layoutLowRise(const Zone& z, int n, const Spec& spec, Rng& rng, std::vector<Lot>& out) {
  splitLots(interior(z), n, n, 3.0, 0.12, rng, out, [&](double lw, double ld) {
    return building(rng.uniform(0.5, 0.85) * lw, rng.uniform(0.45, 0.8) * ld,
                    rng.chance(0.3) ? FootprintShape::LShape : FootprintShape::Rect, spec, rng);
  });
}

void layoutCommercial(const Zone& z, Rng& rng, std::vector<Lot>& out) {
  splitLots(interior(z), 2, 2, 6.0, 0.15, rng, out, [&](double lw, double ld) {
    const Spec spec{"commercial", 3, 8, 0.8, 2.5, 1995, 2023, NameKind::None};
    return building(rng.uniform(0.55, 0.9) * lw, rng.uniform(0.5, 0.85) * ld, FootprintShape::LShape, spec, rng);
  });
}

void layoutOffice(const Zone& z, Rng& rng, std::vector<Lot>& out) {
  const bool low = z.group == Group::Industrial;
  splitLots(interior(z), 2, 2, 6.0, 0.15, rng, out, [&](double, double) {
    const Spec spec{"office", low ? 3 : 8, low ? 6 : 25, 1.0, 3.0, 2005, 2023, NameKind::None};
    const double s = rng.uniform(28.0, 45.0);
    return building(s, s * rng.uniform(0.6, 1.0), rng.chance(0.5) ? FootprintShape::Chamfered : FootprintShape::Rect, spec, rng);
  });
}

// A school: the main building (L) and a gym in the north half; the south half is the sports ground.
void layoutSchool(const Zone& z, Rng& rng, std::vector<Lot>& out) {
  const double b = interior(z);
  const int year = rng.uniformInt(1990, 2023);
  Lot main = building(std::min(70.0, 0.55 * b), std::min(50.0, 0.4 * b), FootprintShape::LShape,
                      {"school", 4, 5, 0.5, 1.5, year, year, NameKind::None}, rng);
  main.centre = {-0.22 * b, 0.25 * b};
  Lot gym = building(std::min(35.0, 0.3 * b), std::min(25.0, 0.3 * b), FootprintShape::Rect,
                     {"school", 1, 2, 1.0, 3.0, year, year, NameKind::None}, rng);
  gym.centre = {0.3 * b, 0.28 * b};
  out.push_back(main);
  out.push_back(gym);
}

void layoutHospital(const Zone& z, Rng& rng, std::vector<Lot>& out) {
  const double b = interior(z);
  const int year = rng.uniformInt(1995, 2023);
  Lot main = building(0.55 * b, 0.4 * b, FootprintShape::LShape, {"hospital", 8, 16, 1.0, 3.0, year, year, NameKind::None}, rng);
  main.centre = {-0.17 * b, 0.22 * b};
  out.push_back(main);
  for (double x : {-0.25, 0.25}) {
    Lot annex = building(0.22 * b, 0.16 * b, FootprintShape::Rect, {"hospital", 3, 5, 0.5, 1.5, year, 2023, NameKind::None}, rng);
    annex.centre = {x * b, -0.25 * b};
    out.push_back(annex);
  }
}

void layoutPublic(const Zone& z, Rng& rng, std::vector<Lot>& out) {
  splitLots(interior(z), 2, 2, 8.0, 0.4, rng, out, [&](double lw, double ld) {
    const Spec spec{"public", 2, 6, 0.5, 2.0, 1990, 2024, NameKind::None};
    return building(rng.uniform(0.45, 0.8) * lw, rng.uniform(0.45, 0.8) * ld,
                    rng.chance(0.4) ? FootprintShape::LShape : FootprintShape::Rect, spec, rng);
  });
}

void layoutIndustrial(const Zone& z, Rng& rng, std::vector<Lot>& out) {
  const int n = interior(z) > 180.0 ? 2 : 1;
  splitLots(interior(z), n, n, 8.0, 0.1, rng, out, [&](double lw, double ld) {
    const Spec spec{"industrial", 1, 3, 1.0, 3.5, 1995, 2022, NameKind::None};
    return building(rng.uniform(0.5, 0.85) * lw, rng.uniform(0.4, 0.75) * ld, FootprintShape::Rect, spec, rng);
  });
}

void layoutVillage(const Zone& z, Rng& rng, std::vector<Lot>& out) {
  splitLots(interior(z), 2, 3, 1.5, 0.1, rng, out, [&](double, double) {
    const bool two = rng.chance(0.2);
    const Spec spec{"village", two ? 2 : 1, two ? 2 : 1, 2.0, 3.5, 1975, 2015, NameKind::None};
    return building(rng.uniform(11.0, 15.0), rng.uniform(8.0, 12.0), FootprintShape::Rect, spec, rng);
  });
}

}  // namespace

BlockType pickBlockType(const Zone& zone, int i, int j, double oldTownProximity, Rng& rng) {
  using B = BlockType;
  switch (zone.profile) {
    case Profile::Admin: return B::AdminCampus;
    case Profile::CanalCbd:
      return draw({{B::CbdTowers, 0.75}, {B::Commercial, 0.15}, {B::Public, 0.05}, {B::ResTowers, 0.05}}, rng);
    case Profile::StationHub:
      return i == 0 && j == 0 ? B::Hub : draw({{B::Office, 0.5}, {B::Commercial, 0.5}}, rng);
    case Profile::Theme: return draw({{B::ThemePark, 0.8}, {B::Hotel, 0.2}}, rng);
    case Profile::Urban:
      return draw({{B::ResSlabs, 0.33}, {B::ResTowers, 0.14}, {B::OldLowRise, 0.12 + 0.6 * oldTownProximity},
                   {B::Commercial, 0.10}, {B::Office, 0.08}, {B::School, 0.06}, {B::Hospital, 0.02}, {B::Public, 0.05}},
                  rng);
    case Profile::Town:
      if (zone.key == "songzhuang")
        return draw({{B::ArtStudios, 0.35}, {B::TownLowRise, 0.3}, {B::ResSlabs, 0.2}, {B::School, 0.05}, {B::Public, 0.1}}, rng);
      return draw({{B::TownLowRise, 0.35}, {B::ResSlabs, 0.25}, {B::Commercial, 0.1}, {B::School, 0.05},
                   {B::Public, 0.05}, {B::Industrial, 0.1}, {B::Hospital, 0.01}},
                  rng);
    case Profile::Industrial: return draw({{B::Industrial, 0.85}, {B::Office, 0.15}}, rng);
    case Profile::Village: return B::Village;
  }
  return B::Village;
}

std::vector<Lot> layoutBlock(BlockType type, const Zone& zone, Rng& rng) {
  std::vector<Lot> lots;
  using B = BlockType;
  switch (type) {
    case B::AdminCampus: layoutAdmin(zone, rng, lots); break;
    case B::CbdTowers: layoutCbd(zone, rng, lots); break;
    case B::Hub: layoutHub(zone, rng, lots); break;
    case B::ThemePark: layoutTheme(zone, rng, lots); break;
    case B::Hotel: layoutHotel(zone, rng, lots); break;
    case B::ResSlabs: layoutResSlabs(zone, rng, lots); break;
    case B::ResTowers: layoutResTowers(zone, rng, lots); break;
    case B::OldLowRise: layoutLowRise(zone, 5, {"residential", 1, 3, 0.3, 1.5, 1960, 1998, NameKind::None}, rng, lots); break;
    case B::TownLowRise: layoutLowRise(zone, 4, {"residential", 2, 4, 0.3, 2.5, 1980, 2015, NameKind::None}, rng, lots); break;
    case B::ArtStudios: layoutLowRise(zone, 4, {"commercial", 1, 3, 0.5, 2.5, 1995, 2020, NameKind::None}, rng, lots); break;
    case B::Commercial: layoutCommercial(zone, rng, lots); break;
    case B::Office: layoutOffice(zone, rng, lots); break;
    case B::School: layoutSchool(zone, rng, lots); break;
    case B::Hospital: layoutHospital(zone, rng, lots); break;
    case B::Public: layoutPublic(zone, rng, lots); break;
    case B::Industrial: layoutIndustrial(zone, rng, lots); break;
    case B::Village: layoutVillage(zone, rng, lots); break;
  }
  return lots;
}

Ring lotFootprint(const Lot& lot) {
  const double hw = 0.5 * lot.w, hd = 0.5 * lot.d;
  const P2 c = lot.centre;
  const double n = lot.notch * std::min(lot.w, lot.d);
  switch (lot.shape) {
    case FootprintShape::Rect:
      return {c + P2{-hw, -hd}, c + P2{hw, -hd}, c + P2{hw, hd}, c + P2{-hw, hd}};
    case FootprintShape::Chamfered: {
      const double k = 0.5 * n;  // cut the four corners
      return {c + P2{-hw + k, -hd}, c + P2{hw - k, -hd}, c + P2{hw, -hd + k}, c + P2{hw, hd - k},
              c + P2{hw - k, hd},   c + P2{-hw + k, hd}, c + P2{-hw, hd - k}, c + P2{-hw, -hd + k}};
    }
    case FootprintShape::LShape: {
      // A rectangle with one corner cut away (0 bottom-left, 1 bottom-right, 2 top-right, 3 top-left):
      // built for the top-right corner, then mirrored.
      Ring ring{{-hw, -hd}, {hw, -hd}, {hw, hd - n}, {hw - n, hd - n}, {hw - n, hd}, {-hw, hd}};
      const double sx = lot.corner == 1 || lot.corner == 2 ? 1.0 : -1.0;
      const double sy = lot.corner >= 2 ? 1.0 : -1.0;
      for (P2& p : ring) p = c + P2{sx * p.x, sy * p.y};
      if (signedArea(ring) < 0.0) std::reverse(ring.begin(), ring.end());
      return ring;
    }
  }
  return {};
}

}  // namespace gtgen
