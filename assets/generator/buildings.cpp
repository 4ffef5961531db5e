#include "buildings.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "block_layouts.hpp"
#include "places.hpp"
#include "rng.hpp"

namespace gtgen {

namespace {

// Share of the requested buildings per Group (core, towns, industrial parks, villages).
constexpr std::array<double, kGroupCount> kGroupShare{0.57, 0.22, 0.01, 0.20};
constexpr double kBuildingGap = 1.0;  // minimum clear distance between two buildings (m)

struct Candidate {
  int zone = 0, i = 0, j = 0, lot = 0;
  double key = 0.0;  // selection order within the group: smaller first
  Ring footprint;    // world (local metres)
  Obb bounds;
  Spec spec;
  std::uint64_t seed = 0;
};

struct Centres {
  P2 oldTown, canal, admin, hub;
};

double blockWeight(const Zone& z, P2 c, const Centres& centres) {
  switch (z.group) {
    case Group::Core: {
      if (z.profile != Profile::Urban) return 3.0;
      const double d = std::min({distance(c, centres.oldTown), distance(c, centres.canal), distance(c, centres.admin),
                                 distance(c, centres.hub)});
      return 0.25 + 1.2 * std::exp(-d / 2000.0);
    }
    case Group::Town: {
      const double q = distance(c, z.centre) / (0.6 * z.radius);
      return 0.2 + std::exp(-q * q);
    }
    case Group::Industrial: return 1.0;
    case Group::Village: {
      const double q = distance(c, z.centre) / z.radius;
      return 0.2 + std::exp(-q * q);
    }
  }
  return 1.0;
}

// The grid index range that covers a zone's region.
std::array<int, 4> blockRange(const Zone& z, const Planning& planning) {
  Box box;
  if (z.radius > 0.0) {
    box.add({-z.radius, -z.radius});
    box.add({z.radius, z.radius});
  } else {
    for (P2 p : planning.coreRing) box.add(z.toGrid(p));
  }
  return {static_cast<int>(std::floor(box.minX / z.pitch)) - 1, static_cast<int>(std::ceil(box.maxX / z.pitch)) + 1,
          static_cast<int>(std::floor(box.minY / z.pitch)) - 1, static_cast<int>(std::ceil(box.maxY / z.pitch)) + 1};
}

// Lot (block frame) -> candidate in world coordinates, or false if it breaks a site rule.
bool placeLot(const Zone& z, P2 blockCentre, const Lot& lot, const SiteRules& rules, Candidate& out) {
  const double c = z.cosR(), s = z.sinR();
  out.bounds = Obb{blockCentre + rotate(lot.centre, c, s), {c, s}, 0.5 * lot.w, 0.5 * lot.d};
  if (!rules.buildable(out.bounds.c, out.bounds.radius())) return false;
  out.footprint.clear();
  for (P2 p : lotFootprint(lot)) out.footprint.push_back(blockCentre + rotate(p, c, s));
  out.spec = lot.spec;
  return true;
}

void addZoneCandidates(const Zone& z, const Planning& planning, const SiteRules& rules, const Centres& centres,
                       std::vector<Candidate>& out) {
  const auto [i0, i1, j0, j1] = blockRange(z, planning);
  for (int i = i0; i <= i1; ++i) {
    for (int j = j0; j <= j1; ++j) {
      const P2 bc = z.blockCentre(i, j);
      if (planning.owner(bc) != &z) continue;
      const auto zoneKey = static_cast<std::uint64_t>(z.id);
      Rng rng(hashSeed(kCitySeed, 0x626c6f636bULL, zoneKey, static_cast<std::uint64_t>(i + 100000),
                       static_cast<std::uint64_t>(j + 100000)));
      const double oldTown = std::exp(-distance(bc, centres.oldTown) / 1500.0);
      const BlockType type = pickBlockType(z, i, j, oldTown, rng);
      const double blockKey = -std::log(1.0 - rng.uniform()) / blockWeight(z, bc, centres);
      const std::vector<Lot> lots = layoutBlock(type, z, rng);
      for (std::size_t k = 0; k < lots.size(); ++k) {
        Candidate cand;
        if (!placeLot(z, bc, lots[k], rules, cand)) continue;
        cand.zone = z.id;
        cand.i = i;
        cand.j = j;
        cand.lot = static_cast<int>(k);
        cand.key = blockKey + 1e-9 * static_cast<double>(k);
        cand.seed = hashSeed(kCitySeed, 0x6174747273ULL, zoneKey, static_cast<std::uint64_t>(i + 100000),
                             static_cast<std::uint64_t>(j + 100000), k);
        out.push_back(std::move(cand));
      }
    }
  }
}

// Quotas per group; a group that cannot fill its quota passes the rest to the next one.
std::array<int, kGroupCount> groupQuotas(int target) {
  std::array<int, kGroupCount> q{};
  int assigned = 0;
  for (int g = 0; g + 1 < kGroupCount; ++g) {
    q[static_cast<std::size_t>(g)] = static_cast<int>(std::lround(target * kGroupShare[static_cast<std::size_t>(g)]));
    assigned += q[static_cast<std::size_t>(g)];
  }
  q[kGroupCount - 1] = target - assigned;
  return q;
}

// Accepts candidates group by group in key order, skipping those that touch an accepted building.
std::vector<const Candidate*> select(const Planning& planning, std::vector<Candidate>& candidates, int target,
                                     const Progress& progress, std::vector<int>& perGroup) {
  auto groupOf = [&](const Candidate& c) { return static_cast<int>(planning.zones[static_cast<std::size_t>(c.zone)].group); };
  std::sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
    const int ga = groupOf(a), gb = groupOf(b);
    return ga != gb ? ga < gb : (a.key != b.key ? a.key < b.key : a.zone < b.zone);
  });
  const auto quotas = groupQuotas(target);
  ObbGrid grid(100.0);
  std::vector<const Candidate*> chosen;
  std::vector<bool> taken(candidates.size(), false);
  perGroup.assign(kGroupCount, 0);
  int carry = 0;
  auto accept = [&](std::size_t idx) {
    grid.insert(candidates[idx].bounds);
    taken[idx] = true;
    chosen.push_back(&candidates[idx]);
    ++perGroup[static_cast<std::size_t>(groupOf(candidates[idx]))];
    if (progress && (chosen.size() % 10000 == 0)) progress(static_cast<int>(chosen.size()), target);
  };
  std::size_t begin = 0;
  for (int g = 0; g < kGroupCount; ++g) {
    const int want = quotas[static_cast<std::size_t>(g)] + carry;
    int got = 0;
    std::size_t idx = begin;
    for (; idx < candidates.size() && groupOf(candidates[idx]) == g; ++idx) {
      if (got >= want || grid.overlapsAny(candidates[idx].bounds, kBuildingGap)) continue;
      accept(idx);
      ++got;
    }
    carry = want - got;
    begin = idx;
  }
  // Still short (only for very large requests): take what is left anywhere.
  for (std::size_t idx = 0; idx < candidates.size() && static_cast<int>(chosen.size()) < target; ++idx)
    if (!taken[idx] && !grid.overlapsAny(candidates[idx].bounds, kBuildingGap)) accept(idx);
  return chosen;
}

