#include "greentwin/connectors/allow_list.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <toml++/toml.h>

#include "greentwin/connectors/curve_keys.hpp"
#include "key_file_io.hpp"

namespace gt::connectors {

namespace {

constexpr std::string_view kEntryKeys[]{"name", "public", "publishers", "entities", "max_interval_s", "max_backfill_s", "proxy", "added", "revoked"};

std::string where(const std::string& source, const toml::node& node) {
  const auto line = node.source().begin.line;
  return line > 0 ? source + ":" + std::to_string(line) : source;
}

// Whole seconds are enough for an audit trail and read better.
std::string timeText(TimePoint t) { return formatIsoTime(t - t % kMicrosPerSecond); }

// An id pattern's common rules: 1 to `maxBytes` bytes, '*' only at the end; `allowed` judges every other byte.
template <class Allowed>
Status validateIdPattern(std::string_view pattern, std::size_t maxBytes, const char* article, const char* what,
                         const char* rules, Allowed allowed) {
  if (pattern.empty() || pattern.size() > maxBytes) {
    return Status(ErrorCode::InvalidArgument, std::string(article) + " " + what + " pattern is 1 to " +
                                                  std::to_string(maxBytes) + " characters, got " +
                                                  std::to_string(pattern.size()));
  }
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (!allowed(static_cast<unsigned char>(c)) || (c == '*' && i + 1 != pattern.size())) {
      return Status(ErrorCode::InvalidArgument,
                    std::string(what) + " pattern '" + std::string(pattern) + "': " + rules + ", and '*' only at the end");
    }
  }
  return Status::ok();
}

// max_interval_s as written in the file: whole seconds as an integer.
std::string secondsText(Duration d) {
  if (d % kMicrosPerSecond == 0) return std::to_string(d / kMicrosPerSecond);
  return fmt::format("{:.6f}", static_cast<double>(d) / kMicrosPerSecond);
}

}  // namespace

bool matchesIdPattern(std::string_view pattern, std::string_view id) {
  if (!pattern.empty() && pattern.back() == '*') return id.starts_with(pattern.substr(0, pattern.size() - 1));
  return id == pattern;
}

bool AllowListEntry::mayPublishAs(std::string_view publisherId) const {
  if (publishers.empty()) return publisherId == name;
  return std::any_of(publishers.begin(), publishers.end(),
                     [&](const std::string& p) { return matchesIdPattern(p, publisherId); });
}

bool AllowListEntry::writesAnyEntity() const {
  return entities.empty() || std::find(entities.begin(), entities.end(), "*") != entities.end();
}

bool AllowListEntry::mayWrite(std::string_view entityId) const {
  if (entities.empty()) return true;
  return std::any_of(entities.begin(), entities.end(),
                     [&](const std::string& p) { return matchesIdPattern(p, entityId); });
}

Status validateEntityPattern(std::string_view pattern) {
  return validateIdPattern(pattern, 256, "an", "entity id", "no control characters, quotes or backslashes",
                           [](unsigned char c) { return c >= 0x20 && c != 0x7F && c != '"' && c != '\\'; });
}

Status validatePublisherPattern(std::string_view pattern) {
  return validateIdPattern(pattern, 128, "a", "publisher id", "printable ASCII without spaces, quotes or backslashes",
                           [](unsigned char c) { return c > ' ' && c < 0x7F && c != '"' && c != '\\'; });
}

Result<AllowList> AllowList::load(const std::string& path) {
  auto text = detail::readTextFile(path, "allow-list");
  if (!text) return text.status();
  return parse(*text, path);
}

