// Test plugin "raw": written against the C ABI directly, WITHOUT the C++ wrapper, so nothing converts its
// exceptions: its KPI throws straight through the boundary (the host's own guard must catch it) and its source
// reports a failure with api->fail() from poll.
#include <greentwin/plugin_abi.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>

namespace {

const gt_host_api* g_api = nullptr;

gt_status kpiCompute(void*, std::int64_t, gt_kpi_result*) { throw std::logic_error("raw kpi threw across the ABI"); }

gt_status sourceCreate(void*, const char*, const gt_key_value* const*, std::uint32_t, void** source) {
  static int state = 0;
  *source = &state;
  return GT_OK;
}
gt_status sourceStart(void*) { return GT_OK; }
gt_status sourcePoll(void* source, std::int64_t) {
  int& polls = *static_cast<int*>(source);
  if (++polls == 2) g_api->fail(g_api->host, "device lost");
  return GT_OK;
}
gt_status sourceStop(void*) { return GT_OK; }
void sourceDestroy(void*) {}

// As a plugin built before method_zh/method_en, compute_in_area and compute_in_scenario were appended to gt_kpi: its
// struct_size ends before them, and the host must not read them (the values here would crash it if it did).
gt_kpi kpi = {offsetof(gt_kpi, method_zh), "raw.kpi", "", "Raw KPI", "", nullptr, kpiCompute,
              reinterpret_cast<const char*>(1), reinterpret_cast<const char*>(1),
              reinterpret_cast<gt_status (*)(void*, std::int64_t, const gt_area*, gt_kpi_result*)>(1),
              reinterpret_cast<gt_status (*)(void*, std::int64_t, const gt_scenario*, gt_kpi_result*)>(1)};
const gt_kpi* kpis[] = {&kpi};
gt_source_type source = {sizeof(gt_source_type), "raw.source", "", "Raw source", nullptr, sourceCreate, sourceStart,
                         sourcePoll, sourceStop, sourceDestroy};
const gt_source_type* sources[] = {&source};

}  // namespace

extern "C" GREENTWIN_PLUGIN_EXPORT const gt_plugin_descriptor* greentwin_plugin_entry(const gt_host_api* api,
                                                                                      std::uint32_t) {
  g_api = api;
  static gt_plugin_descriptor d{};
  d.struct_size = sizeof d;
  d.abi_version = GREENTWIN_PLUGIN_ABI_VERSION;
  d.id = "raw";
  d.name = "Raw C plugin";
  d.version = "1";
  d.source_types = sources;
  d.source_type_count = 1;
  d.kpis = kpis;
  d.kpi_count = 1;
  return &d;
}
