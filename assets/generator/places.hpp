#pragma once
// Named places of the Tongzhou demo city and the planning constants the generator (and its test) share.
//
// Positions are approximate (to a few hundred metres) and only used to place SYNTHETIC features consistently
// with the programme's landmarks; they are not survey data. Header-only so tests can include it.

#include <array>
#include <vector>

#include "geometry.hpp"

namespace gtgen {

// The scene frame of the twin (core/geo_frame.hpp): EPSG:4548 with this local origin.
inline constexpr double kFrameLon = 116.72;
inline constexpr double kFrameLat = 39.86;
inline constexpr const char* kSceneCrs = "EPSG:4548";

struct Place {
  const char* key;
  const char* nameZh;
  const char* nameEn;
  double lon;
  double lat;
};

inline constexpr Place kAdminOfficeArea{"admin", "行政办公区", "Administrative Office Area", 116.735, 39.912};
inline constexpr Place kCanalBusinessDistrict{"canal_cbd", "运河商务区", "Canal Business District", 116.672, 39.907};
inline constexpr Place kStationHub{"station_hub", "副中心站综合交通枢纽", "Sub-center Station Hub", 116.704, 39.898};
inline constexpr Place kGreenHeart{"green_heart", "城市绿心森林公园", "City Green-Heart Forest Park", 116.706, 39.873};
inline constexpr Place kUniversalResort{"universal", "环球影城", "Universal Beijing Resort", 116.677, 39.853};
inline constexpr Place kOldTown{"old_town", "通州老城", "Tongzhou Old Town", 116.655, 39.903};

// Towns of the extension area (乡镇), approximate centres.
inline constexpr std::array<Place, 9> kTowns{{
    {"zhangjiawan", "张家湾", "Zhangjiawan", 116.712, 39.835},
    {"taihu", "台湖", "Taihu", 116.625, 39.835},
    {"songzhuang", "宋庄", "Songzhuang", 116.690, 39.962},
    {"majuqiao", "马驹桥", "Majuqiao", 116.556, 39.758},
    {"xiji", "西集", "Xiji", 116.872, 39.792},
    {"huoxian", "漷县", "Huoxian", 116.795, 39.755},
    {"yongledian", "永乐店", "Yongledian", 116.783, 39.692},
    {"yujiawu", "于家务", "Yujiawu", 116.690, 39.745},
    {"lucheng", "潞城", "Lucheng", 116.790, 39.935},
}};

// The 155 km² core area (副中心 155 平方公里): an octagon (a rectangle with chamfered corners) around this
// centre, with half-widths and chamfer in metres. Area = 4*a*b - 2*c*c = 154.96 km².
inline constexpr double kCoreCentreLon = 116.703;
inline constexpr double kCoreCentreLat = 39.895;
inline constexpr double kCoreHalfWidthEW = 7000.0;
inline constexpr double kCoreHalfWidthNS = 5820.0;
inline constexpr double kCoreChamfer = 2000.0;

// The core octagon (counter-clockwise) around its centre given in local metres.
inline Ring coreAreaRing(P2 centre) {
  const double a = kCoreHalfWidthEW;
  const double b = kCoreHalfWidthNS;
  const double c = kCoreChamfer;
  const std::array<P2, 8> offsets{{{a - c, -b}, {a, -b + c}, {a, b - c}, {a - c, b},
                                   {-a + c, b}, {-a, b - c}, {-a, -b + c}, {-a + c, -b}}};
  Ring ring;
  for (P2 o : offsets) ring.push_back(centre + o);
  return ring;
}

// Rules the generator enforces and the test checks.
inline constexpr double kRiverBuffer = 60.0;        // no building within this distance of a river line (m)
inline constexpr int kDefaultBuildings = 60000;
inline constexpr double kStoreyHeight = 3.2;         // m per floor; height_m = floors*3.2 + roof (0.3 .. 3.5 m)
inline constexpr double kGreenHeartAreaKm2 = 11.0;
inline constexpr double kGreenCoverageTarget = 0.30;  // share of the district under green_spaces

}  // namespace gtgen
