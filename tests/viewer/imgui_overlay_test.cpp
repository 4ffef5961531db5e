#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/viewer/imgui_overlay.hpp"

#include <gtest/gtest.h>
#include <imgui.h>

#include "greentwin/core/config.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::viewer {
namespace {

// The font atlas is built on the CPU at construction, so glyph coverage is testable without any GL context.
TEST(ImGuiOverlay, FindsACjkFontFromTheBundledList) {
  osg::ref_ptr<ImGuiOverlay> overlay = new ImGuiOverlay(defaultFontSpec(runtime::assetsDirectory()), {});
  ASSERT_TRUE(overlay->fontStatus().isOk()) << overlay->fontStatus().message();
  EXPECT_FALSE(overlay->fontPath().empty());
}

TEST(ImGuiOverlay, EveryUiStringAndDemoPlaceNameHasAGlyph) {
  auto config = runtime::loadConfig(runtime::demoConfigPath());
  ASSERT_TRUE(config) << config.status().message();
  auto twin = runtime::Twin::create(*config);
  ASSERT_TRUE(twin) << twin.status().message();
  osg::ref_ptr<ImGuiOverlay> overlay = new ImGuiOverlay(defaultFontSpec(runtime::assetsDirectory()), {});
  UiState state;
  CommandQueue commands;
  Ui ui(**twin, state, commands, nullptr, nullptr);
  for (const std::string& s : ui.newDataStrings()) overlay->requireGlyphs(s);
  ASSERT_TRUE(overlay->fontStatus().isOk());
  std::vector<char32_t> missing;
  for (char32_t c : overlay->glyphs().codePoints()) {
    if (!overlay->hasGlyph(c)) missing.push_back(c);
  }
  EXPECT_TRUE(missing.empty()) << missing.size() << " code points have no glyph, first U+" << std::hex
                               << static_cast<unsigned>(missing.empty() ? 0 : missing.front());
  // The characters that ImGui's common Chinese range lacks.
  EXPECT_TRUE(overlay->hasGlyph(U'孪'));
  EXPECT_TRUE(overlay->hasGlyph(U'潞'));
  EXPECT_TRUE(overlay->hasGlyph(U'通'));
}

TEST(ImGuiOverlay, MissingFontIsAnErrorNotACrash) {
  FontSpec spec;
  spec.candidates = {"/nonexistent/font.ttf"};
  osg::ref_ptr<ImGuiOverlay> overlay = new ImGuiOverlay(spec, {});
  EXPECT_FALSE(overlay->fontStatus().isOk());
  EXPECT_NE(overlay->fontStatus().message().find("no CJK font"), std::string::npos);
  EXPECT_TRUE(overlay->hasGlyph(U'A'));  // ImGui's built-in Latin font still draws
  EXPECT_FALSE(overlay->hasGlyph(U'通'));
}

// Large type (the wall view): fonts of their own size after the interface's, each with only the glyphs asked for
// (and a space and '?'); another list replaces them.
TEST(ImGuiOverlay, SizedFontsHoldOnlyTheirGlyphs) {
  osg::ref_ptr<ImGuiOverlay> overlay = new ImGuiOverlay(defaultFontSpec(runtime::assetsDirectory()), {});
  ASSERT_TRUE(overlay->fontStatus().isOk());
  overlay->requireSizedFonts({{55, "规模7"}, {23, "绿色"}});
  EXPECT_TRUE(overlay->hasGlyph(U'A'));  // builds the atlas
  ImGuiContext* previous = ImGui::GetCurrentContext();
  ImGui::SetCurrentContext(overlay->context());
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  ASSERT_EQ(atlas->Fonts.Size, 3);
  EXPECT_EQ(atlas->Fonts[0]->FontSize, 17);  // the interface's font first: ImGui's default
  EXPECT_EQ(atlas->Fonts[1]->FontSize, 55);
  EXPECT_EQ(atlas->Fonts[2]->FontSize, 23);
  EXPECT_NE(atlas->Fonts[1]->FindGlyphNoFallback(U'规'), nullptr);
  EXPECT_NE(atlas->Fonts[1]->FindGlyphNoFallback(U'7'), nullptr);
  EXPECT_NE(atlas->Fonts[1]->FindGlyphNoFallback(U'?'), nullptr);
  EXPECT_EQ(atlas->Fonts[1]->FindGlyphNoFallback(U'8'), nullptr);  // not asked for
  EXPECT_EQ(atlas->Fonts[1]->FindGlyphNoFallback(U'绿'), nullptr);  // the other font's
  EXPECT_EQ(atlas->Fonts[1]->FindGlyphNoFallback(U'孪'), nullptr);  // the interface's only
  ImGui::SetCurrentContext(previous);

  overlay->requireSizedFonts({{107, "规"}});
  EXPECT_TRUE(overlay->hasGlyph(U'A'));
  ImGui::SetCurrentContext(overlay->context());
  ASSERT_EQ(ImGui::GetIO().Fonts->Fonts.Size, 2);
  EXPECT_EQ(ImGui::GetIO().Fonts->Fonts[1]->FontSize, 107);
  ImGui::SetCurrentContext(previous);
}

}  // namespace
}  // namespace gt::viewer
