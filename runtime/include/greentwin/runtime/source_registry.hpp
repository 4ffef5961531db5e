#pragma once
// Source types the twin starts itself ("zmq", zmq_source.hpp), by name: each type's options parser (its keys of a
// [[sources]] entry, read when the config loads) and its factory, registered together. A plugin's source types are
// not here: plugins load after the config, so a [[sources]] type no registry knows is a plugin's (plugin_host.hpp).
// One registry is owned by whoever loads the config or runs the twin (no global registry); builtins are registered
// by registerBuiltinSources(registry). Nothing outside a registry tests a source type's name.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/connectors/zmq_ingest.hpp"
#include "greentwin/core/config.hpp"
#include "greentwin/core/entity_directory.hpp"
#include "greentwin/core/feed_health.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/update_channel.hpp"

namespace gt::runtime {

// What a source pushes into and reads; everything here outlives the source.
struct SourceContext {
  UpdateChannel& channel;
  EntityDirectory& directory;
  const FeedHealthConfig& health;  // for the source's own FeedHealth
  const Config& config;            // resolvePath for files it names
};

// A configured source of a registered type, created on the owning thread and started there; its own threads (if
// any) stop in its destructor, which runs before the channel, directory and health it uses go away.
class LiveSource {
 public:
  virtual ~LiveSource() = default;
  virtual Status start() = 0;
  // Where it listens or connects, for the UI: as configured until started, then as it is (a bound port).
  virtual std::string endpoint() const = 0;
  // Whether its publishers are authenticated (zmq: CURVE).
  virtual bool secure() const { return false; }
  // The health of its publishers, kept by the source (any thread); nullptr: none.
  virtual const FeedHealth* health() const { return nullptr; }
  // Ingest counters of a started socket source (any thread); nullopt: none.
  virtual std::optional<connectors::ZmqIngestStats> ingestStats() const { return std::nullopt; }
};

class SourceRegistry {
 public:
  using Factory = std::function<std::unique_ptr<LiveSource>(const SourceConfig&, const SourceContext&)>;
  struct Type {
    SourceOptionsParser options;
    Factory factory;
  };

  // Registering the same type twice, an empty name or no factory is an error.
  Status registerType(const std::string& type, Type definition);
  // nullptr: not a registered type (a plugin's, or none).
  const Type* find(const std::string& type) const;
  std::vector<std::string> types() const;
  // Every type's options parser, for the config loader (ConfigSchema::sourceTypes).
  std::map<std::string, SourceOptionsParser, std::less<>> optionsParsers() const;

 private:
  std::map<std::string, Type> types_;
};

// "zmq" (zmq_source.hpp).
void registerBuiltinSources(SourceRegistry& registry);

}  // namespace gt::runtime
