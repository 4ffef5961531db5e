#pragma once
// An owned GDAL dataset for the generator's readers and writers: released with GDALClose (never plain delete), which
// flushes a written file and drops a shared dataset's reference the way GDAL requires. To see whether the final
// flush failed, close it explicitly: CPLErrorReset(); GDALClose(ptr.release()); then check CPLGetLastErrorType().

#include <memory>

#include <gdal_priv.h>

namespace gtgen {

struct GdalDatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using GdalDatasetPtr = std::unique_ptr<GDALDataset, GdalDatasetCloser>;

}  // namespace gtgen
