// Config file parsing (TOML, toml++). Every key and its default: docs/config.md.
// Errors are collected (not just the first) and returned as one Status, one "FILE:LINE: ..." line per problem.

#include "greentwin/core/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <span>
#include <sstream>
#include <string_view>

namespace gt {

namespace {

namespace fs = std::filesystem;
using Keys = std::span<const std::string_view>;

// ---- key sets, per table ------------------------------------------------------------------------------------

constexpr std::string_view kTopKeys[]{"display", "scene", "clock", "camera", "layers", "sources", "plugins", "logging",
                                      "history"};
constexpr std::string_view kDisplayKeys[]{"width", "height", "fullscreen", "language", "ui_scale", "vsync",
                                          "title", "title_en", "title_zh"};
constexpr std::string_view kSceneKeys[]{"origin_lon", "origin_lat", "crs"};
constexpr std::string_view kClockKeys[]{"mode", "start", "end", "rate"};
constexpr std::string_view kCameraKeys[]{"home", "bookmarks"};
constexpr std::string_view kPoseKeys[]{"center_lon", "center_lat", "center_height", "heading_deg", "pitch_deg", "range_m"};
constexpr std::string_view kBookmarkKeys[]{"id",          "name_en",       "name_zh",     "center_lon", "center_lat",
                             "center_height", "heading_deg", "pitch_deg", "range_m"};
constexpr std::string_view kLayerKeys[]{"id",      "type",         "source",      "source_layer", "id_attribute",
                                        "crs",     "imagery",      "resolution_m", "name_en",      "name_zh",     "visible",      "opacity",
                                        "synthetic", "style", "field", "bim", "vehicles"};
constexpr std::string_view kFieldKeys[]{"points", "method", "power", "search_radius_m", "max_neighbours", "max_update_hz",
                                        "provider"};
constexpr std::string_view kFieldMethods[]{"idw"};
constexpr std::string_view kVehiclesKeys[]{"prefix",      "kind",        "max_entities",  "position",
                                           "x_attribute", "y_attribute", "lon_attribute", "lat_attribute"};
constexpr std::string_view kVehiclePositions[]{"xy", "lonlat"};
constexpr std::string_view kBimKeys[]{"anchor_lon", "anchor_lat",    "anchor_x",          "anchor_y",
                                      "anchor_z",   "rotation_deg",  "scale",             "anchor_override",
                                      "replaces_building", "lod_distance_m", "explode_gap_m"};
constexpr std::string_view kStyleKeys[]{"fill_color",      "outline_color",   "line_width_px",  "line_width_m",
                                        "point_size_px",   "color_mode",      "color_by",       "categories",  "category_names_zh",
                                        "other_color",     "breaks",          "colors",         "height_attribute",
                                        "floors_attribute", "metres_per_floor", "class_attribute", "class_heights",
                                        "default_height_m", "vertical_scale", "label_zh",        "label_en",       "label_priority",
                                        "classifier"};
constexpr std::string_view kColorModes[]{"single", "categorical", "graduated"};
constexpr std::string_view kSourceKeys[]{"id",         "type",     "endpoint",  "bind",        "topics",
                                         "rate_limit", "security", "server_key", "allowed_keys"};
constexpr std::string_view kSourceSecurity[]{"curve", "none"};
constexpr std::string_view kSourceTypes[]{"zmq"};
constexpr std::string_view kPluginKeys[]{"folders", "enabled"};
constexpr std::string_view kLoggingKeys[]{"level", "file"};
constexpr std::string_view kHistoryKeys[]{"path", "retention_days", "flush_ms", "memory_hours", "memory_samples"};

constexpr std::string_view kLanguages[]{"zh", "en"};
constexpr std::string_view kClockModes[]{"live", "paused", "playback"};
constexpr std::string_view kLogLevels[]{"trace", "debug", "info", "warn", "error", "off"};

std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// The closest known key, if it is close enough to be a plausible typo.
std::string_view suggest(std::string_view key, Keys known) {
  std::string_view best;
  std::size_t bestDistance = SIZE_MAX;
  for (std::string_view k : known) {
    const std::size_t d = editDistance(key, k);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  const std::size_t limit = std::max<std::size_t>(2, std::min(key.size(), best.size()) / 3);
  return bestDistance <= limit ? best : std::string_view{};
}

std::string joinKeys(Keys keys) {
  std::string out;
  for (std::string_view k : keys) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

const char* typeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "table";
    case toml::node_type::array: return "array";
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::date: return "date";
    case toml::node_type::time: return "time";
    case toml::node_type::date_time: return "date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::string fmtDouble(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string joinPath(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

bool isColour(std::string_view s) {
  if (s.size() != 7 && s.size() != 9) return false;
  if (s[0] != '#') return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

Result<TimePoint> dateTimeToTimePoint(const toml::date& d, const toml::time& t, int offsetMinutes) {
  using namespace std::chrono;
  const year_month_day ymd{year{d.year}, month{d.month}, day{d.day}};
  if (!ymd.ok()) return Status(ErrorCode::ParseError, "invalid date");
  const std::int64_t days = sys_days{ymd}.time_since_epoch().count();
  const std::int64_t secondsOfDay = (std::int64_t{t.hour} * 60 + t.minute) * 60 + t.second;
  return (days * 86400 + secondsOfDay - std::int64_t{offsetMinutes} * 60) * kMicrosPerSecond +
         std::int64_t{t.nanosecond} / 1000;
}

// ---- the parser ---------------------------------------------------------------------------------------------

class Parser {
 public:
  explicit Parser(std::string sourceName) : file_(std::move(sourceName)) {}

  // All problems, one per line, in file order; the code is that of the first.
  Status result() const {
    if (errors_.empty()) return Status::ok();
    std::vector<Error> sorted = errors_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Error& a, const Error& b) { return a.line < b.line; });
    std::string message;
    for (const auto& e : sorted) {
      if (!message.empty()) message += '\n';
      message += e.text;
    }
    return Status(sorted.front().code, message);
  }

  void error(ErrorCode code, std::uint32_t line, const std::string& message) {
    std::string where = file_;
    if (line > 0) where += ":" + std::to_string(line);
    errors_.push_back(Error{code, line, where + ": " + message});
  }

  static std::uint32_t lineOf(const toml::node& node) { return node.source().begin.line; }

  // Unknown keys are errors (a typo would otherwise be silently ignored), with a nearest-name suggestion.
  void checkKeys(const toml::table& table, const std::string& path, Keys known) {
    for (auto&& [key, node] : table) {
      const std::string_view name = key.str();
      if (std::find(known.begin(), known.end(), name) != known.end()) continue;
      std::uint32_t line = key.source().begin.line;
      if (line == 0) line = lineOf(node);
      std::string message = "unknown key '" + joinPath(path, name) + "'";
      const std::string_view guess = suggest(name, known);
      if (!guess.empty()) {
        message += " (did you mean '" + joinPath(path, guess) + "'?)";
      } else {
        message += " (known keys" + std::string(path.empty() ? "" : " in '" + path + "'") + ": " +
                   joinKeys(known) + ")";
      }
      error(ErrorCode::InvalidArgument, line, message);
    }
  }

  void typeError(const toml::node& node, const std::string& keyPath, const std::string& expected) {
    error(ErrorCode::InvalidArgument, lineOf(node),
          "'" + keyPath + "' must be " + expected + ", got " + typeName(node));
  }

  void rangeError(const toml::node& node, const std::string& keyPath, const std::string& value,
                  const std::string& allowed) {
    error(ErrorCode::OutOfRange, lineOf(node),
          "'" + keyPath + "' = " + value + " is out of range; allowed " + allowed);
  }

  void readInt(const toml::table& t, const std::string& path, std::string_view key, int& out, int lo, int hi) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return;
    const std::string keyPath = joinPath(path, key);
    const auto* value = node->as_integer();
    if (value == nullptr) return typeError(*node, keyPath, "an integer");
    const std::int64_t v = value->get();
    if (v < lo || v > hi) {
      return rangeError(*node, keyPath, std::to_string(v), std::to_string(lo) + ".." + std::to_string(hi));
    }
    out = static_cast<int>(v);
  }

  enum class Bound { Inclusive, Exclusive };

  // Integers are accepted where a number is expected (ui_scale = 2).
  void readDouble(const toml::table& t, const std::string& path, std::string_view key, double& out, double lo,
                  double hi, Bound lowBound = Bound::Inclusive) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return;
    const std::string keyPath = joinPath(path, key);
    double v = 0.0;
    if (const auto* f = node->as_floating_point()) {
      v = f->get();
    } else if (const auto* i = node->as_integer()) {
      v = static_cast<double>(i->get());
    } else {
      return typeError(*node, keyPath, "a number");
    }
    const bool lowOk = lowBound == Bound::Inclusive ? v >= lo : v > lo;
    if (!(lowOk && v <= hi)) {  // written so that NaN fails
      const std::string allowed = lowBound == Bound::Exclusive
                                      ? "> " + fmtDouble(lo) + " and <= " + fmtDouble(hi)
                                      : fmtDouble(lo) + ".." + fmtDouble(hi);
      return rangeError(*node, keyPath, fmtDouble(v), allowed);
    }
    out = v;
  }

