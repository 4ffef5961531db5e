#include "golden_image.hpp"

#include <osgDB/ReadFile>
#include <osgDB/WriteFile>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace gt::testing {
namespace {

// RGBA of pixel (x,y) for 8-bit RGB or RGBA images.
void pixel(const osg::Image& image, int x, int y, int rgba[4]) {
  const unsigned char* p = image.data(static_cast<unsigned>(x), static_cast<unsigned>(y));
  const bool hasAlpha = image.getPixelFormat() == GL_RGBA;
  rgba[0] = p[0];
  rgba[1] = p[1];
  rgba[2] = p[2];
  rgba[3] = hasAlpha ? p[3] : 255;
}

}  // namespace

ImageComparison compareImages(const osg::Image& actual, const osg::Image& expected, int channelTolerance) {
  ImageComparison result;
  result.sameSize = actual.s() == expected.s() && actual.t() == expected.t();
  if (!result.sameSize) {
    result.differingFraction = 1.0;
    return result;
  }
  for (int y = 0; y < actual.t(); ++y) {
    for (int x = 0; x < actual.s(); ++x) {
      int a[4];
      int e[4];
      pixel(actual, x, y, a);
      pixel(expected, x, y, e);
      int worst = 0;
      for (int c = 0; c < 3; ++c) worst = std::max(worst, std::abs(a[c] - e[c]));
      result.maxChannelDiff = std::max(result.maxChannelDiff, worst);
      if (worst > channelTolerance) ++result.differingPixels;
    }
  }
  result.differingFraction = static_cast<double>(result.differingPixels) / (static_cast<double>(actual.s()) * actual.t());
  return result;
}

osg::ref_ptr<osg::Image> diffImage(const osg::Image& actual, const osg::Image& expected, int channelTolerance) {
  osg::ref_ptr<osg::Image> out = new osg::Image;
  out->allocateImage(expected.s(), expected.t(), 1, GL_RGBA, GL_UNSIGNED_BYTE);
  for (int y = 0; y < expected.t(); ++y) {
    for (int x = 0; x < expected.s(); ++x) {
      int e[4];
      pixel(expected, x, y, e);
      int worst = 0;
      if (x < actual.s() && y < actual.t()) {
        int a[4];
        pixel(actual, x, y, a);
        for (int c = 0; c < 3; ++c) worst = std::max(worst, std::abs(a[c] - e[c]));
      } else {
        worst = 255;
      }
      unsigned char* o = out->data(static_cast<unsigned>(x), static_cast<unsigned>(y));
      if (worst > channelTolerance) {
        o[0] = 255;
        o[1] = 0;
        o[2] = 0;
      } else {
        for (int c = 0; c < 3; ++c) o[c] = static_cast<unsigned char>(e[c] / 3);
      }
      o[3] = 255;
    }
  }
  return out;
}

double luminanceStdDev(const osg::Image& image) {
  double sum = 0;
  double sumSq = 0;
  const double n = static_cast<double>(image.s()) * image.t();
  for (int y = 0; y < image.t(); ++y) {
    for (int x = 0; x < image.s(); ++x) {
      int p[4];
      pixel(image, x, y, p);
      const double l = 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
      sum += l;
      sumSq += l * l;
    }
  }
  const double mean = sum / n;
  return std::sqrt(std::max(0.0, sumSq / n - mean * mean));
}

std::string checkAgainstGolden(const osg::Image& actual, const std::string& name, int channelTolerance,
                               double maxDifferingFraction) {
  namespace fs = std::filesystem;
  const fs::path golden = fs::path(GT_TEST_SOURCE_DIR) / "tests" / "golden" / (name + ".png");
  const fs::path outDir = fs::path(GT_TEST_BINARY_DIR);
  const char* update = std::getenv("GT_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    if (!osgDB::writeImageFile(actual, golden.string())) return "cannot write golden " + golden.string();
    return "";
  }
  osg::ref_ptr<osg::Image> expected = osgDB::readImageFile(golden.string());
  const fs::path actualPath = outDir / (name + ".actual.png");
  if (!expected.valid()) {
    osgDB::writeImageFile(actual, actualPath.string());
    return "no golden image " + golden.string() + " (actual written to " + actualPath.string() +
           "; run with GT_UPDATE_GOLDEN=1 to accept it)";
  }
  const ImageComparison cmp = compareImages(actual, *expected, channelTolerance);
  if (cmp.sameSize && cmp.differingFraction <= maxDifferingFraction) return "";
  const fs::path diffPath = outDir / (name + ".diff.png");
  osgDB::writeImageFile(actual, actualPath.string());
  osgDB::writeImageFile(*diffImage(actual, *expected, channelTolerance), diffPath.string());
  std::ostringstream msg;
  msg << name << ": " << (cmp.sameSize ? "" : "size differs; ") << cmp.differingPixels << " pixels ("
      << cmp.differingFraction * 100 << "%) differ by more than " << channelTolerance << " (allowed "
      << maxDifferingFraction * 100 << "%), max channel diff " << cmp.maxChannelDiff << "; actual: " << actualPath.string()
      << ", diff: " << diffPath.string();
  return msg.str();
}

}  // namespace gt::testing
