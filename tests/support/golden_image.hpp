#pragma once
// Golden-image comparison for render tests: per-pixel tolerance, a budget of differing pixels, and a diff image
// written next to the test binary on failure (or the golden itself when GT_UPDATE_GOLDEN=1).

#include <osg/Image>

#include <string>

namespace gt::testing {

struct ImageComparison {
  bool sameSize = false;
  long differingPixels = 0;  // pixels where any channel differs by more than the tolerance
  double differingFraction = 0.0;
  int maxChannelDiff = 0;
};

ImageComparison compareImages(const osg::Image& actual, const osg::Image& expected, int channelTolerance);

// Red where pixels differ beyond the tolerance, a dimmed copy of `expected` elsewhere.
osg::ref_ptr<osg::Image> diffImage(const osg::Image& actual, const osg::Image& expected, int channelTolerance);

// Standard deviation of the luminance, 0 for a uniform image.
double luminanceStdDev(const osg::Image& image);

// Compares against tests/golden/<name>.png; on failure writes <binary dir>/<name>.actual.png and .diff.png.
// Returns "" on success or a message saying what differed and where the files are.
std::string checkAgainstGolden(const osg::Image& actual, const std::string& name, int channelTolerance,
                               double maxDifferingFraction);

}  // namespace gt::testing
