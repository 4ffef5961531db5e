// libFuzzer target for the twin's allow-list of publisher keys (connectors/allow_list.hpp, docs/security.md): the
// TOML file `greentwin keys allow|revoke` edits and a running twin re-reads when it changes, which an operator may
// edit by hand or damage.
//
// Besides "no crash, no out-of-bounds read, no exception", it checks:
// - a refused file says why, naming the file;
// - an accepted list written back (toText, what `greentwin keys` saves) reads again to the same entries, and
//   writing that gives the same text (the round trip is stable);
// - every admitted entry is found by its key, and each entry's grants answer for its own patterns.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "greentwin/connectors/allow_list.hpp"

namespace {

using gt::connectors::AllowList;
using gt::connectors::AllowListEntry;

// A pattern's own text matches it ("air/*" matches "air/", "air/x" matches "air/x").
std::string matchingId(const std::string& pattern) {
  return !pattern.empty() && pattern.back() == '*' ? pattern.substr(0, pattern.size() - 1) : pattern;
}

void checkGrants(const AllowList& list) {
  for (const AllowListEntry& e : list.entries()) {
    if (e.admitted() && list.findAdmitted(e.publicKey) == nullptr) std::abort();
    if (list.findAny(e.publicKey) == nullptr) std::abort();
    if (e.publishers.empty() && !e.mayPublishAs(e.name)) std::abort();
    for (const std::string& p : e.publishers) {
      if (!e.mayPublishAs(matchingId(p))) std::abort();
    }
    for (const std::string& p : e.entities) {
      if (!e.mayWrite(matchingId(p))) std::abort();
    }
    if (e.writesAnyEntity() && !e.mayWrite("any/entity")) std::abort();
  }
}

bool sameEntries(const AllowList& a, const AllowList& b) {
  if (a.entries().size() != b.entries().size()) return false;
  for (std::size_t i = 0; i < a.entries().size(); ++i) {
    const AllowListEntry& x = a.entries()[i];
    const AllowListEntry& y = b.entries()[i];
    if (x.name != y.name || x.publicKey != y.publicKey || x.publishers != y.publishers || x.entities != y.entities ||
        x.maxInterval != y.maxInterval ||
        x.proxy != y.proxy || x.admitted() != y.admitted()) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;  // an allow-list of hundreds of keys is a few tens of kB
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto list = AllowList::parse(text, "fuzz-allow.toml");
  if (!list) {
    if (list.status().message().find("fuzz-allow.toml") == std::string::npos) std::abort();
    return 0;
  }
  checkGrants(*list);
  const std::string written = list->toText();
  const auto again = AllowList::parse(written, "written.toml");
  if (!again || !sameEntries(*list, *again) || again->toText() != written) std::abort();
  return 0;
}
