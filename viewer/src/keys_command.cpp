#include "keys_command.hpp"

#include <CLI/CLI.hpp>
#include <fmt/ranges.h>

#include <filesystem>
#include <iomanip>
#include <ostream>
#include <string>
#include <vector>

#include "greentwin/connectors/allow_list.hpp"
#include "greentwin/connectors/curve_keys.hpp"
#include "greentwin/core/time.hpp"

namespace gt::viewer {

namespace fs = std::filesystem;
using connectors::AllowList;
using connectors::AllowListEntry;
using connectors::KeyPair;

struct KeysCommand {
  CLI::App* keys = nullptr;
  CLI::App* server = nullptr;
  CLI::App* generate = nullptr;
  CLI::App* allow = nullptr;
  CLI::App* revoke = nullptr;
  CLI::App* list = nullptr;
  std::string name;
  std::string out;
  std::string allowList;
  std::string keyOrFile;
  std::vector<std::string> publishers;
  std::vector<std::string> entities;
  double maxIntervalS = 0;
  double maxBackfillS = 0;
  bool proxy = false;
  bool force = false;
};

namespace {

// --entity, --max-interval and --max-backfill of generate and allow (docs/security.md "Granting entities").
void addGrantOptions(CLI::App& sub, KeysCommand& c, const char* prefix) {
  sub.add_option("--entity", c.entities,
                 std::string(prefix) + "an entity id this key may write ('prefix*' for many; repeatable; default: "
                                       "any entity)");
  sub.add_option("--max-interval", c.maxIntervalS,
                 std::string(prefix) + "the longest send interval (s) this key's messages may declare, 1..604800 "
                                       "(default: the source's max_interval_s)");
  sub.add_option("--max-backfill", c.maxBackfillS,
                 std::string(prefix) + "how far before now (s) this key's updates may lie, 1..31622400 (default: any "
                                       "time; recorded history is never rewritten either way)");
}

}  // namespace

std::shared_ptr<KeysCommand> addKeysCommand(CLI::App& app) {
  auto c = std::make_shared<KeysCommand>();
  c->keys = app.add_subcommand(
      "keys", "CURVE keys and the allow-list of client keys: publishers, wall nodes, operators (docs/security.md)");
  c->keys->require_subcommand(1);

  c->server = c->keys->add_subcommand("server", "generate the twin's own key pair (server_key in [[sources]])");
  c->server->add_option("-o,--out", c->out, "key file to write (default: twin.key; the public key also goes to "
                                            "twin.pub for publishers)");
  c->server->add_option("--name", c->name, "name in the key file (default: twin)");
  c->server->add_flag("--force", c->force, "replace an existing key file");

  c->generate = c->keys->add_subcommand(
      "generate", "generate a client's key pair: a feed publisher, a wall follower or a wall operator (greentwin ctl)");
  c->generate->add_option("name", c->name, "client name (letters, digits, . _ - @)")->required();
  c->generate->add_option("-o,--out", c->out, "key file to write (default: <name>.key)");
  c->generate->add_option("--allow-list", c->allowList, "also admit the new public key in this allow-list");
  c->generate->add_option("--publisher", c->publishers,
                          "with --allow-list: a publisher id this key may send as ('prefix*' for many; repeatable; "
                          "default: the name)");
  addGrantOptions(*c->generate, *c, "with --allow-list: ");
  c->generate->add_flag("--force", c->force, "replace an existing key file");

  c->allow = c->keys->add_subcommand("allow", "admit a client's public key (a publisher, wall node or operator)");
  c->allow->add_option("name", c->name, "client name")->required();
  c->allow->add_option("key", c->keyOrFile, "its public key (40 Z85 characters) or its key file")->required();
  c->allow->add_option("--allow-list", c->allowList, "allow-list file (created if missing)")->required();
  c->allow->add_option("--publisher", c->publishers,
                       "a publisher id this key may send as ('prefix*' for many; repeatable; default: the name)");
  addGrantOptions(*c->allow, *c, "");
  c->allow->add_flag("--proxy", c->proxy,
                     "the key of a feed proxy (greentwin-feed proxy): its messages carry the key it admitted each "
                     "publisher with, and that key's own entry applies");

  c->revoke = c->keys->add_subcommand("revoke", "revoke a publisher (a running twin refuses it within a second)");
  c->revoke->add_option("name-or-key", c->name, "publisher name or public key")->required();
  c->revoke->add_option("--allow-list", c->allowList, "allow-list file")->required();

  c->list = c->keys->add_subcommand("list", "list the publishers of an allow-list");
  c->list->add_option("--allow-list", c->allowList, "allow-list file")->required();
  return c;
}

bool keysCommandParsed(const KeysCommand& command) { return command.keys != nullptr && command.keys->parsed(); }

namespace {

// The allow-list at `path`, or an empty one if the file does not exist yet.
Result<AllowList> loadOrEmpty(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return AllowList{};
  return AllowList::load(path);
}

std::string publicPathFor(const std::string& keyPath) {
  fs::path p(keyPath);
  if (p.extension() == ".key") return p.replace_extension(".pub").string();
  return keyPath + ".pub";
}

int admit(const std::string& allowListPath, const std::string& name, const std::string& publicKey,
          const KeysCommand& c, std::ostream& out, std::ostream& err, const char* sub) {
  const std::vector<std::string>& publishers = c.publishers;
  auto list = loadOrEmpty(allowListPath);
  if (!list) {
    err << "greentwin keys " << sub << ": " << list.status().message() << "\n";
    return 1;
  }
  if (c.maxIntervalS != 0 && !(c.maxIntervalS >= 1 && c.maxIntervalS <= 604800)) {
    err << "greentwin keys " << sub << ": --max-interval must be from 1 to 604800 seconds (a week)\n";
    return 1;
  }
  if (c.maxBackfillS != 0 && !(c.maxBackfillS >= 1 && c.maxBackfillS <= 31622400)) {
    err << "greentwin keys " << sub << ": --max-backfill must be from 1 to 31622400 seconds (366 days)\n";
    return 1;
  }
  AllowListEntry entry{name, publicKey, wallNow(), std::nullopt, publishers, c.entities,
                       static_cast<Duration>(c.maxIntervalS * kMicrosPerSecond), c.proxy,
                       static_cast<Duration>(std::llround(c.maxBackfillS * kMicrosPerSecond))};
  if (Status s = list->add(std::move(entry)); !s) {
    err << "greentwin keys " << sub << ": " << allowListPath << ": " << s.message() << "\n";
    return 1;
  }
  if (Status s = list->save(allowListPath); !s) {
    err << "greentwin keys " << sub << ": " << s.message() << "\n";
    return 1;
  }
  out << "admitted '" << name << "' (" << publicKey << ") in " << allowListPath << ", sending as "
      << (publishers.empty() ? "'" + name + "'" : fmt::format("{}", fmt::join(publishers, ", "))) << ", writing "
      << (c.entities.empty() ? std::string("any entity") : fmt::format("{}", fmt::join(c.entities, ", ")))
      << (c.proxy ? "; a feed proxy: the publishers' keys it attests need their own entries" : "") << "\n";
  return 0;
}

}  // namespace

int runKeysCommand(const KeysCommand& c, std::ostream& out, std::ostream& err) {
  if (c.server->parsed()) {
    auto keys = connectors::generateKeyPair(c.name.empty() ? "twin" : c.name);
    if (!keys) {
      err << "greentwin keys server: " << keys.status().message() << "\n";
      return 1;
    }
    const std::string path = c.out.empty() ? "twin.key" : c.out;
    const std::string pubPath = publicPathFor(path);
    if (Status s = connectors::writeKeyFile(path, *keys, c.force); !s) {
      err << "greentwin keys server: " << s.message() << (c.force ? "" : " (--force replaces it)") << "\n";
      return 1;
    }
    KeyPair pub = *keys;
    pub.secretKey.clear();
    if (Status s = connectors::writeKeyFile(pubPath, pub, true); !s) {
      err << "greentwin keys server: " << s.message() << "\n";
      return 1;
    }
    out << "wrote the twin's key pair to " << path
        << " (secret, mode 0600: server_key in [[sources]], or a wall lead's lead_key)\n"
        << "wrote its public key to " << pubPath
        << " (give this to its clients: publishers' --server-key; a wall's followers and operators read it as "
           "lead_key)\n"
        << "public key: " << keys->publicKey << "\n";
    return 0;
  }
  if (c.generate->parsed()) {
    auto keys = connectors::generateKeyPair(c.name);
    if (!keys) {
      err << "greentwin keys generate: " << keys.status().message() << "\n";
      return 1;
    }
    const std::string path = c.out.empty() ? c.name + ".key" : c.out;
    if (Status s = connectors::writeKeyFile(path, *keys, c.force); !s) {
      err << "greentwin keys generate: " << s.message() << (c.force ? "" : " (--force replaces it)") << "\n";
      return 1;
    }
    out << "wrote the key pair of '" << c.name << "' to " << path
        << " (secret, mode 0600: a publisher's --key-file, a wall node's or operator's key file)\n"
        << "public key: " << keys->publicKey << "\n";
    if (!c.allowList.empty()) return admit(c.allowList, c.name, keys->publicKey, c, out, err, "generate");
    return 0;
  }
  if (c.allow->parsed()) {
    std::string publicKey = c.keyOrFile;
    if (!connectors::validateZ85Key(publicKey)) {
      std::error_code ec;
      if (!fs::exists(c.keyOrFile, ec)) {
        err << "greentwin keys allow: '" << c.keyOrFile << "' is neither a public key ("
            << connectors::validateZ85Key(publicKey).message() << ") nor a key file\n";
        return 1;
      }
      auto keys = connectors::readKeyFile(c.keyOrFile);
      if (!keys) {
        err << "greentwin keys allow: " << keys.status().message() << "\n";
        return 1;
      }
      publicKey = keys->publicKey;
    }
    return admit(c.allowList, c.name, publicKey, c, out, err, "allow");
  }
  if (c.revoke->parsed()) {
    auto list = AllowList::load(c.allowList);
    if (!list) {
      err << "greentwin keys revoke: " << list.status().message() << "\n";
      return 1;
    }
    auto revoked = list->revoke(c.name, wallNow());
    if (!revoked) {
      err << "greentwin keys revoke: " << c.allowList << ": " << revoked.status().message() << "\n";
      return 1;
    }
    if (Status s = list->save(c.allowList); !s) {
      err << "greentwin keys revoke: " << s.message() << "\n";
      return 1;
    }
    for (const auto& e : *revoked) out << "revoked '" << e.name << "' (" << e.publicKey << ") in " << c.allowList << "\n";
    out << "a running twin refuses new connections with this key at once and drops the messages of a connected "
           "publisher using it within a second\n";
    return 0;
  }
  if (c.list->parsed()) {
    auto list = AllowList::load(c.allowList);
    if (!list) {
      err << "greentwin keys list: " << list.status().message() << "\n";
      return 1;
    }
    std::size_t width = 4;
    for (const auto& e : list->entries()) width = std::max(width, e.name.size());
    out << std::left << std::setw(static_cast<int>(width)) << "name" << "  " << std::setw(40) << "public key"
        << "  status  (publisher ids) [entities]\n";
    for (const auto& e : list->entries()) {
      out << std::setw(static_cast<int>(width)) << e.name << "  " << std::setw(40) << e.publicKey << "  "
          << (e.admitted() ? "admitted since " + formatIsoTime(e.added - e.added % kMicrosPerSecond)
                           : "REVOKED at " + formatIsoTime(*e.revoked - *e.revoked % kMicrosPerSecond))
          << "  (" << (e.publishers.empty() ? e.name : fmt::format("{}", fmt::join(e.publishers, ", "))) << ")"
          << (e.entities.empty() ? std::string() : fmt::format(" [{}]", fmt::join(e.entities, ", ")))
          << (e.maxInterval > 0 ? fmt::format(" max_interval_s={}", e.maxInterval / kMicrosPerSecond) : "")
          << (e.maxBackfill > 0 ? fmt::format(" max_backfill_s={}", e.maxBackfill / kMicrosPerSecond) : "")
          << (e.proxy ? " PROXY" : "") << "\n";
    }
    if (list->entries().empty()) out << "(no publishers)\n";
    return 0;
  }
  err << "greentwin keys: give a subcommand (server, generate, allow, revoke, list)\n";
  return 1;
}

}  // namespace gt::viewer
