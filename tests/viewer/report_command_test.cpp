// `greentwin report` as a user runs it (report_command.cpp; docs/indicators.md "Report"): the real binary on the
// bundled demo config with its plugins.
//  - Bad arguments exit 2 with a message naming the option, and write nothing: those checked before anything loads
//    (--lang, --time, --map-size, --trend-hours, --replay, --out, --area's form) within seconds; an --area that no
//    entity has, or that is no polygon, once the twin has loaded.
//  - The report at 2026-11-25T09:30:00+08:00 in English (a 1 h trend, small maps drawn headless through EGL): 18
//    rows, at least 10 computed, an HTML page whose every image is a PNG in the folder; and the same for a water
//    DMA (--area water-dmas/dma/000001): named in the report, its own values where a plugin has an area function,
//    the district's figures marked where not.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <osgDB/ReadFile>
#include <sys/wait.h>

#include <chrono>
#include <functional>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "csv_records.hpp"
#include "golden_image.hpp"
#include "run_command.hpp"

namespace gt::viewer {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using nlohmann::json;

constexpr const char* kTime = "2026-11-25T09:30:00+08:00";
constexpr const char* kDma = "water-dmas/dma/000001";

fs::path testDir() { return fs::path(GT_TEST_BINARY_DIR) / "report_command"; }

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct CliRun {
  int exitCode = -1;
  std::string output;  // stdout and stderr
  double seconds = 0;
};

CliRun report(const std::string& arguments) {
  CliRun run;
  const auto start = std::chrono::steady_clock::now();
  const int status = gt::testing::runCommand(std::string(GT_GREENTWIN) + " report " + arguments, run.output);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// A refused report: exit 2, `message` in what it printed, no output folder, no layer loaded (when `early`).
// The folder is the test case's own: ctest runs the cases of this file at the same time.
void expectRefused(const std::string& arguments, const std::string& message, bool early = true) {
  const fs::path out =
      testDir() / (std::string("refused-") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(out);
  const CliRun run = report("--out " + out.string() + " " + arguments);
  EXPECT_EQ(run.exitCode, 2) << arguments << "\n" << run.output;
  EXPECT_THAT(run.output, HasSubstr("greentwin report: " + message)) << arguments;
  EXPECT_FALSE(fs::exists(out)) << arguments << ": a refused report left its folder";
  if (early) {
    EXPECT_THAT(run.output, ::testing::Not(HasSubstr("building the twin"))) << arguments;
    EXPECT_LT(run.seconds, 20.0) << arguments;
  }
}

TEST(ReportCommand, BadArgumentsAreRefusedBeforeLoading) {
  fs::create_directories(testDir());
  expectRefused("--lang fr", "--lang: unknown language 'fr' (zh or en)");
  expectRefused("--time yesterday", "--time: 'yesterday' is not a time");
  expectRefused("--map-size 1200", "--map-size: must be WIDTHxHEIGHT (16..8192 each), got '1200'");
  expectRefused("--map-size 8x8", "--map-size: must be WIDTHxHEIGHT (16..8192 each), got '8x8'");
  expectRefused("--map-size 640x480px", "--map-size: must be WIDTHxHEIGHT (16..8192 each), got '640x480px'");
  expectRefused("--trend-hours -1", "--trend-hours: must be 0..8784");
  expectRefused("--replay /no/such/sweep.gtrec", "--replay: no recording file '/no/such/sweep.gtrec'");
  expectRefused("--area ''", "--area: empty");
  // The form of an entity id is known from the config alone.
  expectRefused("--area no-such-layer/7", "--area: 'no-such-layer/7' is not an entity id of any configured layer");
}

TEST(ReportCommand, ABadScenarioFileIsRefusedBeforeLoading) {
  fs::create_directories(testDir());
  const fs::path bad = testDir() / "bad-scenario.toml";
  std::ofstream(bad) << "version = 1\nname = \"x\"\n[[edit]]\nkind = \"add_pv\"\nbuildings = [\"b\"]\n"
                        "coverage = 0.5\ncoverge = 1\n";
  expectRefused("--scenario " + bad.string(), "--scenario: " + bad.string() +
                                                  ":7: unknown key 'edit[0].coverge' (did you mean 'edit[0].coverage'?)");
  expectRefused("--scenario /no/such/plan.toml",
                "--scenario: scenario file '/no/such/plan.toml' does not exist or is not a regular file");
  expectRefused("--against " + bad.string(), "--against: compares --scenario with another scenario; give --scenario too");
}

// A scenario on the demo (no recording: #9, #17 and #18 have values): a forest parcel and a park at the scene's
// origin; the report's scenario section has the indicators side by side, the baseline's rows unchanged.
TEST(ReportCommand, TheDemoWithAScenarioBesideTheBaseline) {
  fs::create_directories(testDir());
  const fs::path file = testDir() / "scenario.toml";
  std::ofstream(file) << "version = 1\nname = \"A new forest and park\"\n"
                         "[[edit]]\nkind = \"add_parcel\"\nid = \"new/forest\"\nparcel_kind = \"forest\"\n"
                         "polygon = [-500, -500, 500, -500, 500, 500, -500, 500]\n"
                         "[[edit]]\nkind = \"add_parcel\"\nid = \"new/park\"\nparcel_kind = \"park\"\n"
                         "polygon = [600, 0, 800, 0, 800, 200, 600, 200]\n";
  const fs::path dir = testDir() / "scenario";
  fs::remove_all(dir);
  const CliRun run = report("--out " + dir.string() + " --time " + kTime +
                            " --lang en --trend-hours 0 --no-maps --scenario " + file.string());
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const json doc = json::parse(readFile(dir / "indicators.json"));
  const json& s = doc.at("scenario");
  EXPECT_EQ(s.at("name"), "A new forest and park");
  std::map<int, json> rows;
  for (const json& r : s.at("rows")) {
    if (!r.at("number").is_null()) rows[r.at("number").get<int>()] = r;
  }
  for (const int n : {5, 6, 7, 9, 17, 18}) EXPECT_EQ(rows.count(n), 1u) << n;
  EXPECT_TRUE(rows[7].at("unchanged").get<bool>());  // a grid feed: no edit changes it
  EXPECT_FALSE(rows[17].at("unchanged").get<bool>());
  // 1 km2 of new forest land raises #17 (unless all of it is forest already), by at most 1 km2 of the district.
  const double b17 = rows[17].at("baseline").at("value").get<double>();
  const double s17 = rows[17].at("scenario").at("value").get<double>();
  EXPECT_GT(s17, b17);
  EXPECT_LE(s17 - b17, 100.0 * 1.0 / 100.0);  // the demo district is far larger than 100 km2
  EXPECT_GE(rows[18].at("scenario").at("value").get<double>(), rows[18].at("baseline").at("value").get<double>());
  EXPECT_THAT(readFile(dir / "scenario.csv"), HasSubstr("17,forest.coverage,"));
  EXPECT_THAT(readFile(dir / "report.html"), HasSubstr("<h2 id=\"scenario\">Scenario: A new forest and park</h2>"));

  // Two scenarios side by side: the same file against itself differs by nothing, the baseline is not on the page.
  const fs::path twice = testDir() / "scenario-against";
  fs::remove_all(twice);
  const CliRun again = report("--out " + twice.string() + " --time " + kTime + " --lang en --trend-hours 0 --no-maps " +
                              "--scenario " + file.string() + " --against " + file.string());
  ASSERT_EQ(again.exitCode, 0) << again.output;
  const json both = json::parse(readFile(twice / "indicators.json")).at("scenario");
  EXPECT_EQ(both.at("against").at("name"), "A new forest and park");
  for (const json& r : both.at("rows")) {
    if (!r.at("difference").is_null()) {
      EXPECT_EQ(r.at("difference").get<double>(), 0.0) << r.at("kpi");
    }
  }
  EXPECT_THAT(readFile(twice / "report.html"), HasSubstr("<th>A new forest and park</th><th>Scenario</th>"));
}

TEST(ReportCommand, AnOutputPathThatIsAFileIsRefused) {
  fs::create_directories(testDir());
  const fs::path file = testDir() / "a-file";
  std::ofstream(file) << "not a folder";
  const CliRun run = report("--out " + file.string() + " --no-maps");
  EXPECT_EQ(run.exitCode, 2) << run.output;
  EXPECT_THAT(run.output, HasSubstr("greentwin report: --out: '" + file.string() + "' exists and is not a folder"));
  EXPECT_EQ(readFile(file), "not a folder");
}

TEST(ReportCommand, AnAreaThatIsNoPolygonFeatureIsRefusedOnceLoaded) {
  fs::create_directories(testDir());
  expectRefused("--no-maps --trend-hours 0 --area water-dmas/dma/999999",
                "--area: no entity 'water-dmas/dma/999999' to compute indicators for", false);
  expectRefused("--no-maps --trend-hours 0 --area tongzhou-rivers/0",
                "--area: 'tongzhou-rivers/0' is not a polygon feature", false);
}

// A report of the demo at kTime in English, a 1 h trend, 480x400 maps; `area` "" for the district.
struct Written {
  CliRun run;
  fs::path dir;
  json doc;
  std::string csv, html;
};

Written writeReport(const std::string& area) {
  Written w;
  w.dir = testDir() / (area.empty() ? std::string("district") : "area");
  fs::remove_all(w.dir);
  w.run = report("--out " + w.dir.string() + " --time " + kTime + " --lang en --trend-hours 1 --map-size 480x400" +
                 (area.empty() ? "" : " --area " + area));
  w.csv = readFile(w.dir / "indicators.csv");
  w.html = readFile(w.dir / "report.html");
  try {
    w.doc = json::parse(readFile(w.dir / "indicators.json"));
  } catch (const std::exception&) {
    w.doc = nullptr;
  }
  return w;
}

std::set<int> numbersWhere(const json& doc, const std::function<bool(const json&)>& predicate) {
  std::set<int> out;
  for (const json& i : doc.at("indicators")) {
    if (predicate(i)) out.insert(i.at("number").get<int>());
  }
  return out;
}

// indicators.csv: the BOM, the documented header, 18 records of 9 fields, each number once.
void expectCsv(const Written& w) {
  ASSERT_GE(w.csv.size(), 3u);
  EXPECT_EQ(w.csv.substr(0, 3), "\xEF\xBB\xBF");
  const auto records = testing::csvRecords(w.csv.substr(3));
  ASSERT_EQ(records.size(), 19u) << w.csv;
  EXPECT_EQ(records[0], (std::vector<std::string>{"number", "name_zh", "name_en", "value", "unit", "target", "status",
                                                  "source", "method"}));
  std::set<std::string> numbers;
  for (std::size_t r = 1; r < records.size(); ++r) {
    ASSERT_EQ(records[r].size(), 9u) << r;
    numbers.insert(records[r][0]);
  }
  EXPECT_EQ(numbers.size(), 18u);
}

// report.html: every <img src> is a PNG in the folder, not blank; the three evidence maps drawn (EGL) at the size
// asked; no staging folder left.
void expectPageImages(const Written& w) {
  std::set<std::string> sources;
  const std::regex src("<img[^>]*\\ssrc=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(w.html.begin(), w.html.end(), src); it != std::sregex_iterator(); ++it) {
    sources.insert((*it)[1].str());
  }
  EXPECT_GE(sources.size(), 4u);  // charts and maps
  for (const std::string& s : sources) {
    const fs::path file = w.dir / s;
    ASSERT_TRUE(fs::is_regular_file(file)) << s << " is referenced but missing";
    EXPECT_EQ(readFile(file).substr(0, 8), "\x89PNG\r\n\x1a\n") << s;
    osg::ref_ptr<osg::Image> image = osgDB::readImageFile(file.string());
    ASSERT_TRUE(image.valid()) << s;
    EXPECT_GT(gt::testing::luminanceStdDev(*image), 5.0) << s << " is blank";
  }
  for (const char* map : {"images/map_14.png", "images/map_17.png", "images/map_18.png"}) {
    ASSERT_TRUE(sources.count(map)) << map << " not in the page:\n" << w.run.output;
    osg::ref_ptr<osg::Image> image = osgDB::readImageFile((w.dir / map).string());
    ASSERT_TRUE(image.valid());
    EXPECT_EQ(image->s(), 480);
    EXPECT_EQ(image->t(), 400);
  }
  for (const auto& e : fs::directory_iterator(w.dir)) {
    EXPECT_EQ(e.path().filename().string().rfind(".report-partial", 0), std::string::npos) << e.path();
  }
}

// One test, two reports (each builds the demo twin, about 20 s here): the district's, then a water DMA's against it.
TEST(ReportCommand, TheDemoReportedForTheDistrictAndForADma) {
  fs::create_directories(testDir());
  const Written district = writeReport("");
  ASSERT_EQ(district.run.exitCode, 0) << district.run.output;
  EXPECT_THAT(district.run.output, HasSubstr("wrote " + (district.dir / "report.html").string() +
                                             ": 18 indicators (11 computed, 3 with a value), 3 maps, at " + kTime));
  expectCsv(district);
  expectPageImages(district);
  ASSERT_FALSE(district.doc.is_null()) << "indicators.json does not parse";
  EXPECT_EQ(district.doc.at("report").at("time"), kTime);
  EXPECT_EQ(district.doc.at("report").at("language"), "en");
  EXPECT_EQ(district.doc.at("report").at("area").at("id"), "district");
  EXPECT_EQ(district.doc.at("report").at("area").at("name_en"), "Tongzhou district (whole district)");
  EXPECT_EQ(district.doc.at("report").at("trend").at("from"), "2026-11-25T08:30:00+08:00");
  EXPECT_THAT(district.html, HasSubstr("<th>Area</th><td>Tongzhou district (whole district) (district)</td>"));
  EXPECT_THAT(district.html, HasSubstr("<th>Time</th><td>2026-11-25T09:30:00+08:00</td>"));
  ASSERT_EQ(district.doc.at("indicators").size(), 18u);
  // The 11 computed (#5-#7, #9, #10, #13-#18), none of them 'reported'; without a recording only the three
  // computed from the demo's buildings and parcels have a value (docs/indicators.md "Dashboard"), each computed for
  // kTime; every computed one has its trend at 08:30 and 09:30.
  const std::set<int> computed = numbersWhere(district.doc, [](const json& i) { return i.at("computed").get<bool>(); });
  EXPECT_EQ(computed, (std::set<int>{5, 6, 7, 9, 10, 13, 14, 15, 16, 17, 18}));
  for (const json& i : district.doc.at("indicators")) {
    if (!i.at("computed").get<bool>()) continue;
    EXPECT_NE(i.at("source"), "reported") << i.at("number");
    EXPECT_EQ(i.at("trend").size(), 2u) << i.at("number");
    if (!i.at("value").is_null()) {
      EXPECT_EQ(i.at("computed_at"), kTime) << i.at("number");
    }
  }
  const auto valued = [](const json& i) { return i.at("computed").get<bool>() && !i.at("value").is_null(); };
  EXPECT_EQ(numbersWhere(district.doc, valued), (std::set<int>{9, 17, 18}));

  const Written area = writeReport(kDma);
  ASSERT_EQ(area.run.exitCode, 0) << area.run.output;
  expectCsv(area);
  expectPageImages(area);
  ASSERT_FALSE(area.doc.is_null());
  // Named after the DMA (the generated layer's name_en) in the JSON and on the page.
  EXPECT_EQ(area.doc.at("report").at("area").at("id"), kDma);
  EXPECT_EQ(area.doc.at("report").at("area").at("name_en"), "Old Town DMA (synthetic)");
  EXPECT_EQ(area.doc.at("report").at("area").at("name_zh"), "老城计量分区（示意）");
  EXPECT_THAT(area.html, HasSubstr(std::string("<th>Area</th><td>Old Town DMA (synthetic) (") + kDma + ")</td>"));
  // The reported seven and the district-wide feeds (#7, #10) are the district's figures, marked; the others are
  // computed over the DMA by their plugins' area functions, and where they have a value it is the DMA's own.
  const auto marked = [](const json& i) { return i.at("district_figure").get<bool>(); };
  EXPECT_EQ(numbersWhere(area.doc, marked), (std::set<int>{1, 2, 3, 4, 7, 8, 10, 11, 12}));
  EXPECT_EQ(numbersWhere(district.doc, marked), std::set<int>{});
  std::map<int, json> before;
  for (const json& i : district.doc.at("indicators")) before[i.at("number").get<int>()] = i.at("value");
  for (const json& i : area.doc.at("indicators")) {
    const int n = i.at("number").get<int>();
    if (marked(i)) {
      EXPECT_EQ(i.at("value"), before.at(n)) << n << ": a district figure is the district's";
    } else if (n == 9 || n == 17 || n == 18) {
      ASSERT_TRUE(i.at("value").is_number()) << n;
      EXPECT_NE(i.at("value"), before.at(n)) << n << ": the DMA's own value";
      EXPECT_GE(i.at("value").get<double>(), 0.0) << n;
      EXPECT_LE(i.at("value").get<double>(), 100.0) << n;
    }
  }
  // On the page: the seven reported values (the two feeds have none) say they are the district's.
  std::size_t notes = 0;
  for (auto at = area.html.find("the whole district's figure"); at != std::string::npos;
       at = area.html.find("the whole district's figure", at + 1)) {
    ++notes;
  }
  EXPECT_EQ(notes, 7u);
}

}  // namespace
}  // namespace gt::viewer
