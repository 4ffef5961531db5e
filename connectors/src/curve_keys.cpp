#include "greentwin/connectors/curve_keys.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <zmq.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <toml++/toml.h>

#include "key_file_io.hpp"

namespace gt::connectors {

namespace {

constexpr std::string_view kZ85Alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

constexpr std::string_view kKeyFileKeys[]{"name", "public", "secret"};

std::string where(const std::string& path, const toml::node& node) {
  const auto line = node.source().begin.line;
  return line > 0 ? path + ":" + std::to_string(line) : path;
}

}  // namespace

Status validateZ85Key(std::string_view key) {
  if (key.size() != kZ85KeyLength) {
    return Status(ErrorCode::InvalidArgument, "a CURVE key is " + std::to_string(kZ85KeyLength) +
                                                  " Z85 characters, got " + std::to_string(key.size()));
  }
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (kZ85Alphabet.find(key[i]) == std::string_view::npos) {
      const auto c = static_cast<unsigned char>(key[i]);
      std::string shown = (c >= 0x20 && c < 0x7f) ? std::string("'") + key[i] + "'" : "byte " + std::to_string(c);
      return Status(ErrorCode::InvalidArgument,
                    "a CURVE key is Z85 text; character " + std::to_string(i + 1) + " (" + shown + ") is not Z85");
    }
  }
  // The alphabet check passed, so only a value overflowing 2^32 in a 5-character group can still fail.
  std::array<std::uint8_t, 32> raw{};
  const std::string copy(key);
  if (zmq_z85_decode(raw.data(), copy.c_str()) == nullptr) {
    return Status(ErrorCode::InvalidArgument, "not a valid Z85 key (a 5-character group overflows)");
  }
  return Status::ok();
}

Status validateKeyName(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return Status(ErrorCode::InvalidArgument, "a key name is 1 to 64 characters, got " + std::to_string(name.size()));
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-' || c == '@';
    if (!ok) {
      return Status(ErrorCode::InvalidArgument, "key name '" + std::string(name) +
                                                    "' may only hold letters, digits and . _ - @");
    }
  }
  return Status::ok();
}

Result<KeyPair> generateKeyPair(std::string name) {
  if (Status s = validateKeyName(name); !s) return s;
  std::array<char, kZ85KeyLength + 1> pub{};
  std::array<char, kZ85KeyLength + 1> sec{};
  if (zmq_curve_keypair(pub.data(), sec.data()) != 0) {
    return Status(ErrorCode::Unsupported, std::string("cannot generate a CURVE key pair: ") + zmq_strerror(zmq_errno()) +
                                              " (libzmq built without CURVE?)");
  }
  return KeyPair{std::move(name), std::string(pub.data()), std::string(sec.data())};
}

Result<std::string> publicKeyOf(std::string_view secretKey) {
  if (Status s = validateZ85Key(secretKey); !s) return s;
  std::array<char, kZ85KeyLength + 1> pub{};
  const std::string sec(secretKey);
  if (zmq_curve_public(pub.data(), sec.c_str()) != 0) {
    return Status(ErrorCode::Unsupported, std::string("cannot derive the public key: ") + zmq_strerror(zmq_errno()));
  }
  return std::string(pub.data());
}

Status writeKeyFile(const std::string& path, const KeyPair& keys, bool overwrite) {
  if (Status s = validateKeyName(keys.name); !s) return Status(s.code(), path + ": " + s.message());
  if (Status s = validateZ85Key(keys.publicKey); !s) return Status(s.code(), path + ": public key: " + s.message());
  if (keys.hasSecret()) {
    if (Status s = validateZ85Key(keys.secretKey); !s) return Status(s.code(), path + ": secret key: " + s.message());
  }
  std::string text = "# GreenTwin CURVE key \xE2\x80\x94 " + keys.name + "\n";
  text += "name = \"" + keys.name + "\"\n";
  text += "public = \"" + keys.publicKey + "\"\n";
  if (keys.hasSecret()) text += "secret = \"" + keys.secretKey + "\"\n";
  return detail::writeFileAtomically(path, text, keys.hasSecret() ? 0600 : 0644, overwrite, "key file");
}

Result<KeyPair> readKeyFile(const std::string& path) {
  auto text = detail::readTextFile(path, "key file");
  if (!text) return text.status();
  toml::table root;
  try {
    root = toml::parse(*text, std::string_view(path));
  } catch (const toml::parse_error& e) {
    return Status(ErrorCode::ParseError, path + ":" + std::to_string(e.source().begin.line) +
                                             ": not a GreenTwin key file: " + std::string(e.description()));
  }
  for (auto&& [key, node] : root) {
    if (std::find(std::begin(kKeyFileKeys), std::end(kKeyFileKeys), key.str()) == std::end(kKeyFileKeys)) {
      return Status(ErrorCode::InvalidArgument,
                    where(path, node) + ": unknown key '" + std::string(key.str()) + "' (expected name, public, secret)");
    }
  }
  KeyPair keys;
  auto readString = [&](std::string_view key, std::string& out, bool required) -> Status {
    const toml::node* node = root.get(key);
    if (node == nullptr) {
      if (!required) return Status::ok();
      return Status(ErrorCode::InvalidArgument, path + ": missing '" + std::string(key) + "'");
    }
    const auto* s = node->as_string();
    if (s == nullptr) {
      return Status(ErrorCode::InvalidArgument, where(path, *node) + ": '" + std::string(key) + "' must be a string");
    }
    out = s->get();
    return Status::ok();
  };
  if (Status s = readString("name", keys.name, true); !s) return s;
  if (Status s = readString("public", keys.publicKey, true); !s) return s;
  if (Status s = readString("secret", keys.secretKey, false); !s) return s;
  if (Status s = validateKeyName(keys.name); !s) return Status(s.code(), where(path, *root.get("name")) + ": " + s.message());
  if (Status s = validateZ85Key(keys.publicKey); !s) {
    return Status(s.code(), where(path, *root.get("public")) + ": public key: " + s.message());
  }
  if (root.get("secret") != nullptr) {
    if (Status s = validateZ85Key(keys.secretKey); !s) {
      return Status(s.code(), where(path, *root.get("secret")) + ": secret key: " + s.message());
    }
    auto derived = publicKeyOf(keys.secretKey);
    if (!derived) return Status(derived.status().code(), path + ": " + derived.status().message());
    if (*derived != keys.publicKey) {
      return Status(ErrorCode::InvalidArgument, path + ": the secret key does not belong to the public key");
    }
    // As ssh does with a private key: a secret that group or others may read is refused, not just warned about
    // (a warning in a log nobody reads left the twin running on a key anyone on the host could copy).
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
      return Status(ErrorCode::InvalidArgument,
                    fmt::format("{}: holds a secret key that group or others may read (mode {:o}); chmod 600 it", path,
                                st.st_mode & 0777));
    }
  }
  return keys;
}

}  // namespace gt::connectors
