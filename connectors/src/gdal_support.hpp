#pragma once
// Small GDAL helpers shared by the connectors' readers (private to connectors/).

#include <string>

namespace gt::connectors::detail {

// GDALAllRegister, once per process, from whichever thread gets there first.
void registerGdalOnce();
// The last GDAL error message of this thread, or a placeholder when GDAL gave none.
std::string lastGdalError();
// "PG:dbname=...", "GPKG:file.gpkg:table", "WMS:http://...": a driver prefix of two or more letters before the
// first ':' (so not a Windows drive letter such as "C:/data/x.shp"). GDAL checks these itself.
bool isConnectionString(const std::string& source);
// Exists as a file GDAL can open, including its virtual file systems (/vsimem/, /vsizip/...).
bool fileExists(const std::string& source);

}  // namespace gt::connectors::detail