int greenStar(const char* use, int year, Rng& rng) {
  const std::string u = use;
  const bool publicUse = u == "public" || u == "school" || u == "hospital";
  if (u == "village") return year >= 2012 && rng.chance(0.3) ? 1 : 0;
  if (year >= 2017) return publicUse ? 3 : (rng.chance(0.25) ? 3 : 2);  // programme: new public 3-star, civil 2+
  if (year >= 2010) return rng.chance(0.5) ? 1 : (rng.chance(0.3) ? 2 : 0);
  return rng.chance(0.05) ? 1 : 0;
}

// The label a building holds (GB/T 50378-2019 绿色建筑评价标准: 基本级 basic, then one to three stars), decided
// after everything else from a stream of its own, so no other attribute changes with it. Before the programme period
// (2021) the label is the stars drawn above. From 2021 new public buildings keep their three stars (the programme);
// of the others 80 % obtain the star rating they were designed for, 14 % only the basic level and 6 % no rating at
// all (synthetic shares: most new buildings rated, some not). The energy use stays that of the design: a building
// performs as built whether or not it was labelled.
void labelGreenRating(Building& b, const std::string& use, bool adminOffice, std::uint64_t seed) {
  constexpr int kProgrammeFirstYear = 2021;
  const bool publicUse = use == "public" || use == "school" || use == "hospital" || adminOffice;
  if (b.yearBuilt >= kProgrammeFirstYear && !publicUse && b.greenStar > 0) {
    Rng rng(hashSeed(seed, 0x677265656eULL));  // "green"
    const double u = rng.uniform();
    if (u >= 0.80) b.greenStar = 0;
    b.greenRating = u < 0.80 ? std::to_string(b.greenStar) + "-star" : u < 0.94 ? "basic" : "none";
    return;
  }
  b.greenRating = b.greenStar > 0 ? std::to_string(b.greenStar) + "-star" : "none";
}

double baseEnergy(const std::string& use) {
  if (use == "residential") return 95.0;
  if (use == "office") return 140.0;
  if (use == "commercial") return 190.0;
  if (use == "public") return 120.0;
  if (use == "industrial") return 160.0;
  if (use == "school") return 100.0;
  if (use == "hospital") return 230.0;
  return 110.0;  // village
}

