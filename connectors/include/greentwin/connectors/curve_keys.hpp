#pragma once
// CURVE key pairs (docs/security.md): generation (libzmq's zmq_curve_keypair, libsodium), Z85 validation, and the
// key file every GreenTwin part reads and writes - the twin's own server key and each publisher's key:
//
//   # GreenTwin CURVE key - <name>
//   name = "<name>"
//   public = "<40-char Z85>"
//   secret = "<40-char Z85>"      (absent in a public-only file)
//
// The file is TOML (Python reads it with tomllib). A file holding a secret is written with mode 0600.
// All functions are free of shared state: any thread.

#include <string>
#include <string_view>

#include "greentwin/core/status.hpp"

namespace gt::connectors {

inline constexpr std::size_t kZ85KeyLength = 40;  // a 32-byte CURVE key in Z85

struct KeyPair {
  std::string name;
  std::string publicKey;  // Z85, 40 characters
  std::string secretKey;  // Z85, 40 characters; empty for a public-only key
  bool hasSecret() const { return !secretKey.empty(); }
};

// A fresh key pair. Fails only if libzmq was built without CURVE (Unsupported).
Result<KeyPair> generateKeyPair(std::string name);

// OK if `key` is 40 Z85 characters; else InvalidArgument saying what is wrong (length, the bad character).
Status validateZ85Key(std::string_view key);

// The public key belonging to a Z85 secret key.
Result<std::string> publicKeyOf(std::string_view secretKey);

// Names: 1..64 characters of [A-Za-z0-9._@-] (they appear in audit lines and ZAP user ids).
Status validateKeyName(std::string_view name);

// Writes the key file. With a secret the file gets mode 0600 (else 0644). `overwrite` false: an existing file is an
// InvalidArgument error naming it, so a secret is never replaced by accident. The write is atomic (a temporary file
// in the same folder, renamed into place).
Status writeKeyFile(const std::string& path, const KeyPair& keys, bool overwrite = false);

// Reads a key file (public-only or with a secret). Errors name the file and the problem: missing file, not TOML,
// missing/ill-typed key, a key that is not 40 Z85 characters, a secret that does not belong to the public key.
// A file with a secret that group or others may read (mode & 077) is refused, as ssh refuses such a private key.
Result<KeyPair> readKeyFile(const std::string& path);

}  // namespace gt::connectors