Result<AllowList> AllowList::parse(const std::string& text, const std::string& sourceName) {
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(sourceName));
  } catch (const toml::parse_error& e) {
    return Status(ErrorCode::ParseError, sourceName + ":" + std::to_string(e.source().begin.line) +
                                             ": not a GreenTwin allow-list: " + std::string(e.description()));
  }
  AllowList list;
  for (auto&& [key, node] : root) {
    if (key.str() != "publisher") {
      return Status(ErrorCode::InvalidArgument, where(sourceName, node) + ": unknown key '" + std::string(key.str()) +
                                                    "' (an allow-list holds [[publisher]] entries)");
    }
  }
  const toml::node* publishers = root.get("publisher");
  if (publishers == nullptr) return list;
  const auto* array = publishers->as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    return Status(ErrorCode::InvalidArgument, where(sourceName, *publishers) + ": 'publisher' must be [[publisher]] tables");
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::table& t = *array->get(i)->as_table();
    const std::string at = where(sourceName, t);
    for (auto&& [key, node] : t) {
      if (std::find(std::begin(kEntryKeys), std::end(kEntryKeys), key.str()) == std::end(kEntryKeys)) {
        return Status(ErrorCode::InvalidArgument, where(sourceName, node) + ": unknown key 'publisher." +
                                                      std::string(key.str()) +
                                                      "' (expected name, public, publishers, entities, "
                                                      "max_interval_s, proxy, added, revoked)");
      }
    }
    auto str = [&](std::string_view key, std::string& out, bool required) -> Status {
      const toml::node* node = t.get(key);
      if (node == nullptr) {
        return required ? Status(ErrorCode::InvalidArgument, at + ": publisher entry without '" + std::string(key) + "'")
                        : Status::ok();
      }
      const auto* s = node->as_string();
      if (s == nullptr) {
        return Status(ErrorCode::InvalidArgument, where(sourceName, *node) + ": 'publisher." + std::string(key) +
                                                      "' must be a string");
      }
      out = s->get();
      return Status::ok();
    };
    auto time = [&](std::string_view key, std::optional<TimePoint>& out) -> Status {
      std::string value;
      if (Status s = str(key, value, false); !s) return s;
      if (t.get(key) == nullptr) return Status::ok();
      auto parsed = parseIsoTime(value);
      if (!parsed) {
        return Status(ErrorCode::ParseError, where(sourceName, *t.get(key)) + ": 'publisher." + std::string(key) +
                                                 "' is not a time: " + parsed.status().message());
      }
      out = *parsed;
      return Status::ok();
    };
    AllowListEntry entry;
    std::optional<TimePoint> added;
    if (Status s = str("name", entry.name, true); !s) return s;
    if (Status s = str("public", entry.publicKey, true); !s) return s;
    if (Status s = time("added", added); !s) return s;
    if (Status s = time("revoked", entry.revoked); !s) return s;
    // `publishers` and `entities`: arrays of id patterns, each checked by `validate`.
    auto patterns = [&](std::string_view key, Status (*validate)(std::string_view),
                        std::vector<std::string>& out) -> Status {
      const toml::node* node = t.get(key);
      if (node == nullptr) return Status::ok();
      const std::string arrayError = "'publisher." + std::string(key) + "' must be an array of strings";
      const auto* ids = node->as_array();
      if (ids == nullptr) return Status(ErrorCode::InvalidArgument, where(sourceName, *node) + ": " + arrayError);
      for (const toml::node& id : *ids) {
        const auto* idText = id.as_string();
        if (idText == nullptr) return Status(ErrorCode::InvalidArgument, where(sourceName, id) + ": " + arrayError);
        if (Status s = validate(idText->get()); !s) return Status(s.code(), where(sourceName, id) + ": " + s.message());
        out.push_back(idText->get());
      }
      return Status::ok();
    };
    if (Status s = patterns("publishers", validatePublisherPattern, entry.publishers); !s) return s;
    if (Status s = patterns("entities", validateEntityPattern, entry.entities); !s) return s;
    if (const toml::node* node = t.get("max_interval_s")) {
      const std::optional<double> seconds = node->value<double>();  // an integer or a float
      if (!seconds || !(*seconds >= 1.0 && *seconds <= 604800.0)) {
        return Status(ErrorCode::InvalidArgument, where(sourceName, *node) +
                                                      ": 'publisher.max_interval_s' must be a number of seconds "
                                                      "from 1 to 604800 (a week)");
      }
      // Rounded, not truncated: 1.000001 s is 1000000.9999999999 µs as a double, and truncating it lost a
      // microsecond on every read of the list toText() writes (each `greentwin keys` save shortened the interval).
      entry.maxInterval = static_cast<Duration>(std::llround(*seconds * kMicrosPerSecond));
    }
    if (const toml::node* node = t.get("max_backfill_s")) {
      const std::optional<double> seconds = node->value<double>();
      if (!seconds || !(*seconds >= 1.0 && *seconds <= 31622400.0)) {
        return Status(ErrorCode::InvalidArgument, where(sourceName, *node) +
                                                      ": 'publisher.max_backfill_s' must be a number of seconds "
                                                      "from 1 to 31622400 (366 days)");
      }
      entry.maxBackfill = static_cast<Duration>(std::llround(*seconds * kMicrosPerSecond));
    }
    if (const toml::node* node = t.get("proxy")) {
      const auto* flag = node->as_boolean();
      if (flag == nullptr) {
        return Status(ErrorCode::InvalidArgument,
                      where(sourceName, *node) + ": 'publisher.proxy' must be true or false");
      }
      entry.proxy = flag->get();
    }
    entry.added = added.value_or(0);
    if (Status s = validateKeyName(entry.name); !s) {
      return Status(s.code(), where(sourceName, *t.get("name")) + ": " + s.message());
    }
    if (Status s = validateZ85Key(entry.publicKey); !s) {
      return Status(s.code(), where(sourceName, *t.get("public")) + ": public key of '" + entry.name + "': " + s.message());
    }
    list.entries_.push_back(std::move(entry));
  }
  return list;
}

