#pragma once
// The twin's allow-list of publisher public keys (docs/security.md): which CURVE publishers a source admits.
// A TOML file of [[publisher]] entries, edited with `greentwin keys allow|revoke|list` and re-read by the running
// twin (ZapAuthenticator) when it changes:
//
//   [[publisher]]
//   name = "aq-station-feed"
//   public = "<40-char Z85>"
//   publishers = ["aq-stations", "aq-mobile-*"]   # optional: the envelope publisher ids this key may send as
//   added = "2026-11-26T10:00:00Z"
//   revoked = "2026-11-26T11:00:00Z"   # only once revoked
//
// Binding keys to publisher ids: a message is applied only when its envelope's publisher id is one this key may use
// (mayPublishAs), so a listed publisher cannot claim another's id (its sequence numbers, its health, its data).
// `publishers` holds exact ids, or prefixes written with a trailing '*'; an entry without it may send only as the
// publisher id equal to its name.
//
// A revoked entry stays in the file (history for the audit trail); a key is admitted while an entry with that key
// is not revoked. A value type: no shared state, any thread.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"

namespace gt::connectors {

struct AllowListEntry {
  std::string name;
  std::string publicKey;  // Z85
  TimePoint added = 0;
  std::optional<TimePoint> revoked;
  std::vector<std::string> publishers;  // publisher-id patterns; empty: only `name`
  bool admitted() const { return !revoked.has_value(); }
  bool mayPublishAs(std::string_view publisherId) const;
};

// A publisher-id pattern of an allow-list entry: 1 to 128 printable ASCII characters without quotes, backslashes or
// spaces; '*' only as the last character (a prefix). The error names the pattern.
Status validatePublisherPattern(std::string_view pattern);

class AllowList {
 public:
  // Reads the file. Errors name the file (and the line for a bad entry): missing file (NotFound), not TOML, an entry
  // without name/public, a key that is not Z85, a bad time.
  static Result<AllowList> load(const std::string& path);
  static Result<AllowList> parse(const std::string& text, const std::string& sourceName);

  // The file text (a header comment, then the entries in order).
  std::string toText() const;
  // Writes atomically (temporary file + rename), so a running twin never reads a half-written list.
  Status save(const std::string& path) const;

  // Admits `publicKey` under `name`, sending as the given publisher ids (empty: as `name` only). Errors: a bad name,
  // key or pattern; an admitted entry with this name or this key.
  Status add(std::string name, std::string publicKey, TimePoint now, std::vector<std::string> publishers = {});
  // Revokes every admitted entry whose name or public key equals `nameOrKey`; returns them. NotFound when none.
  Result<std::vector<AllowListEntry>> revoke(std::string_view nameOrKey, TimePoint now);

  // The admitted entry holding this Z85 key, or nullptr.
  const AllowListEntry* findAdmitted(std::string_view publicKey) const;
  // The last entry (admitted or revoked) holding this key, or nullptr.
  const AllowListEntry* findAny(std::string_view publicKey) const;

  const std::vector<AllowListEntry>& entries() const { return entries_; }

 private:
  std::vector<AllowListEntry> entries_;
};

}  // namespace gt::connectors
