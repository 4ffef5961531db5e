// The energy plugin's classifier tables: sizes, the class of values at and around each limit (by the SDK's rule,
// value <= limit), and the loading classifier agreeing with the loading classes, 80 % already heavy.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "classes.hpp"
#include "loading.hpp"

namespace greentwin::energy {
namespace {

TEST(EnergyClasses, TablesAreWellFormed) {
  ASSERT_EQ(classTables().size(), 4u);
  for (const ClassTable& t : classTables()) {
    EXPECT_EQ(t.upperBounds.size() + 1, t.classes.size()) << t.id;
    for (std::size_t i = 1; i < t.upperBounds.size(); ++i) EXPECT_LT(t.upperBounds[i - 1], t.upperBounds[i]) << t.id;
    for (const ClassDef& c : t.classes) {
      EXPECT_FALSE(c.nameZh.empty()) << t.id;
      EXPECT_FALSE(c.nameEn.empty()) << t.id;
    }
    EXPECT_EQ(classIndex(t, std::numeric_limits<double>::quiet_NaN()), -1);
  }
  EXPECT_EQ(classTable("energy.intensity_class").unit, "W/m2");
  EXPECT_THROW(classTable("energy.nothing"), std::out_of_range);
}

TEST(EnergyClasses, ValuesFallIntoTheirClasses) {
  const ClassTable& intensity = classTable("energy.intensity_class");
  EXPECT_EQ(classIndex(intensity, 0.0), 0);
  EXPECT_EQ(classIndex(intensity, 5.0), 0);
  EXPECT_EQ(classIndex(intensity, 5.001), 1);
  EXPECT_EQ(classIndex(intensity, 20.0), 2);
  EXPECT_EQ(classIndex(intensity, 40.0), 3);
  EXPECT_EQ(classIndex(intensity, 400.0), 4);
  const ClassTable& pv = classTable("energy.pv_share_class");
  EXPECT_EQ(classIndex(pv, 0.0), 0);  // no PV now
  EXPECT_EQ(classIndex(pv, 0.1), 1);
  EXPECT_EQ(classIndex(pv, 70.0), 3);
  EXPECT_EQ(classIndex(pv, 100.0), 4);
  const ClassTable& net = classTable("energy.net_load_class");
  EXPECT_EQ(classIndex(net, -3.0), 0);  // exporting
  EXPECT_EQ(classIndex(net, 0.0), 0);
  EXPECT_EQ(classIndex(net, 0.5), 1);
  EXPECT_EQ(classIndex(net, 201.0), 4);
  EXPECT_EQ(net.classes[0].nameEn, "Exporting");
}

TEST(EnergyClasses, LoadingClassifierMatchesTheLoadingClasses) {
  const ClassTable& t = classTable("energy.substation_loading_class");
  ASSERT_EQ(t.classes.size(), 4u);
  EXPECT_EQ(t.classes[1].nameZh, "重载");
  EXPECT_EQ(t.classes[3].nameZh, "过载");
  for (double v = -10.0; v <= 130.0; v += 0.25) {
    EXPECT_EQ(classIndex(t, v), static_cast<int>(*loadingClass(v))) << v;
  }
  EXPECT_EQ(classIndex(t, 80.0), 1);
  EXPECT_EQ(classIndex(t, std::nextafter(80.0, 0.0)), 0);
  EXPECT_EQ(classIndex(t, 100.0), 3);
  // The twin draws a classifier as a graduated rule whose breaks are the next double above each limit: 80, 90, 100
  // exactly, so the drawn colour agrees too.
  EXPECT_EQ(std::nextafter(t.upperBounds[0], std::numeric_limits<double>::infinity()), 80.0);
  EXPECT_EQ(std::nextafter(t.upperBounds[2], std::numeric_limits<double>::infinity()), 100.0);
}

}  // namespace
}  // namespace greentwin::energy
