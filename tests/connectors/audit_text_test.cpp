// audit_text.hpp: a peer's value made safe for one audit line.
#include "greentwin/connectors/audit_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gt::connectors {
namespace {

TEST(AuditText, PrintableValuesStayAsTheyAre) {
  EXPECT_EQ(auditValue("greentwin-sim-air"), "greentwin-sim-air");
  EXPECT_EQ(auditValue("plugin:energy/derive_1"), "plugin:energy/derive_1");
  EXPECT_EQ(auditValue(""), "");
}

TEST(AuditText, ControlBytesSpacesQuotesAndBackslashesAreEscaped) {
  EXPECT_EQ(auditValue("a\nb"), "a\\x0ab");
  EXPECT_EQ(auditValue("a b=c"), "a\\x20b=c");
  EXPECT_EQ(auditValue("say \"hi\""), "say\\x20\\\"hi\\\"");
  EXPECT_EQ(auditValue("back\\slash"), "back\\\\slash");
  EXPECT_EQ(auditValue(std::string("nul\0x", 5)), "nul\\x00x");
  EXPECT_EQ(auditValue("\x7f\xff"), "\\x7f\\xff");
  EXPECT_EQ(auditValue("\xe9\x80\x9a"), "\\xe9\\x80\\x9a");  // UTF-8 as its bytes
}

TEST(AuditText, LongValuesAreCutWithHowMuchWasLeftOut) {
  const std::string id(100, 'x');
  EXPECT_EQ(auditValue(id), std::string(64, 'x') + "...(+36 bytes)");
  EXPECT_EQ(auditValue(id, 10), std::string(10, 'x') + "...(+90 bytes)");
  EXPECT_EQ(auditValue(std::string(64, 'y')), std::string(64, 'y'));
}

}  // namespace
}  // namespace gt::connectors