  void readBool(const toml::table& t, const std::string& path, std::string_view key, bool& out) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return;
    const auto* value = node->as_boolean();
    if (value == nullptr) return typeError(*node, joinPath(path, key), "a boolean");
    out = value->get();
  }

  // `allowed` empty: any string.
  void readString(const toml::table& t, const std::string& path, std::string_view key, std::string& out,
                  Keys allowed = {}) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return;
    const std::string keyPath = joinPath(path, key);
    const auto* value = node->as_string();
    if (value == nullptr) return typeError(*node, keyPath, "a string");
    const std::string& v = value->get();
    if (allowed.size() > 0 && std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
      return error(ErrorCode::OutOfRange, lineOf(*node),
                   "'" + keyPath + "' = \"" + v + "\" is not allowed; expected one of: " + joinKeys(allowed));
    }
    out = v;
  }

  void readColour(const toml::table& t, const std::string& path, std::string_view key, std::string& out) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return;
    std::string v;
    readString(t, path, key, v);
    if (!node->is_string()) return;
    if (!isColour(v)) {
      return error(ErrorCode::InvalidArgument, lineOf(*node),
                   "'" + joinPath(path, key) + "' = \"" + v + "\" is not a colour; expected \"#rrggbb\" or " +
                       "\"#rrggbbaa\"");
    }
    out = v;
  }

  void readStringArray(const toml::table& t, const std::string& path, std::string_view key,
                       std::vector<std::string>& out) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return;
    const std::string keyPath = joinPath(path, key);
    const auto* array = node->as_array();
    if (array == nullptr) return typeError(*node, keyPath, "an array of strings");
    std::vector<std::string> values;
    bool ok = true;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      if (const auto* s = element.as_string()) {
        values.push_back(s->get());
      } else {
        typeError(element, keyPath + "[" + std::to_string(i) + "]", "a string");
        ok = false;
      }
    }
    if (ok) out = std::move(values);
  }

  // Every key of `t` but those in `skip`, as text (ConfigValue): strings, numbers and booleans; anything else is
  // a type error naming the key.
  void readOptions(const toml::table& t, const std::string& path, std::initializer_list<std::string_view> skip,
                   std::vector<ConfigValue>& out) {
    for (const auto& [key, node] : inFileOrder(t)) {
      const std::string_view name = key.str();
      if (std::find(skip.begin(), skip.end(), name) != skip.end()) continue;
      ConfigValue v{std::string(name), {}, static_cast<int>(lineOf(*node))};
      if (const auto* s = node->as_string()) {
        v.value = s->get();
      } else if (const auto* i = node->as_integer()) {
        v.value = std::to_string(i->get());
      } else if (const auto* f = node->as_floating_point()) {
        char buf[64];  // the shortest text that reads back as the same double
        const auto end = std::to_chars(buf, buf + sizeof buf, f->get()).ptr;
        v.value.assign(buf, end);
      } else if (const auto* b = node->as_boolean()) {
        v.value = b->get() ? "true" : "false";
      } else {
        typeError(*node, joinPath(path, name), "a string, number or boolean");
        continue;
      }
      out.push_back(std::move(v));
    }
  }

  // A TOML date-time (offset or local; local = UTC), a date (midnight UTC) or an ISO 8601 string.
  void readTime(const toml::table& t, const std::string& path, std::string_view key, std::optional<TimePoint>& out) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return;
    const std::string keyPath = joinPath(path, key);
    Result<TimePoint> parsed = Status(ErrorCode::Internal, "unset");
    if (const auto* s = node->as_string()) {
      parsed = parseIsoTime(s->get());
    } else if (const auto* dt = node->as_date_time()) {
      const toml::date_time& v = dt->get();
      parsed = dateTimeToTimePoint(v.date, v.time, v.offset ? v.offset->minutes : 0);
    } else if (const auto* d = node->as_date()) {
      parsed = dateTimeToTimePoint(d->get(), toml::time{}, 0);
    } else {
      return typeError(*node, keyPath, "a date-time or an ISO 8601 string");
    }
    if (!parsed) {
      return error(ErrorCode::ParseError, lineOf(*node),
                   "'" + keyPath + "' is not a valid time: " + parsed.status().message());
    }
    out = *parsed;
  }

  void readDoubleArray(const toml::table& t, const std::string& path, std::string_view key, std::vector<double>& out) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return;
    const std::string keyPath = joinPath(path, key);
    const auto* array = node->as_array();
    if (array == nullptr) return typeError(*node, keyPath, "an array of numbers");
    std::vector<double> values;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      if (const auto* f = element.as_floating_point()) {
        values.push_back(f->get());
      } else if (const auto* n = element.as_integer()) {
        values.push_back(static_cast<double>(n->get()));
      } else {
        return typeError(element, keyPath + "[" + std::to_string(i) + "]", "a number");
      }
    }
    out = std::move(values);
  }

  // toml++ keeps a table's keys sorted; legends and class lists keep the order the user wrote.
  static std::vector<std::pair<toml::key, const toml::node*>> inFileOrder(const toml::table& t) {
    std::vector<std::pair<toml::key, const toml::node*>> entries;
    for (auto&& [key, node] : t) entries.emplace_back(key, &node);
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      const auto& pa = a.first.source().begin;
      const auto& pb = b.first.source().begin;
      return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
    });
    return entries;
  }

  // Colour, extrusion and label rules of a layer style; cross-checks that the rule is complete.
  void readStyleRules(const toml::table& style, const std::string& path, LayerStyleConfig& out) {
    readDouble(style, path, "line_width_m", out.lineWidthM, 0.0, 1000.0);
    readDouble(style, path, "point_size_px", out.pointSizePx, 1.0, 128.0);
    readString(style, path, "color_mode", out.colorMode, kColorModes);
    readString(style, path, "color_by", out.colorBy);
    // A plugin classifier gives a graduated rule's breaks and colours (resolved by the twin once plugins load).
    readString(style, path, "classifier", out.classifier);
    if (!out.classifier.empty() && style.get("color_mode") == nullptr) out.colorMode = "graduated";
    readColour(style, path, "other_color", out.otherColor);
    if (const auto* categories = table(style, path, "categories")) {
      for (auto&& [key, nodePtr] : inFileOrder(*categories)) {
        const toml::node& node = *nodePtr;
        const std::string keyPath = joinPath(path + ".categories", key.str());
        const auto* colour = node.as_string();
        if (colour == nullptr || !isColour(colour->get())) {
          error(ErrorCode::InvalidArgument, lineOf(node), "'" + keyPath + "' must be a colour \"#rrggbb\"");
          continue;
        }
        out.categories.emplace_back(std::string(key.str()), colour->get());
      }
    }
    if (const auto* names = table(style, path, "category_names_zh")) {
      for (auto&& [key, nodePtr] : inFileOrder(*names)) {
        const auto* text = nodePtr->as_string();
        if (text == nullptr) {
          typeError(*nodePtr, joinPath(path + ".category_names_zh", key.str()), "a string");
          continue;
        }
        out.categoryNamesZh.emplace_back(std::string(key.str()), text->get());
      }
    }
    readDoubleArray(style, path, "breaks", out.breaks);
    readStringArray(style, path, "colors", out.colors);
    if (const toml::node* colours = style.get("colors")) {
      for (const std::string& c : out.colors) {
        if (!isColour(c)) {
          error(ErrorCode::InvalidArgument, lineOf(*colours), "'" + path + ".colors' has \"" + c + "\", not a colour");
        }
      }
    }
    const std::uint32_t line = lineOf(style);
    if (out.colorMode != "single" && out.colorBy.empty()) {
      error(ErrorCode::InvalidArgument, line, "'" + path + ".color_by' is required when color_mode is " + out.colorMode);
    }
    if (out.colorMode == "categorical" && out.categories.empty()) {
      error(ErrorCode::InvalidArgument, line, "'" + path + ".categories' is required when color_mode is categorical");
    }
    if (!out.classifier.empty() && (out.colorMode != "graduated" || !out.breaks.empty() || !out.colors.empty())) {
      error(ErrorCode::InvalidArgument, line,
            "'" + path + ".classifier' gives the classes: color_mode must be graduated (or absent), without breaks "
            "and colors");
    } else if (out.colorMode == "graduated" && out.classifier.empty()) {
      if (!std::is_sorted(out.breaks.begin(), out.breaks.end()) || out.breaks.empty()) {
        error(ErrorCode::InvalidArgument, line, "'" + path + ".breaks' must be a non-empty ascending list");
      } else if (out.colors.size() != out.breaks.size() + 1) {
        error(ErrorCode::InvalidArgument, line,
              "'" + path + ".colors' must have one more entry than breaks (" + std::to_string(out.breaks.size() + 1) +
                  "), got " + std::to_string(out.colors.size()));
      }
    }
    readString(style, path, "height_attribute", out.heightAttribute);
    readString(style, path, "floors_attribute", out.floorsAttribute);
    readDouble(style, path, "metres_per_floor", out.metresPerFloor, 0.5, 20.0);
    readString(style, path, "class_attribute", out.classAttribute);
    if (const auto* heights = table(style, path, "class_heights")) {
      for (auto&& [key, nodePtr] : inFileOrder(*heights)) {
        const toml::node& node = *nodePtr;
        const std::string keyPath = joinPath(path + ".class_heights", key.str());
        double v = 0;
        if (const auto* f = node.as_floating_point()) {
          v = f->get();
        } else if (const auto* n = node.as_integer()) {
          v = static_cast<double>(n->get());
        } else {
          typeError(node, keyPath, "a number");
          continue;
        }
        if (!(v >= 0.0 && v <= 1000.0)) {
          rangeError(node, keyPath, fmtDouble(v), "0..1000");
          continue;
        }
        out.classHeights.emplace_back(std::string(key.str()), v);
      }
    }
    readDouble(style, path, "default_height_m", out.defaultHeightM, 0.0, 1000.0);
    readDouble(style, path, "vertical_scale", out.verticalScale, 0.0, 100.0, Bound::Exclusive);
    readString(style, path, "label_zh", out.labelZh);
    readString(style, path, "label_en", out.labelEn);
    readInt(style, path, "label_priority", out.labelPriority, -1000, 1000);
  }

  // A sub-table, or nullptr if absent (or if it has the wrong type, which is reported).
  const toml::table* table(const toml::table& t, const std::string& path, std::string_view key) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return nullptr;
    const auto* sub = node->as_table();
    if (sub == nullptr) typeError(*node, joinPath(path, key), "a table");
    return sub;
  }

  // An array of tables ([[layers]]); each element is checked to be a table. Empty if absent or wrong type.
  std::vector<const toml::table*> tables(const toml::table& t, const std::string& path, std::string_view key) {
    std::vector<const toml::table*> out;
    const toml::node* node = t.get(key);
    if (node == nullptr) return out;
    const std::string keyPath = joinPath(path, key);
    const auto* array = node->as_array();
    if (array == nullptr) {
      typeError(*node, keyPath, "an array of tables ([[" + keyPath + "]])");
      return out;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      if (const auto* sub = element.as_table()) {
        out.push_back(sub);
      } else {
        typeError(element, keyPath + "[" + std::to_string(i) + "]", "a table");
      }
    }
    return out;
  }

  // A required string key of an array-of-tables entry, e.g. layers[0].id.
  bool requireString(const toml::table& t, const std::string& path, std::string_view key, std::string& out) {
    if (t.get(key) == nullptr) {
      error(ErrorCode::InvalidArgument, lineOf(t), "'" + path + "' is missing required key '" + std::string(key) + "'");
      return false;
    }
    const std::size_t before = errors_.size();
    readString(t, path, key, out);
    if (errors_.size() != before) return false;
    if (out.empty()) {
      error(ErrorCode::InvalidArgument, lineOf(*t.get(key)), "'" + joinPath(path, key) + "' must not be empty");
      return false;
    }
    return true;
  }

  bool require(const toml::table& t, const std::string& path, std::string_view key) {
    if (t.get(key) != nullptr) return true;
    error(ErrorCode::InvalidArgument, lineOf(t), "'" + path + "' is missing required key '" + std::string(key) + "'");
    return false;
  }

  // Ids must be unique within a list (layers, sources, bookmarks): the message names both lines.
  void checkUnique(std::map<std::string, std::uint32_t>& seen, const std::string& what, const std::string& id,
                   const toml::table& t) {
    const toml::node* idNode = t.get("id");
    const std::uint32_t line = idNode != nullptr ? lineOf(*idNode) : lineOf(t);
    auto [it, inserted] = seen.emplace(id, line);
    if (!inserted) {
      error(ErrorCode::InvalidArgument, line,
            "duplicate " + what + " id '" + id + "' (first defined at line " + std::to_string(it->second) + ")");
    }
  }

  void readPose(const toml::table& t, const std::string& path, CameraPose& pose) {
    readDouble(t, path, "center_lon", pose.centerLon, -180.0, 180.0);
    readDouble(t, path, "center_lat", pose.centerLat, -90.0, 90.0);
    readDouble(t, path, "center_height", pose.centerHeight, -1000.0, 100000.0);
    readDouble(t, path, "heading_deg", pose.headingDeg, -360.0, 360.0);
    readDouble(t, path, "pitch_deg", pose.pitchDeg, -90.0, 0.0);
    readDouble(t, path, "range_m", pose.rangeM, 0.0, 1.0e7, Bound::Exclusive);
  }

  void parseDocument(const toml::table& root, Config& config) {
    checkKeys(root, "", kTopKeys);

    if (const auto* t = table(root, "", "display")) {
      checkKeys(*t, "display", kDisplayKeys);
      DisplayConfig& d = config.display;
      readInt(*t, "display", "width", d.width, 64, 16384);
      readInt(*t, "display", "height", d.height, 64, 16384);
      readBool(*t, "display", "fullscreen", d.fullscreen);
      readString(*t, "display", "language", d.language, kLanguages);
      readDouble(*t, "display", "ui_scale", d.uiScale, 0.5, 4.0);
      readBool(*t, "display", "vsync", d.vsync);
      readString(*t, "display", "title", d.title);
      readString(*t, "display", "title_en", d.titleEn);
      readString(*t, "display", "title_zh", d.titleZh);
    }

    if (const auto* t = table(root, "", "scene")) {
      checkKeys(*t, "scene", kSceneKeys);
      SceneConfig& s = config.scene;
      readDouble(*t, "scene", "origin_lon", s.originLon, -180.0, 180.0);
      readDouble(*t, "scene", "origin_lat", s.originLat, -85.0, 85.0);
      readString(*t, "scene", "crs", s.crs);
      if (const toml::node* crs = t->get("crs"); crs != nullptr && crs->is_string() && s.crs.empty()) {
        error(ErrorCode::InvalidArgument, lineOf(*crs), "'scene.crs' must not be empty");
      }
    }

    if (const auto* t = table(root, "", "clock")) {
      checkKeys(*t, "clock", kClockKeys);
      ClockConfig& c = config.clock;
      readString(*t, "clock", "mode", c.mode, kClockModes);
      readTime(*t, "clock", "start", c.start);
      readTime(*t, "clock", "end", c.end);
      readDouble(*t, "clock", "rate", c.rate, -1.0e6, 1.0e6);
      if (c.start && c.end && *c.start >= *c.end) {
        error(ErrorCode::OutOfRange, lineOf(*t->get("end")), "'clock.end' must be after 'clock.start'");
      }
    }

    if (const auto* camera = table(root, "", "camera")) {
      checkKeys(*camera, "camera", kCameraKeys);
      if (const auto* home = table(*camera, "camera", "home")) {
        checkKeys(*home, "camera.home", kPoseKeys);
        readPose(*home, "camera.home", config.home);
      }
      std::map<std::string, std::uint32_t> ids;
      const auto entries = tables(*camera, "camera", "bookmarks");
      for (std::size_t i = 0; i < entries.size(); ++i) {
        const toml::table& t = *entries[i];
        const std::string path = "camera.bookmarks[" + std::to_string(i) + "]";
        checkKeys(t, path, kBookmarkKeys);
        BookmarkConfig b;
        if (requireString(t, path, "id", b.id)) checkUnique(ids, "bookmark", b.id, t);
        readString(t, path, "name_en", b.nameEn);
        readString(t, path, "name_zh", b.nameZh);
        require(t, path, "center_lon");
        require(t, path, "center_lat");
        readPose(t, path, b.pose);
        config.bookmarks.push_back(std::move(b));
      }
    }

    {
      std::map<std::string, std::uint32_t> ids;
      const auto entries = tables(root, "", "layers");
      for (std::size_t i = 0; i < entries.size(); ++i) {
        const toml::table& t = *entries[i];
        const std::string path = "layers[" + std::to_string(i) + "]";
        checkKeys(t, path, kLayerKeys);
        LayerConfig layer;
        layer.line = static_cast<int>(lineOf(t));
        if (requireString(t, path, "id", layer.id)) checkUnique(ids, "layer", layer.id, t);
        readString(t, path, "type", layer.type);
        readString(t, path, "source", layer.source);
        readString(t, path, "source_layer", layer.sourceLayer);
        readString(t, path, "id_attribute", layer.idAttribute);
        readString(t, path, "crs", layer.assumeCrs);
        readString(t, path, "imagery", layer.imagery);
        readDouble(t, path, "resolution_m", layer.resolutionM, 0.0, 10000.0);
        readString(t, path, "name_en", layer.nameEn);
        readString(t, path, "name_zh", layer.nameZh);
        readBool(t, path, "visible", layer.visible);
        readDouble(t, path, "opacity", layer.opacity, 0.0, 1.0);
        readBool(t, path, "synthetic", layer.synthetic);
        const std::string stylePath = path + ".style";
        if (const auto* style = table(t, path, "style")) {
          checkKeys(*style, stylePath, kStyleKeys);
          readColour(*style, stylePath, "fill_color", layer.style.fillColor);
          readColour(*style, stylePath, "outline_color", layer.style.outlineColor);
          readDouble(*style, stylePath, "line_width_px", layer.style.lineWidthPx, 0.0, 64.0);
          readStyleRules(*style, stylePath, layer.style);
        }
        if (const auto* field = table(t, path, "field")) {
          const std::string fieldPath = path + ".field";
          checkKeys(*field, fieldPath, kFieldKeys);
          readString(*field, fieldPath, "points", layer.field.points);
          readString(*field, fieldPath, "provider", layer.field.provider);
          readString(*field, fieldPath, "method", layer.field.method, kFieldMethods);
          readDouble(*field, fieldPath, "power", layer.field.power, 0.1, 10.0);
          readDouble(*field, fieldPath, "search_radius_m", layer.field.searchRadiusM, 0.0, 1e6);
          readInt(*field, fieldPath, "max_neighbours", layer.field.maxNeighbours, 0, 1000);
          readDouble(*field, fieldPath, "max_update_hz", layer.field.maxUpdateHz, 0.01, 60.0);
        }
        if (const auto* bim = table(t, path, "bim")) {
          const std::string bimPath = path + ".bim";
          checkKeys(*bim, bimPath, kBimKeys);
          BimLayerConfig& b = layer.bim;
          b.line = static_cast<int>(lineOf(*bim));
          const auto readOptional = [&](std::string_view key, std::optional<double>& out, double lo, double hi) {
            double v = 0.0;
            if (bim->get(key) == nullptr) return;
            readDouble(*bim, bimPath, key, v, lo, hi);
            out = v;
          };
          readOptional("anchor_lon", b.anchorLon, -180.0, 180.0);
          readOptional("anchor_lat", b.anchorLat, -90.0, 90.0);
          readOptional("anchor_x", b.anchorX, -1e7, 1e7);
          readOptional("anchor_y", b.anchorY, -1e7, 1e7);
          readDouble(*bim, bimPath, "anchor_z", b.anchorZ, -1000.0, 10000.0);
          readDouble(*bim, bimPath, "rotation_deg", b.rotationDeg, -360.0, 360.0);
          readDouble(*bim, bimPath, "scale", b.scale, 0.0, 1000.0, Bound::Exclusive);
          readBool(*bim, bimPath, "anchor_override", b.anchorOverride);
          readString(*bim, bimPath, "replaces_building", b.replacesBuilding);
          readDouble(*bim, bimPath, "lod_distance_m", b.lodDistanceM, 0.0, 1e6);
          readDouble(*bim, bimPath, "explode_gap_m", b.explodeGapM, 0.0, 1000.0);
          if (b.anchorLon.has_value() != b.anchorLat.has_value()) {
            error(ErrorCode::InvalidArgument, static_cast<std::uint32_t>(b.line), "'" + bimPath + "' needs both anchor_lon and anchor_lat");
          }
          if (b.anchorX.has_value() != b.anchorY.has_value()) {
            error(ErrorCode::InvalidArgument, static_cast<std::uint32_t>(b.line), "'" + bimPath + "' needs both anchor_x and anchor_y");
          }
        }
        if (const auto* vehicles = table(t, path, "vehicles")) {
          const std::string vehiclesPath = path + ".vehicles";
          checkKeys(*vehicles, vehiclesPath, kVehiclesKeys);
          VehiclesConfig& v = layer.vehicles;
          v.line = static_cast<int>(lineOf(*vehicles));
          readString(*vehicles, vehiclesPath, "prefix", v.prefix);
          readString(*vehicles, vehiclesPath, "kind", v.kind);
          readInt(*vehicles, vehiclesPath, "max_entities", v.maxEntities, 1, 1'000'000);
          readString(*vehicles, vehiclesPath, "position", v.position, kVehiclePositions);
          readString(*vehicles, vehiclesPath, "x_attribute", v.xAttribute);
          readString(*vehicles, vehiclesPath, "y_attribute", v.yAttribute);
          readString(*vehicles, vehiclesPath, "lon_attribute", v.lonAttribute);
          readString(*vehicles, vehiclesPath, "lat_attribute", v.latAttribute);
        }
        if (layer.type == "vehicles" && layer.vehicles.prefix.empty()) {
          error(ErrorCode::InvalidArgument, lineOf(t),
                "'" + path + "' (type \"vehicles\") needs '" + path + ".vehicles.prefix', the entity id prefix it owns");
        }
        config.layers.push_back(std::move(layer));
      }
    }

    {
      std::map<std::string, std::uint32_t> ids;
      const auto entries = tables(root, "", "sources");
      for (std::size_t i = 0; i < entries.size(); ++i) {
        const toml::table& t = *entries[i];
        const std::string path = "sources[" + std::to_string(i) + "]";
        SourceConfig source;
        source.line = static_cast<int>(lineOf(t));
        if (requireString(t, path, "id", source.id)) checkUnique(ids, "source", source.id, t);
        requireString(t, path, "type", source.type);
        // A type other than zmq belongs to a plugin (checked once plugins load): its keys are its options.
        if (!source.type.empty() && std::find(std::begin(kSourceTypes), std::end(kSourceTypes), source.type) ==
                                        std::end(kSourceTypes)) {
          readDouble(t, path, "interval_s", source.intervalS, 0.0, 7.0 * 24 * 3600);
          readOptions(t, path, {"id", "type", "interval_s"}, source.options);
          config.sources.push_back(std::move(source));
          continue;
        }
        checkKeys(t, path, kSourceKeys);
        readString(t, path, "endpoint", source.endpoint);
        readBool(t, path, "bind", source.bind);
        readStringArray(t, path, "topics", source.topics);
        readDouble(t, path, "rate_limit", source.rateLimit, 0.0, 1e9);
        // CURVE unless the file says "none" (docs/security.md): a secure source needs the twin's key and the list.
        readString(t, path, "security", source.security, kSourceSecurity);
        readString(t, path, "server_key", source.serverKey);
        readString(t, path, "allowed_keys", source.allowedKeys);
        if (source.security == "curve") {
          for (const auto& [key, value] : {std::pair<std::string_view, const std::string*>{"server_key", &source.serverKey},
                                           {"allowed_keys", &source.allowedKeys}}) {
            if (!value->empty() || (t.get(key) != nullptr && !t.get(key)->is_string())) continue;
            error(ErrorCode::InvalidArgument, t.get(key) != nullptr ? lineOf(*t.get(key)) : lineOf(t),
                  "'" + path + "' uses security = \"curve\"" + (t.get("security") == nullptr ? " (the default)" : "") +
                      " and needs '" + std::string(key) + "' (" +
                      (key == "server_key" ? "the twin's key file: `greentwin keys server`"
                                           : "the allow-list of publisher keys: `greentwin keys allow`") +
                      "), or security = \"none\" for an unauthenticated local demo");
          }
        }
        config.sources.push_back(std::move(source));
      }
    }

    if (const auto* t = table(root, "", "plugins")) {
      // [plugins.<id>] tables hold plugin settings; other keys are checked as usual.
      std::vector<std::string_view> known(std::begin(kPluginKeys), std::end(kPluginKeys));
      for (auto&& [key, node] : *t) {
        if (const auto* settings = node.as_table()) {
          known.push_back(key.str());
          PluginSettingsConfig ps;
          ps.pluginId = std::string(key.str());
          ps.line = static_cast<int>(lineOf(*settings));
          readOptions(*settings, "plugins." + ps.pluginId, {}, ps.values);
          config.plugins.settings.push_back(std::move(ps));
        }
      }
      checkKeys(*t, "plugins", known);
      readStringArray(*t, "plugins", "folders", config.plugins.folders);
      readStringArray(*t, "plugins", "enabled", config.plugins.enabled);
    }

    if (const auto* t = table(root, "", "history")) {
      checkKeys(*t, "history", kHistoryKeys);
      config.history.line = static_cast<int>(lineOf(*t));
      readString(*t, "history", "path", config.history.path);
      readDouble(*t, "history", "retention_days", config.history.retentionDays, 0.0, 36500.0);
      readInt(*t, "history", "flush_ms", config.history.flushMs, 1, 60'000);
      readDouble(*t, "history", "memory_hours", config.history.memoryHours, 0.01, 24.0 * 365);
      readInt(*t, "history", "memory_samples", config.history.memorySamples, 2, 1'000'000);
    }

    if (const auto* t = table(root, "", "logging")) {
      checkKeys(*t, "logging", kLoggingKeys);
      readString(*t, "logging", "level", config.logging.level, kLogLevels);
      readString(*t, "logging", "file", config.logging.file);
    }
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  struct Error {
    ErrorCode code;
    std::uint32_t line;
    std::string text;
  };
  std::vector<Error> errors_;
};

bool looksLikeUriOrDataSource(const std::string& s) {
  // "tcp://...", "https://...", GDAL "PG:dbname=..." style prefixes (two or more letters before ':').
  const std::size_t colon = s.find(':');
  if (colon == std::string::npos || colon < 2) return false;
  return std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '.' ||
           c == '-';
  });
}

}  // namespace

