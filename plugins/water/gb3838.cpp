#include "gb3838.hpp"

#include <cmath>

namespace greentwin::water {

const std::array<ParameterInfo, kParameterCount>& parameters() {
  static const std::array<ParameterInfo, kParameterCount> kTable{{
      {Parameter::DO, "do_mg_l", "溶解氧", "DO", true, {7.5, 6.0, 5.0, 3.0, 2.0}},
      {Parameter::CodMn, "codmn_mg_l", "高锰酸盐指数", "COD_Mn", false, {2.0, 4.0, 6.0, 10.0, 15.0}},
      {Parameter::Cod, "cod_mg_l", "化学需氧量", "COD", false, {15.0, 15.0, 20.0, 30.0, 40.0}},
      {Parameter::Bod5, "bod5_mg_l", "五日生化需氧量", "BOD5", false, {3.0, 3.0, 4.0, 6.0, 10.0}},
      {Parameter::Nh3n, "nh3n_mg_l", "氨氮", "NH3-N", false, {0.15, 0.5, 1.0, 1.5, 2.0}},
      {Parameter::Tp, "tp_mg_l", "总磷", "TP", false, {0.02, 0.1, 0.2, 0.3, 0.4}},
  }};
  return kTable;
}

const ParameterInfo& parameterInfo(Parameter p) { return parameters()[static_cast<std::size_t>(p)]; }

std::optional<int> parameterClass(Parameter p, double v) {
  if (!std::isfinite(v) || v < 0) return std::nullopt;
  const ParameterInfo& info = parameterInfo(p);
  for (int k = 0; k < 5; ++k) {
    const double limit = info.limits[static_cast<std::size_t>(k)];
    if (info.higherIsBetter ? v >= limit : v <= limit) return k + 1;
  }
  return kWorseThanV;
}

SectionClass classifySection(const SectionReading& r) {
  SectionClass out;
  for (const ParameterInfo& info : parameters()) {
    const auto c = parameterClass(info.parameter, r.values[static_cast<std::size_t>(info.parameter)]);
    if (!c) {
      out.bad.push_back(info.parameter);
      continue;
    }
    ++out.assessed;
    if (*c > out.waterClass) {
      out.waterClass = *c;
      out.determining = info.parameter;
    }
  }
  return out;
}

std::string classNameEn(int c) {
  static const char* kNames[] = {"I", "II", "III", "IV", "V", "worse than V"};
  return c >= 1 && c <= 6 ? kNames[c - 1] : "";
}

std::string classNameZh(int c) {
  static const char* kNames[] = {"Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类"};
  return c >= 1 && c <= 6 ? kNames[c - 1] : "";
}

}  // namespace greentwin::water
