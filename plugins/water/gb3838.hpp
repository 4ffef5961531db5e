#pragma once
// Surface-water quality classes after GB 3838-2002 (地表水环境质量标准), Table 1 (basic items), by the single-factor
// method (单因子评价法) of the national assessment practice: a section's class is the worst class over its
// parameters. Classes I..V are 1..5; worse than V (劣Ⅴ类) is 6. Pure C++17, no SDK; any thread (constant tables).
//
// Limits (mg/L; TP the river limits, not the lakes' and reservoirs'):
//   parameter         I      II     III    IV     V
//   DO          >=    7.5    6      5      3      2     (dissolved oxygen: more is better; I is "90 % saturation or 7.5")
//   COD_Mn      <=    2      4      6      10     15    (permanganate index, 高锰酸盐指数)
//   COD         <=    15     15     20     30     40    (chemical oxygen demand, dichromate)
//   BOD5        <=    3      3      4      6      10
//   NH3-N       <=    0.15   0.5    1.0    1.5    2.0
//   TP          <=    0.02   0.1    0.2    0.3    0.4
// A value equal to a limit meets it. Where two classes share a limit (COD and BOD5 in I and II) a value meeting it is
// the better class.
#include <array>
#include <optional>
#include <string>
#include <vector>

namespace greentwin::water {

enum class Parameter { DO, CodMn, Cod, Bod5, Nh3n, Tp };
inline constexpr int kParameterCount = 6;
inline constexpr int kWorseThanV = 6;

struct ParameterInfo {
  Parameter parameter;
  const char* attribute;  // the feed's attribute, "do_mg_l"
  const char* nameZh;
  const char* nameEn;
  bool higherIsBetter;            // DO
  std::array<double, 5> limits;   // classes I..V
};
// The six parameters in the order of the table above.
const std::array<ParameterInfo, kParameterCount>& parameters();
const ParameterInfo& parameterInfo(Parameter p);

// The class (1..6) of one parameter's concentration; nullopt when the value is not finite or negative.
std::optional<int> parameterClass(Parameter p, double mgPerL);

// One section's readings (mg/L), NaN where missing.
struct SectionReading {
  std::array<double, kParameterCount> values;  // in parameters() order
};

struct SectionClass {
  int waterClass = 0;          // 1..6 (0: no parameter usable)
  std::optional<Parameter> determining;  // the (first) parameter that sets the class
  int assessed = 0;            // parameters with a usable value
  std::vector<Parameter> bad;  // parameters whose value is not finite or negative (left out)
};
// The worst class over the usable parameters (single-factor). A section with some parameters missing is classed by the
// others (and lists them in `bad`); the caller decides whether that is enough.
SectionClass classifySection(const SectionReading& r);

// "I".."V", "劣V" for 1..6 (zh: Ⅰ..Ⅴ, 劣Ⅴ); "" otherwise.
std::string classNameEn(int waterClass);
std::string classNameZh(int waterClass);

}  // namespace greentwin::water