std::string AllowList::toText() const {
  std::string text =
      "# GreenTwin allow-list: the publisher public keys this twin admits (docs/security.md).\n"
      "# Edit with `greentwin keys allow|revoke|list --allow-list <this file>`; a running twin re-reads it when it\n"
      "# changes. Revoked entries stay as a record.\n";
  for (const AllowListEntry& e : entries_) {
    text += "\n[[publisher]]\n";
    text += "name = \"" + e.name + "\"\n";
    text += "public = \"" + e.publicKey + "\"\n";
    if (!e.publishers.empty()) {
      text += "publishers = [";
      for (std::size_t i = 0; i < e.publishers.size(); ++i) text += (i > 0 ? ", \"" : "\"") + e.publishers[i] + "\"";
      text += "]\n";
    }
    if (!e.entities.empty()) {
      text += "entities = [";
      for (std::size_t i = 0; i < e.entities.size(); ++i) text += (i > 0 ? ", \"" : "\"") + e.entities[i] + "\"";
      text += "]\n";
    }
    if (e.maxInterval > 0) text += "max_interval_s = " + secondsText(e.maxInterval) + "\n";
    if (e.maxBackfill > 0) text += "max_backfill_s = " + secondsText(e.maxBackfill) + "\n";
    if (e.proxy) text += "proxy = true\n";
    text += "added = \"" + timeText(e.added) + "\"\n";
    if (e.revoked) text += "revoked = \"" + timeText(*e.revoked) + "\"\n";
  }
  return text;
}

Status AllowList::save(const std::string& path) const {
  return detail::writeFileAtomically(path, toText(), 0644, true, "allow-list");
}

Status AllowList::add(std::string name, std::string publicKey, TimePoint now, std::vector<std::string> publishers) {
  return add(AllowListEntry{std::move(name), std::move(publicKey), now, std::nullopt, std::move(publishers), {}, 0, false});
}

Status AllowList::add(AllowListEntry entry) {
  if (Status s = validateKeyName(entry.name); !s) return s;
  for (const std::string& p : entry.publishers) {
    if (Status s = validatePublisherPattern(p); !s) return s;
  }
  for (const std::string& p : entry.entities) {
    if (Status s = validateEntityPattern(p); !s) return s;
  }
  if (entry.maxInterval != 0 && (entry.maxInterval < kMicrosPerSecond || entry.maxInterval > kMaxEntryInterval)) {
    return Status(ErrorCode::InvalidArgument, "max_interval_s must be from 1 to 604800 seconds (a week)");
  }
  if (entry.maxBackfill != 0 && (entry.maxBackfill < kMicrosPerSecond || entry.maxBackfill > kMaxEntryBackfill)) {
    return Status(ErrorCode::InvalidArgument, "max_backfill_s must be from 1 to 31622400 seconds (366 days)");
  }
  if (entry.revoked) return Status(ErrorCode::InvalidArgument, "a new entry cannot be revoked already");
  if (Status s = validateZ85Key(entry.publicKey); !s) return Status(s.code(), "public key: " + s.message());
  for (const AllowListEntry& e : entries_) {
    if (!e.admitted()) continue;
    if (e.name == entry.name) {
      return Status(ErrorCode::InvalidArgument,
                    "'" + entry.name + "' is already admitted (revoke it first to replace its key)");
    }
    if (e.publicKey == entry.publicKey) {
      return Status(ErrorCode::InvalidArgument, "this key is already admitted as '" + e.name + "'");
    }
  }
  entries_.push_back(std::move(entry));
  return Status::ok();
}

Result<std::vector<AllowListEntry>> AllowList::revoke(std::string_view nameOrKey, TimePoint now) {
  std::vector<AllowListEntry> revoked;
  bool seenRevoked = false;
  for (AllowListEntry& e : entries_) {
    if (e.name != nameOrKey && e.publicKey != nameOrKey) continue;
    if (!e.admitted()) {
      seenRevoked = true;
      continue;
    }
    e.revoked = now;
    revoked.push_back(e);
  }
  if (revoked.empty()) {
    return Status(ErrorCode::NotFound, seenRevoked ? "'" + std::string(nameOrKey) + "' is already revoked"
                                                   : "no admitted publisher named '" + std::string(nameOrKey) +
                                                         "' or with that key");
  }
  return revoked;
}

const AllowListEntry* AllowList::findAdmitted(std::string_view publicKey) const {
  for (const AllowListEntry& e : entries_) {
    if (e.admitted() && e.publicKey == publicKey) return &e;
  }
  return nullptr;
}

const AllowListEntry* AllowList::findAny(std::string_view publicKey) const {
  const AllowListEntry* found = nullptr;
  for (const AllowListEntry& e : entries_) {
    if (e.publicKey == publicKey) found = &e;
  }
  return found;
}

}  // namespace gt::connectors