double round1(double v) { return std::round(v * 10.0) / 10.0; }

Building finish(const Candidate& c) {
  Rng rng(c.seed);
  Building b;
  b.footprint = c.footprint;
  b.bounds = c.bounds;
  b.use = c.spec.use;
  const double t = std::pow(rng.uniform(), 1.6);  // more low than high buildings
  b.floors = c.spec.floorsMin + static_cast<int>(std::floor(t * (c.spec.floorsMax - c.spec.floorsMin + 1)));
  b.floors = std::min(b.floors, c.spec.floorsMax);
  b.heightM = round1(b.floors * kStoreyHeight + rng.uniform(c.spec.roofMin, c.spec.roofMax));
  b.yearBuilt = rng.uniformInt(c.spec.yearMin, c.spec.yearMax);
  const bool adminOffice = c.spec.name == NameKind::Admin;
  b.greenStar = adminOffice ? 3 : greenStar(c.spec.use, b.yearBuilt, rng);
  const double roof = std::abs(signedArea(c.footprint));
  const bool publicNew = b.yearBuilt >= 2020 && (b.greenStar == 3) && b.use != "residential";
  if (publicNew || adminOffice) b.roofPvKw = round1(0.10 * roof);  // PV on all new public buildings
  else if (b.yearBuilt >= 2017 && rng.chance(0.4)) b.roofPvKw = round1(0.06 * roof);
  else if (rng.chance(b.use == "village" ? 0.05 : 0.08)) b.roofPvKw = round1(std::min(0.05 * roof, b.use == "village" ? 10.0 : 1e9));
  const double era = b.yearBuilt < 1990 ? 1.35 : b.yearBuilt < 2005 ? 1.15 : b.yearBuilt < 2017 ? 1.0 : 0.8;
  b.energyKwhM2Yr = round1(baseEnergy(b.use) * era * (1.0 - 0.07 * b.greenStar) * rng.uniform(0.9, 1.1));
  labelGreenRating(b, b.use, adminOffice, c.seed);
  return b;
}

void nameNotable(const Candidate& c, Building& b, std::array<int, 6>& counters) {
  const auto kind = static_cast<std::size_t>(c.spec.name);
  if (c.spec.name == NameKind::None || (c.spec.name == NameKind::CbdTower && b.floors < 25)) return;
  const std::string n = std::to_string(++counters[kind]);
  switch (c.spec.name) {
    case NameKind::Admin:
      b.nameZh = "行政办公区 " + n + "号楼";
      b.nameEn = "Administrative Office Area Building " + n;
      break;
    case NameKind::CbdTower:
      b.nameZh = "运河商务区 " + n + "号塔楼";
      b.nameEn = "Canal Business District Tower " + n;
      break;
    case NameKind::Hub:
      b.nameZh = kStationHub.nameZh;
      b.nameEn = kStationHub.nameEn;
      break;
    case NameKind::Theme:
      b.nameZh = "环球影城主题建筑 " + n;
      b.nameEn = "Universal Beijing Resort themed building " + n;
      break;
    case NameKind::Hotel:
      b.nameZh = "环球影城度假酒店 " + n;
      b.nameEn = "Universal Beijing Resort hotel " + n;
      break;
    case NameKind::None: break;
  }
}

}  // namespace

BuildingResult makeBuildings(const Planning& planning, const SiteRules& rules, int target, const Progress& progress) {
  Centres centres;
  for (const Zone& z : planning.zones) {
    if (z.key == "canal_cbd") centres.canal = z.centre;
    if (z.key == "admin") centres.admin = z.centre;
    if (z.key == "station_hub") centres.hub = z.centre;
  }
  centres.oldTown = planning.oldTown;
  std::vector<Candidate> candidates;
  for (const Zone& z : planning.zones) addZoneCandidates(z, planning, rules, centres, candidates);

  BuildingResult result;
  std::vector<const Candidate*> chosen = select(planning, candidates, target, progress, result.perGroup);
  std::sort(chosen.begin(), chosen.end(), [](const Candidate* a, const Candidate* b) {
    return std::tie(a->zone, a->i, a->j, a->lot) < std::tie(b->zone, b->i, b->j, b->lot);
  });
  std::array<int, 6> counters{};
  result.buildings.reserve(chosen.size());
  for (const Candidate* c : chosen) {
    Building b = finish(*c);
    nameNotable(*c, b, counters);
    result.buildings.push_back(std::move(b));
    const BlockRef block{c->zone, c->i, c->j};
    if (result.occupied.empty() || !(result.occupied.back() == block)) result.occupied.push_back(block);
  }
  if (progress && result.buildings.size() % 10000 != 0) progress(static_cast<int>(result.buildings.size()), target);
  return result;
}

}  // namespace gtgen
