// readVectorSource on PostGIS ("PG:..."), against a real server started by the ctest fixture `postgis`
// (postgis_fixture.sh): the same code path as files, so the same features land on the same scene coordinates.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "greentwin/connectors/vector_reader.hpp"

namespace gt::connectors {
namespace {

const std::string kDistrict = GT_TEST_SOURCE_DIR "/assets/demo/tongzhou_district.geojson";
const std::string kCityGpkg = GT_TEST_SOURCE_DIR "/assets/demo/generated/tongzhou_city.gpkg";

// The fixture's connection strings, from the file named by GT_PG_CONN_FILE (set by ctest). Missing = a failure:
// these tests need the server and must not pass without it.
std::map<std::string, std::string> fixtureConnections() {
  std::map<std::string, std::string> out;
  const char* file = std::getenv("GT_PG_CONN_FILE");
  if (file == nullptr) {
    ADD_FAILURE() << "GT_PG_CONN_FILE is not set: run these tests through ctest, which starts the PostGIS "
                     "server (fixture 'postgis', tests/connectors/postgis_fixture.sh)";
    return out;
  }
  std::ifstream in(file);
  if (!in) {
    ADD_FAILURE() << "cannot read " << file << ": the PostGIS fixture (connectors_postgis_fixture_start) did not run "
                  << "or failed";
    return out;
  }
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

const std::string& conn(const std::string& key) {
  static const std::map<std::string, std::string> connections = fixtureConnections();
  static const std::string kNone = "PG:missing-fixture-connection";
  const auto it = connections.find(key);
  if (it == connections.end()) {
    ADD_FAILURE() << key << " missing from the fixture's connection file";
    return kNone;
  }
  return it->second;
}

// "PG:... dbname=x ..." with one keyword's value replaced.
std::string withKeyword(const std::string& source, const std::string& key, const std::string& value) {
  const auto at = source.find(key + "=");
  if (at == std::string::npos) return source + " " + key + "=" + value;
  const auto end = source.find(' ', at);
  return source.substr(0, at) + key + "=" + value + (end == std::string::npos ? "" : source.substr(end));
}

const GeoFrame& frame() {
  static const GeoFrame f = [] {
    auto created = GeoFrame::create(116.72, 39.86);
    EXPECT_TRUE(created.isOk()) << created.status().toString();
    return std::move(created).value();
  }();
  return f;
}

Result<FeatureSet> read(const std::string& source, const std::string& layer, const std::string& idAttribute = "") {
  VectorReadOptions options;
  options.layerName = layer;
  options.idAttribute = idAttribute;
  return readVectorSource(source, frame(), options);
}

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// A TCP listener on 127.0.0.1 that never accepts: the kernel completes the handshake, then nothing answers.
class SilentServer {
 public:
  SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 8) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "cannot open a listening socket on 127.0.0.1";
      return;
    }
    port_ = ntohs(addr.sin_port);
  }
  ~SilentServer() { close(); }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;

