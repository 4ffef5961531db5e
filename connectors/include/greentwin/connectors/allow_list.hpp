#pragma once
// The twin's allow-list of publisher public keys (docs/security.md): which CURVE publishers a source admits.
// A TOML file of [[publisher]] entries, edited with `greentwin keys allow|revoke|list` and re-read by the running
// twin (ZapAuthenticator) when it changes:
//
//   [[publisher]]
//   name = "aq-station-feed"
//   public = "<40-char Z85>"
//   publishers = ["aq-stations", "aq-mobile-*"]   # optional: the envelope publisher ids this key may send as
//   entities = ["air/station/*"]                  # optional: the entity ids this key may write (default: any)
//   max_interval_s = 60                           # optional: the longest send interval it may declare
//   max_backfill_s = 3600                         # optional: how far before now its updates may lie
//   proxy = true                                  # optional: a feed proxy (greentwin-feed proxy), see below
//   added = "2026-11-26T10:00:00Z"
//   revoked = "2026-11-26T11:00:00Z"   # only once revoked
//
// Binding keys to publisher ids: a message is applied only when its envelope's publisher id is one this key may use
// (mayPublishAs), so a listed publisher cannot claim another's id (its sequence numbers, its health, its data).
// `publishers` holds exact ids, or prefixes written with a trailing '*'; an entry without it may send only as the
// publisher id equal to its name.
//
// Granting entities: an update is applied only when this key may write its entity (mayWrite): `entities` holds
// exact entity ids or prefixes with a trailing '*' (the same matching as `publishers`); an entry without it may
// write any entity (so allow-lists written before entity grants keep working). `max_interval_s` caps the send
// interval the key's messages may declare (how long its values read LIVE), below the source's own cap.
// `max_backfill_s` bounds the grant in time: updates stamped earlier than the twin's clock minus it are dropped like
// ungranted ones, so that a key cannot fill its entities' past long after the fact.
//
// A proxy entry (`proxy = true`) is the key of a `greentwin-feed proxy` that fans several publishers into the twin.
// Its messages carry a fourth frame, the CURVE key the proxy admitted the publisher with; the twin applies that
// key's own entry of this list (publishers, entities, max_interval_s, rate bucket) and ignores the proxy entry's
// grants. Only an entry marked so may attest another key (docs/security.md "Fan-in through a proxy").
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
  std::vector<std::string> entities;    // entity-id patterns it may write; empty: any entity
  Duration maxInterval = 0;             // max_interval_s as µs: the declared-interval cap of its messages; 0: none
  bool proxy = false;                   // a feed proxy: its messages attest the publisher's key (4th frame)
  Duration maxBackfill = 0;             // max_backfill_s as µs: how far before now its updates may lie; 0: any time
  bool admitted() const { return !revoked.has_value(); }
  bool mayPublishAs(std::string_view publisherId) const;
  // True when `entities` is empty or holds "*": mayWrite is then true for every entity.
  bool writesAnyEntity() const;
  bool mayWrite(std::string_view entityId) const;
};

// The longest max_interval_s an entry may give (a week, as the protocol's interval_s).
inline constexpr Duration kMaxEntryInterval = 604800 * kMicrosPerSecond;

// The longest max_backfill_s an entry may give (a year of 366 days).
inline constexpr Duration kMaxEntryBackfill = 366LL * 86400 * kMicrosPerSecond;

// An id pattern of an allow-list entry (publishers, entities): exact, or a prefix with a trailing '*' ("*": any).
bool matchesIdPattern(std::string_view pattern, std::string_view id);

// A publisher-id pattern of an allow-list entry: 1 to 128 printable ASCII characters without quotes, backslashes or
// spaces; '*' only as the last character (a prefix). The error names the pattern.
Status validatePublisherPattern(std::string_view pattern);
// An entity-id pattern of an allow-list entry (`entities`): 1 to 256 bytes without control characters, quotes or
// backslashes (entity ids may hold spaces and UTF-8); '*' only as the last character. The error names the pattern.
Status validateEntityPattern(std::string_view pattern);

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
  // The same for a whole entry (its publishers, entities and maxInterval checked too); `revoked` must be empty.
  Status add(AllowListEntry entry);
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
