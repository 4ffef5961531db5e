#pragma once
// The statistics the KPIs need, with their provenance (docs/energy.md "Statistics"). They are the defaults of the
// plugin's settings `emission_factor_t_per_mwh` and `population`; a deployment sets its own in [plugins.energy].
// Pure C++17 constants.

namespace greentwin::energy {

// National grid average CO2 emission factor, 0.5703 t CO2/MWh: the value for 2022 published by the Ministry of
// Ecology and Environment (生态环境部) in 《关于做好2023—2025年发电行业企业温室气体排放报告管理有关工作的通知》
// (环办气候函〔2023〕43号). Our choice: the national average rather than the North China regional factor (higher), as
// the MEE asks for grid purchases in enterprise reporting.
inline constexpr double kGridEmissionFactorTPerMwh = 0.5703;

// Tongzhou's resident population, 1,840,295: the 2020 Seventh National Population Census as reported in the Beijing
// census bulletin by district (北京市第七次全国人口普查公报). Later yearbooks give slightly higher year-end figures;
// the census count is used as the one firm number. (To be replaced by the current yearbook value in a deployment.)
inline constexpr double kTongzhouPopulation = 1840295.0;

}  // namespace greentwin::energy
