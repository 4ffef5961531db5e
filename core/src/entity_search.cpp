#include "greentwin/core/entity_search.hpp"

#include <algorithm>
#include <optional>

namespace gt {
namespace {

char foldAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string folded(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = foldAscii(c);
  return out;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Where `needle` (already folded) occurs in `haystack` folding ASCII case; npos when it does not. Folding per byte is
// safe in UTF-8: bytes of multi-byte characters are never ASCII letters.
std::size_t findFolded(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return std::string_view::npos;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size() && foldAscii(haystack[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

bool equalFolded(std::string_view a, std::string_view needle) {
  return a.size() == needle.size() && findFolded(a, needle) == 0;
}

// The rank of `text` as a name (or id, when isId) for the folded query; nullopt when it does not contain it.
std::optional<int> rankOf(std::string_view text, std::string_view needle, bool isId) {
  const std::size_t at = findFolded(text, needle);
  if (at == std::string_view::npos) return std::nullopt;
  if (equalFolded(text, needle)) return 0;
  // The id's trailing segments equal to the query are as good as an exact name ("b-000123" or "building/b-000123"
  // for "city/building/b-000123").
  if (isId && text.size() > needle.size() && text[text.size() - needle.size() - 1] == '/' &&
      equalFolded(text.substr(text.size() - needle.size()), needle)) {
    return 0;
  }
  const bool atStart = at == 0 || (isId && text[at - 1] == '/') || (!isId && text[at - 1] == ' ');
  if (atStart) return 1;
  return isId ? 3 : 2;
}

}  // namespace

bool isNameKey(std::string_view key) {
  if (key == "名称" || key == "名字" || key == "标题") return true;
  return findFolded(key, "name") != std::string_view::npos;
}

std::vector<EntitySearchHit> searchEntities(const EntityStore& store, std::string_view query,
                                            const EntitySearchOptions& options) {
  std::vector<EntitySearchHit> hits;
  const std::string needle = folded(trimmed(query));
  if (needle.size() < std::max<std::size_t>(options.minQueryBytes, 1) || options.maxHits == 0) return hits;
  struct Candidate {
    int rank;
    std::size_t length;
    EntityIndex entity;
    std::string_view label;
    std::string_view key;
  };
  std::vector<Candidate> found;
  for (EntityIndex e = 0; e < store.size(); ++e) {
    const Entity* entity = store.get(e);
    if (entity == nullptr) continue;
    std::optional<Candidate> best;
    const auto consider = [&best, e](int rank, std::string_view text, std::string_view label, std::string_view key) {
      if (!best || rank < best->rank || (rank == best->rank && text.size() < best->length)) {
        best = Candidate{rank, text.size(), e, label, key};
      }
    };
    std::string_view firstName;
    for (const auto& [key, value] : entity->properties) {
      const auto* text = std::get_if<std::string>(&value);
      if (text == nullptr || text->empty()) continue;
      const bool name = isNameKey(key);
      if (name && firstName.empty()) firstName = *text;
      if (const auto rank = rankOf(*text, needle, false)) {
        consider(name ? *rank : 4, *text, *text, key);
      }
    }
    if (const auto rank = rankOf(entity->id, needle, true)) {
      consider(*rank, entity->id, firstName.empty() ? std::string_view(entity->id) : firstName, {});
    }
    if (best) found.push_back(*best);
  }
  std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.length != b.length) return a.length < b.length;
    return a.entity < b.entity;
  });
  if (found.size() > options.maxHits) found.resize(options.maxHits);
  hits.reserve(found.size());
  for (const Candidate& c : found) {
    hits.push_back(EntitySearchHit{c.entity, store.get(c.entity)->id, std::string(c.label), std::string(c.key), c.rank});
  }
  return hits;
}

}  // namespace gt