std::string Config::resolvePath(const std::string& relative) const {
  if (relative.empty() || directory.empty()) return relative;
  if (looksLikeUriOrDataSource(relative)) return relative;
  const fs::path p(relative);
  if (p.is_absolute()) return relative;
  return (fs::path(directory) / p).lexically_normal().string();
}

const BookmarkConfig* Config::findBookmark(const std::string& id) const {
  for (const auto& b : bookmarks) {
    if (b.id == id) return &b;
  }
  return nullptr;
}

Result<Config> parseConfig(const std::string& text, const std::string& sourceName) {
  Parser parser(sourceName);
  Config config;
  try {
    const toml::table root = toml::parse(text, std::string_view(sourceName));
    parser.parseDocument(root, config);
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    return Status(ErrorCode::ParseError, sourceName + ":" + std::to_string(begin.line) + ":" +
                                             std::to_string(begin.column) + ": " + std::string(e.description()));
  } catch (const std::exception& e) {
    return Status(ErrorCode::Internal, sourceName + ": unexpected error while reading the config: " + e.what());
  } catch (...) {
    return Status(ErrorCode::Internal, sourceName + ": unexpected error while reading the config");
  }
  if (Status s = parser.result(); !s) return s;
  return config;
}

Result<Config> loadConfigFile(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return Status(ErrorCode::IoError, "cannot read config file '" + path + "': it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    return Status(ErrorCode::IoError,
                  "cannot open config file '" + path + "': " + (err != 0 ? std::strerror(err) : "unknown error"));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status(ErrorCode::IoError, "cannot read config file '" + path + "'");
  auto config = parseConfig(buffer.str(), path);
  if (!config) return config;
  config->path = path;
  const fs::path absolute = fs::absolute(fs::path(path), ec);
  config->directory = (ec ? fs::path(path) : absolute).parent_path().lexically_normal().string();
  return config;
}

}  // namespace gt