  int port() const { return port_; }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(PostgisReader, DistrictHasTheSameAreaAndNameAsTheGeoJsonFile) {
  auto fromFile = readVectorSource(kDistrict, frame(), {});
  ASSERT_TRUE(fromFile.isOk()) << fromFile.status().toString();
  auto fromPostgis = read(conn("GT_PG_CONN"), "tongzhou_district");
  ASSERT_TRUE(fromPostgis.isOk()) << fromPostgis.status().toString();

  EXPECT_EQ(fromPostgis->sourceCrs, "EPSG:4326");
  ASSERT_EQ(fromPostgis->features.size(), 1u);
  const double areaKm2 = featureSetArea(*fromPostgis) / 1e6;
  EXPECT_NEAR(areaKm2, 906.19, 0.01);
  EXPECT_NEAR(areaKm2, featureSetArea(*fromFile) / 1e6, 0.01);
  const auto& properties = fromPostgis->features.front().properties;
  ASSERT_TRUE(properties.contains("name"));
  EXPECT_EQ(std::get<std::string>(properties.at("name")), "通州区");
  // Same frame, same place: the bounds agree to the millimetre.
  EXPECT_NEAR(fromPostgis->bounds.min.x, fromFile->bounds.min.x, 1e-3);
  EXPECT_NEAR(fromPostgis->bounds.max.y, fromFile->bounds.max.y, 1e-3);
}

TEST(PostgisReader, BuildingsInTheSceneCrsLandOnTheGeoPackageCoordinates) {
  auto fromPostgis = read(conn("GT_PG_CONN"), "buildings", "id");
  ASSERT_TRUE(fromPostgis.isOk()) << fromPostgis.status().toString();
  auto fromGpkg = read(kCityGpkg, "buildings", "id");
  ASSERT_TRUE(fromGpkg.isOk()) << fromGpkg.status().toString();

  EXPECT_EQ(fromPostgis->sourceCrs, "EPSG:4548");
  ASSERT_EQ(fromPostgis->features.size(), 500u);
  EXPECT_TRUE(fromPostgis->warnings.empty());
  std::map<std::string, const Feature*> byId;
  for (const Feature& f : fromGpkg->features) byId[f.id] = &f;

  std::size_t vertices = 0;
  for (const Feature& pg : fromPostgis->features) {
    SCOPED_TRACE(pg.id);
    const auto it = byId.find(pg.id);
    ASSERT_NE(it, byId.end()) << "building " << pg.id << " is not in the GeoPackage";
    const Feature& gp = *it->second;
    EXPECT_EQ(pg.properties, gp.properties);
    ASSERT_EQ(pg.geometry.polygons.size(), gp.geometry.polygons.size());
    for (std::size_t p = 0; p < pg.geometry.polygons.size(); ++p) {
      const auto& a = pg.geometry.polygons[p].rings;
      const auto& b = gp.geometry.polygons[p].rings;
      ASSERT_EQ(a.size(), b.size());
      for (std::size_t r = 0; r < a.size(); ++r) {
        ASSERT_EQ(a[r].size(), b[r].size());
        for (std::size_t i = 0; i < a[r].size(); ++i, ++vertices) {
          ASSERT_NEAR(a[r][i].x, b[r][i].x, 1e-6);
          ASSERT_NEAR(a[r][i].y, b[r][i].y, 1e-6);
        }
      }
    }
  }
  EXPECT_GE(vertices, 500u * 4);
  // Local coordinates: near the origin (116.72 E, 39.86 N), inside the district's ~30 km.
  EXPECT_LT(std::abs(fromPostgis->bounds.center().x), 30000.0);
  EXPECT_LT(std::abs(fromPostgis->bounds.center().y), 30000.0);
}

// The value of `key` in a "PG:k=v k=v" connection string.
std::string keywordValue(const std::string& source, const std::string& key) {
  const auto at = source.find(key + "=");
  if (at == std::string::npos) return {};
  const auto begin = at + key.size() + 1;
  return source.substr(begin, source.find(' ', begin) - begin);
}

TEST(PostgisReader, OverTcpWithAPasswordTheSecretStaysOutOfSourceAndErrors) {
  const std::string& tcp = conn("GT_PG_TCP_CONN");
  const std::string password = keywordValue(tcp, "password");
  ASSERT_GE(password.size(), 16u);
  auto set = read(tcp, "buildings", "id");
  ASSERT_TRUE(set.isOk()) << set.status().toString();
  EXPECT_EQ(set->features.size(), 500u);
  EXPECT_EQ(set->source.find(password), std::string::npos) << set->source;
  EXPECT_NE(set->source.find("port=" + keywordValue(tcp, "port")), std::string::npos) << set->source;

  auto wrong = read(withKeyword(tcp, "dbname", "greentwin_no_such_db"), "buildings");
  ASSERT_FALSE(wrong.isOk());
  EXPECT_EQ(wrong.status().message().find(password), std::string::npos) << wrong.status().message();
  EXPECT_NE(wrong.status().message().find("greentwin_no_such_db"), std::string::npos) << wrong.status().message();
}

TEST(PostgisReader, AWrongTableIsNotFoundNamingIt) {
  auto set = read(conn("GT_PG_CONN"), "no_such_buildings");
  ASSERT_FALSE(set.isOk());
  EXPECT_EQ(set.status().code(), ErrorCode::NotFound);
  EXPECT_NE(set.status().message().find("no_such_buildings"), std::string::npos) << set.status().message();
}

TEST(PostgisReader, AWrongDatabaseIsAClearErrorNamingTheConnection) {
  const std::string source = withKeyword(conn("GT_PG_CONN"), "dbname", "greentwin_no_such_db");
  const auto start = std::chrono::steady_clock::now();
  auto set = read(source, "buildings");
  EXPECT_LT(seconds(start), 5.0);
  ASSERT_FALSE(set.isOk());
  const std::string message = set.status().message();
  EXPECT_NE(message.find("greentwin_no_such_db"), std::string::npos) << message;
  EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
}

TEST(PostgisReader, AWrongPortIsAClearErrorNotAHang) {
  SilentServer probe;  // a port that was free a moment ago: nothing listens once it is closed
  const int port = probe.port();
  probe.close();
  const std::string source =
      withKeyword(withKeyword(conn("GT_PG_TCP_CONN"), "port", std::to_string(port)), "host", "127.0.0.1");
  const auto start = std::chrono::steady_clock::now();
  auto set = read(source, "buildings");
  EXPECT_LT(seconds(start), 5.0);
  ASSERT_FALSE(set.isOk());
  const std::string message = set.status().message();
  EXPECT_NE(message.find("port=" + std::to_string(port)), std::string::npos) << message;
  EXPECT_NE(message.find("refused"), std::string::npos) << message;
}

TEST(PostgisReader, AServerThatNeverAnswersTimesOutAfterConnectTimeout) {
  SilentServer silent;
  const std::string source = "PG:host=127.0.0.1 port=" + std::to_string(silent.port()) +
                             " dbname=greentwin_test user=postgres connect_timeout=2";
  const auto start = std::chrono::steady_clock::now();
  auto set = read(source, "buildings");
  const double elapsed = seconds(start);
  ASSERT_FALSE(set.isOk());
  EXPECT_GE(elapsed, 1.5);
  EXPECT_LT(elapsed, 8.0);
  EXPECT_NE(set.status().message().find("timeout"), std::string::npos) << set.status().message();
}

}  // namespace
}  // namespace gt::connectors
