#include "gdal_support.hpp"

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal.h>

#include <cctype>
#include <mutex>

namespace gt::connectors::detail {

void registerGdalOnce() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

std::string lastGdalError() {
  const char* msg = CPLGetLastErrorMsg();
  return (msg != nullptr && *msg != '\0') ? std::string(msg) : std::string("no detail from GDAL");
}

bool isConnectionString(const std::string& source) {
  const std::size_t colon = source.find(':');
  if (colon == std::string::npos || colon < 2) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const auto c = static_cast<unsigned char>(source[i]);
    if (std::isalnum(c) == 0 && c != '_') return false;
  }
  return true;
}

bool fileExists(const std::string& source) {
  VSIStatBufL stat;
  return VSIStatExL(source.c_str(), &stat, VSI_STAT_EXISTS_FLAG) == 0;
}

}  // namespace gt::connectors::detail
