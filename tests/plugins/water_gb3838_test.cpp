// GB 3838-2002 single-factor classes as the water plugin computes them (plugins/water/gb3838.hpp): every parameter at
// each class limit and just past it (DO the other way round), and whole sections.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "gb3838.hpp"

namespace greentwin::water {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double up(double x) { return std::nextafter(x, 1e9); }
double down(double x) { return std::nextafter(x, -1e9); }

int cls(Parameter p, double v) { return parameterClass(p, v).value_or(-1); }

TEST(WaterGb3838, DissolvedOxygenMoreIsBetterAndTheLimitMeetsTheClass) {
  EXPECT_EQ(cls(Parameter::DO, 9.0), 1);
  EXPECT_EQ(cls(Parameter::DO, 7.5), 1);
  EXPECT_EQ(cls(Parameter::DO, down(7.5)), 2);
  EXPECT_EQ(cls(Parameter::DO, 6.0), 2);
  EXPECT_EQ(cls(Parameter::DO, down(6.0)), 3);
  EXPECT_EQ(cls(Parameter::DO, 5.0), 3);
  EXPECT_EQ(cls(Parameter::DO, down(5.0)), 4);
  EXPECT_EQ(cls(Parameter::DO, 3.0), 4);
  EXPECT_EQ(cls(Parameter::DO, down(3.0)), 5);
  EXPECT_EQ(cls(Parameter::DO, 2.0), 5);
  EXPECT_EQ(cls(Parameter::DO, down(2.0)), 6);
  EXPECT_EQ(cls(Parameter::DO, 0.0), 6);
}

// Pollutants: a value at limit k is class k, just above it the next class whose limit it meets.
TEST(WaterGb3838, EachPollutantAtAndPastEachLimit) {
  struct Case {
    Parameter p;
    double limits[5];
  };
  const Case cases[] = {{Parameter::CodMn, {2, 4, 6, 10, 15}},        {Parameter::Cod, {15, 15, 20, 30, 40}},
                        {Parameter::Bod5, {3, 3, 4, 6, 10}},          {Parameter::Nh3n, {0.15, 0.5, 1.0, 1.5, 2.0}},
                        {Parameter::Tp, {0.02, 0.1, 0.2, 0.3, 0.4}}};
  for (const Case& c : cases) {
    const char* name = parameterInfo(c.p).nameEn;
    EXPECT_EQ(cls(c.p, 0.0), 1) << name;
    for (int k = 0; k < 5; ++k) {
      // Where I and II share a limit (COD 15, BOD5 3) a value meeting it is class I.
      const int expected = k == 1 && c.limits[0] == c.limits[1] ? 1 : k + 1;
      EXPECT_EQ(cls(c.p, c.limits[k]), expected) << name << " at " << c.limits[k];
      int next = k + 2;
      while (next <= 5 && c.limits[next - 1] == c.limits[k]) ++next;  // the next distinct limit
      EXPECT_EQ(cls(c.p, up(c.limits[k])), next) << name << " above " << c.limits[k];
    }
  }
  // Spot values by hand: COD 15.1 is III, BOD5 3.2 is III, NH3-N 1.6 is V, TP 0.41 worse than V.
  EXPECT_EQ(cls(Parameter::Cod, 15.1), 3);
  EXPECT_EQ(cls(Parameter::Bod5, 3.2), 3);
  EXPECT_EQ(cls(Parameter::Nh3n, 1.6), 5);
  EXPECT_EQ(cls(Parameter::Tp, 0.41), 6);
}

TEST(WaterGb3838, UnusableValuesHaveNoClass) {
  EXPECT_FALSE(parameterClass(Parameter::Cod, kNaN));
  EXPECT_FALSE(parameterClass(Parameter::Nh3n, -0.1));
  EXPECT_FALSE(parameterClass(Parameter::DO, std::numeric_limits<double>::infinity()));
}

TEST(WaterGb3838, ASectionTakesItsWorstParameter) {
  // DO 6.5 (II), COD_Mn 5 (III), COD 25 (IV), BOD5 3.5 (III), NH3-N 1.6 (V), TP 0.15 (III): class V by NH3-N.
  const SectionClass c = classifySection({{6.5, 5.0, 25.0, 3.5, 1.6, 0.15}});
  EXPECT_EQ(c.waterClass, 5);
  ASSERT_TRUE(c.determining);
  EXPECT_EQ(*c.determining, Parameter::Nh3n);
  EXPECT_EQ(c.assessed, 6);
  EXPECT_TRUE(c.bad.empty());
  // Low oxygen sets it on its own: DO 1.5 is worse than V.
  EXPECT_EQ(classifySection({{1.5, 2.0, 10.0, 2.0, 0.1, 0.02}}).waterClass, 6);
  // A missing and a negative parameter are left out and listed; the rest still class it (IV by COD 25).
  const SectionClass partial = classifySection({{6.5, 5.0, 25.0, 3.5, kNaN, -0.2}});
  EXPECT_EQ(partial.waterClass, 4);
  EXPECT_EQ(partial.assessed, 4);
  EXPECT_EQ(partial.bad, (std::vector<Parameter>{Parameter::Nh3n, Parameter::Tp}));
  // Nothing usable: no class.
  const SectionClass none = classifySection({{kNaN, kNaN, kNaN, kNaN, kNaN, kNaN}});
  EXPECT_EQ(none.waterClass, 0);
  EXPECT_FALSE(none.determining);
}

TEST(WaterGb3838, ClassNames) {
  EXPECT_EQ(classNameEn(4), "IV");
  EXPECT_EQ(classNameEn(6), "worse than V");
  EXPECT_EQ(classNameZh(6), "劣Ⅴ类");
  EXPECT_EQ(classNameZh(0), "");
}

}  // namespace
}  // namespace greentwin::water
