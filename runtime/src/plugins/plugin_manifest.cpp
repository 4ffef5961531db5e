// Plugin manifests: reads and checks `<name>.greentwin-plugin.toml` (plugin_manifest.hpp). Loads nothing; any
// thread (the host reads manifests on the update thread, in PluginHost::load).

#include "greentwin/runtime/plugin_manifest.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <charconv>
#include <exception>
#include <utility>

namespace gt::runtime {

namespace {

Result<std::vector<std::string>> stringList(const toml::table& t, std::string_view key, const std::string& where) {
  std::vector<std::string> out;
  const toml::node* node = t.get(key);
  if (node == nullptr) return out;
  const toml::array* array = node->as_array();
  if (array == nullptr) return Status(ErrorCode::InvalidArgument, where + ": '" + std::string(key) + "' must be an array of strings");
  for (const toml::node& element : *array) {
    const auto* s = element.as_string();
    if (s == nullptr) return Status(ErrorCode::InvalidArgument, where + ": '" + std::string(key) + "' must be an array of strings");
    out.push_back(s->get());
  }
  return out;
}

}  // namespace

Result<PluginManifest> readPluginManifest(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status(ErrorCode::ParseError,
                  fmt::format("{}:{}: {}", path, e.source().begin.line, std::string(e.description())));
  } catch (const std::exception& e) {
    return Status(ErrorCode::IoError, path + ": " + e.what());
  }
  PluginManifest m;
  m.path = path;
  auto requireString = [&](std::string_view key, std::string& out) -> Status {
    const auto* s = root.get(key) != nullptr ? root.get(key)->as_string() : nullptr;
    if (s == nullptr || s->get().empty()) {
      return Status(ErrorCode::InvalidArgument, path + ": '" + std::string(key) + "' (a non-empty string) is required");
    }
    out = s->get();
    return Status::ok();
  };
  for (auto [key, out] : {std::pair<std::string_view, std::string*>{"id", &m.id}, {"version", &m.version},
                          {"library", &m.library}}) {
    if (Status s = requireString(key, *out); !s) return s;
  }
  if (const auto* name = root.get("name"); name != nullptr && name->is_string()) {
    m.name = name->as_string()->get();
  } else {
    m.name = m.id;
  }
  const auto* abi = root.get("abi") != nullptr ? root.get("abi")->as_integer() : nullptr;
  if (abi == nullptr || abi->get() < 1 || abi->get() > 0xffffffffLL) {
    return Status(ErrorCode::InvalidArgument, path + ": 'abi' (the plugin ABI version, an integer >= 1) is required");
  }
  m.abi = static_cast<std::uint32_t>(abi->get());
  if (const auto* provides = root.get("provides")) {
    const toml::table* t = provides->as_table();
    if (t == nullptr) return Status(ErrorCode::InvalidArgument, path + ": [provides] must be a table");
    const std::string where = path + ": provides";
    for (auto [key, out] : {std::pair<std::string_view, std::vector<std::string>*>{"sources", &m.sources},
                            {"layers", &m.layers},
                            {"kpis", &m.kpis},
                            {"classifiers", &m.classifiers}}) {
      auto list = stringList(*t, key, where);
      if (!list) return list.status();
      *out = std::move(*list);
    }
  }
  if (const auto* settings = root.get("settings")) {
    const toml::table* t = settings->as_table();
    if (t == nullptr) return Status(ErrorCode::InvalidArgument, path + ": [settings] must be a table");
    for (auto&& [key, node] : *t) {
      ConfigValue v{std::string(key.str()), {}, static_cast<int>(node.source().begin.line)};
      if (const auto* s = node.as_string()) {
        v.value = s->get();
      } else if (const auto* i = node.as_integer()) {
        v.value = std::to_string(i->get());
      } else if (const auto* f = node.as_floating_point()) {
        char buf[64];
        v.value.assign(buf, std::to_chars(buf, buf + sizeof buf, f->get()).ptr);
      } else if (const auto* b = node.as_boolean()) {
        v.value = b->get() ? "true" : "false";
      } else {
        return Status(ErrorCode::InvalidArgument, path + ": settings." + v.key + " must be a string, number or boolean");
      }
      m.settings.push_back(std::move(v));
    }
  }
  return m;
}

}  // namespace gt::runtime
