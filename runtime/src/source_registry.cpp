#include "greentwin/runtime/source_registry.hpp"

#include "greentwin/runtime/zmq_source.hpp"

namespace gt::runtime {

Status SourceRegistry::registerType(const std::string& type, Type definition) {
  if (type.empty()) return Status(ErrorCode::InvalidArgument, "source type name is empty");
  if (!definition.factory) return Status(ErrorCode::InvalidArgument, "source type '" + type + "' has no factory");
  if (!types_.emplace(type, std::move(definition)).second) {
    return Status(ErrorCode::InvalidArgument, "source type '" + type + "' is already registered");
  }
  return Status::ok();
}

const SourceRegistry::Type* SourceRegistry::find(const std::string& type) const {
  const auto it = types_.find(type);
  return it != types_.end() ? &it->second : nullptr;
}

std::vector<std::string> SourceRegistry::types() const {
  std::vector<std::string> out;
  for (const auto& [name, type] : types_) out.push_back(name);
  return out;
}

std::map<std::string, SourceOptionsParser, std::less<>> SourceRegistry::optionsParsers() const {
  std::map<std::string, SourceOptionsParser, std::less<>> out;
  for (const auto& [name, type] : types_) out.emplace(name, type.options);
  return out;
}

void registerBuiltinSources(SourceRegistry& registry) {
  (void)registry.registerType(std::string(kZmqSourceType), {zmqSourceOptionsParser(), createZmqSource});
}

}  // namespace gt::runtime
