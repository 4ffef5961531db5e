#pragma once
// Parts of a config written back as TOML, in the keys docs/config.md documents, so that the config reader reads them
// back equal: what a project file (project.hpp) keeps of styles edited in the window, of layers added at run time
// and of camera poses. Each function returns the lines of one table's body (`key = value\n`...), without its header.
//
// Threads: plain functions; any thread.

#include <string>

#include "greentwin/core/config.hpp"
#include "greentwin/core/status.hpp"

namespace gt {

// A [layers.style] body. A style whose graduated classes come from a plugin classifier is written with its
// `classifier` only (its breaks and colours are the classifier's, resolved again when it is applied).
std::string styleText(const LayerStyleConfig& style);
// Reads a styleText() body back (the keys of [layers.style], checked as the config reader checks them: unknown keys,
// types, ranges, colours); `sourceName` names the text in every message. Errors: InvalidArgument / ParseError with
// every problem "NAME:LINE: ..." (a wall follower refuses a lead's style this way, docs/wall.md).
Result<LayerStyleConfig> parseStyleText(const std::string& text, const std::string& sourceName);
// Whether two styles would be written the same (what a project compares to find the styles edited in the window).
bool sameStyle(const LayerStyleConfig& a, const LayerStyleConfig& b);
// A [[layers]] entry's common keys (id, type, source, names...; the style is a table of its own). A type's own
// options are not written: layers added from the window have their type's defaults.
std::string layerText(const LayerConfig& layer);
// A camera pose: center_lon, center_lat, center_height, heading_deg, pitch_deg, range_m.
std::string poseText(const CameraPose& pose);
// A bookmark: id, name_en, name_zh and its pose.
std::string bookmarkText(const BookmarkConfig& bookmark);

}  // namespace gt
