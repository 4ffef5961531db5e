// Pieces of the importer (greentwin_bim_importer) on small hand-written inputs: the STEP text reader, the IFC
// semantics (units, materials, quantities, type property sets), the emission factor table and the carbon rules.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../../bim_importer/src/carbon.hpp"
#include "../../bim_importer/src/ifc_semantics.hpp"
#include "../../bim_importer/src/step_file.hpp"

namespace fs = std::filesystem;
using namespace gt::bim;

namespace {

std::string ifc(const std::string& schema, const std::string& data) {
  return "ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('x'),'2;1');\nFILE_SCHEMA(('" + schema + "'));\nENDSEC;\nDATA;\n" +
         data + "ENDSEC;\nEND-ISO-10303-21;\n";
}

// A tiny IFC4 model in millimetres: a storey with a wall (layered material, quantities, a type with a property
// set) and a window assembled from a plate.
const std::string kModel = ifc("IFC4", R"(#1=IFCPROJECT('0000000000000000000001',$,'Demo \X2\4E2D5FC3\X0\',$,$,$,$,$,#10);
#10=IFCUNITASSIGNMENT((#11,#12));
#11=IFCSIUNIT(*,.LENGTHUNIT.,.MILLI.,.METRE.);
#12=IFCSIUNIT(*,.VOLUMEUNIT.,$,.CUBIC_METRE.);
#2=IFCSITE('0000000000000000000002',$,'Site',$,$,$,$,$,.ELEMENT.,(39,54,36,500000),(116,39,25),21000.,$,$);
#3=IFCBUILDING('0000000000000000000003',$,'B',$,$,$,$,$,.ELEMENT.,$,$,$);
#4=IFCBUILDINGSTOREY('0000000000000000000004',$,'Ground',$,$,$,$,$,.ELEMENT.,3000.);
#5=IFCRELAGGREGATES('r1',$,$,$,#1,(#2));
#6=IFCRELAGGREGATES('r2',$,$,$,#2,(#3));
#7=IFCRELAGGREGATES('r3',$,$,$,#3,(#4));
#20=IFCWALL('0000000000000000000020',$,'It''s a wall',$,$,$,$,'T-1',.SOLIDWALL.);
#21=IFCWINDOW('0000000000000000000021',$,'Win',$,$,$,$,$,1500.,1000.,.WINDOW.,$,$);
#22=IFCPLATE('0000000000000000000022',$,'Pane',$,$,$,$,$,$);
#23=IFCRELAGGREGATES('r4',$,$,$,#21,(#22));
#24=IFCRELCONTAINEDINSPATIALSTRUCTURE('r5',$,$,$,(#20,#21),#4);
#30=IFCMATERIAL('Stahlbeton',$,$);
#31=IFCMATERIAL('Daemmung XPS',$,$);
#32=IFCMATERIALLAYER(#30,200.,$,$,$,$,$);
#33=IFCMATERIALLAYER(#31,100.,$,$,$,$,$);
#34=IFCMATERIALLAYERSET((#32,#33),'W300',$);
#35=IFCMATERIALLAYERSETUSAGE(#34,.AXIS2.,.POSITIVE.,0.,$);
#36=IFCRELASSOCIATESMATERIAL('r6',$,$,$,(#20),#35);
#40=IFCQUANTITYVOLUME('NetVolume',$,$,3.,$);
#41=IFCQUANTITYAREA('NetSideArea',$,$,10.,$);
#42=IFCELEMENTQUANTITY('q',$,'Qto_WallBaseQuantities',$,$,(#40,#41));
#43=IFCRELDEFINESBYPROPERTIES('r7',$,$,$,(#20),#42);
#50=IFCPROPERTYSINGLEVALUE('IsExternal',$,IFCBOOLEAN(.T.),$);
#51=IFCPROPERTYSINGLEVALUE('Width',$,IFCLENGTHMEASURE(300.),$);
#52=IFCPROPERTYSET('p',$,'Pset_WallCommon',$,(#50,#51));
#53=IFCWALLTYPE('t',$,'Typical wall',$,$,(#52),$,$,$,.STANDARD.);
#54=IFCRELDEFINESBYTYPE('r8',$,$,$,(#20),#53);
#60=IFCDIRECTION((-0.5,0.8660254037844386));
#61=IFCGEOMETRICREPRESENTATIONCONTEXT($,'Model',3,1.E-05,$,#60);
)");

const fs::path kFactors = fs::path(GT_TEST_SOURCE_DIR) / "assets/bim/emission_factors.toml";

}  // namespace

TEST(StepFile, DecodesStringsAndIndexesInstances) {
  EXPECT_EQ(decodeStepString("It''s"), "It's");
  EXPECT_EQ(decodeStepString("Gel\\S\\dnde"), "Gel\xC3\xA4nde");
  EXPECT_EQ(decodeStepString("\\X2\\4E2D5FC3\\X0\\"), "\xE4\xB8\xAD\xE5\xBF\x83");
  EXPECT_EQ(decodeStepString("a\\X\\E9b"), "a\xC3\xA9" "b");
  EXPECT_EQ(decodeStepString("\\X4\\0001F600\\X0\\"), "\xF0\x9F\x98\x80");

  auto file = StepFile::parse(kModel, "model.ifc");
  ASSERT_TRUE(file) << file.status().toString();
  EXPECT_EQ(file->schema(), "IFC4");
  EXPECT_EQ(file->ofType("IFCRELAGGREGATES").size(), 4u);
  EXPECT_FALSE(file->truncated());
  const auto args = file->args(20);
  EXPECT_EQ(argString(args, 2), "It's a wall");
  EXPECT_EQ(argEnum(args, 8), "SOLIDWALL");
  EXPECT_EQ(valueText(file->args(50)[2]), "true");
}

TEST(StepFile, RefusesWhatIsNotStepAndSurvivesDamage) {
  EXPECT_EQ(StepFile::parse("hello", "a.ifc").status().code(), gt::ErrorCode::ParseError);
  EXPECT_EQ(StepFile::parse(ifc("AP214", "#1=X();\n"), "a.ifc").status().code(), gt::ErrorCode::Unsupported);
  EXPECT_EQ(StepFile::parse(ifc("IFC2X3", ""), "a.ifc").status().code(), gt::ErrorCode::ParseError);
  // Broken instances are skipped and counted; an unterminated string or deep nesting does not crash.
  auto damaged = StepFile::parse(ifc("IFC2X3", "#1=IFCWALL('a',$);\n#2 IFCWALL();\n#3=IFCX(" + std::string(10000, '(') +
                                                   ");\n#4=IFCY('unterminated);\n"),
                                 "d.ifc");
  ASSERT_TRUE(damaged);
  EXPECT_EQ(damaged->instanceCount(), 2u);  // #1 and #3 (its arguments are refused on parsing)
  EXPECT_GE(damaged->malformedCount(), 1u);
  EXPECT_TRUE(damaged->args(3).empty());
  // Cut short: flagged.
  const std::string whole = ifc("IFC4", "#1=IFCWALL('a',$);\n#2=IFCWALL('b',$);\n");
  auto cut = StepFile::parse(whole.substr(0, whole.find("#2") + 6), "c.ifc");
  ASSERT_TRUE(cut);
  EXPECT_TRUE(cut->truncated());
}

TEST(IfcSemantics, UnitsTreeMaterialsQuantitiesAndGeoreference) {
  auto file = StepFile::parse(kModel, "model.ifc");
  ASSERT_TRUE(file);
  const IfcSemantics s = readIfcSemantics(*file);
  EXPECT_DOUBLE_EQ(s.units.lengthToMetre, 0.001);
  EXPECT_EQ(s.model.name, "Demo \xE4\xB8\xAD\xE5\xBF\x83");
  const auto storeys = s.model.storeys();
  ASSERT_EQ(storeys.size(), 1u);
  EXPECT_DOUBLE_EQ(*s.model.spatialNodes[storeys[0]].elevationM, 3.0);  // 3000 mm
  ASSERT_EQ(s.model.elements.size(), 3u);  // wall, window, and the window's plate
  const BimElement* wall = s.model.findElement("0000000000000000000020");
  ASSERT_NE(wall, nullptr);
  EXPECT_EQ(wall->storeyGuid, "0000000000000000000004");
  EXPECT_EQ(wall->buildingGuid, "0000000000000000000003");
  EXPECT_EQ(wall->material, "Stahlbeton");  // the thickest layer
  EXPECT_EQ(wall->materials, (std::vector<std::string>{"Stahlbeton", "Daemmung XPS"}));
  ASSERT_TRUE(wall->volumeM3);
  EXPECT_DOUBLE_EQ(*wall->volumeM3, 3.0);
  EXPECT_EQ(wall->volumeSource, "quantity");
  EXPECT_DOUBLE_EQ(*wall->areaM2, 10.0 * 1e-6);  // NetSideArea in mm2 (no AREAUNIT: length squared)
  // Type property set, with the length measure in metres.
  const BimProperty* width = wall->find("Pset_WallCommon", "Width");
  ASSERT_NE(width, nullptr);
  EXPECT_DOUBLE_EQ(*width->number, 0.3);
  EXPECT_EQ(wall->find("Pset_WallCommon", "IsExternal")->text, "true");
  EXPECT_EQ(wall->find("Type", "Name")->text, "Typical wall");
  EXPECT_EQ(wall->find("Attributes", "Tag")->text, "T-1");
  // Window area from OverallHeight x OverallWidth (mm).
  const BimElement* window = s.model.findElement("0000000000000000000021");
  ASSERT_NE(window, nullptr);
  EXPECT_DOUBLE_EQ(*window->areaM2, 1.5);
  const std::size_t windowIndex = static_cast<std::size_t>(window - s.model.elements.data());
  EXPECT_TRUE(s.isAssembly[windowIndex]);
  // Georeference: compound angles with millionths, elevation in mm, TrueNorth 30 deg counter-clockwise.
  ASSERT_TRUE(s.model.georeference.siteLatitude);
  EXPECT_NEAR(*s.model.georeference.siteLatitude, 39 + 54 / 60.0 + 36.5 / 3600.0, 1e-12);
  EXPECT_NEAR(*s.model.georeference.siteLongitude, 116 + 39 / 60.0 + 25 / 3600.0, 1e-12);
  EXPECT_DOUBLE_EQ(*s.model.georeference.siteElevation, 21.0);
  EXPECT_NEAR(s.model.georeference.trueNorthDeg, 30.0, 1e-9);
}

TEST(Carbon, FactorsMatchFirstInFileOrderAndUnknownsAreReported) {
  auto table = loadEmissionFactors(kFactors);
  ASSERT_TRUE(table) << table.status().toString();
  // "Stahlbeton" contains "beton" and "stahl": the reinforced-concrete entry comes first.
  ASSERT_NE(table->byMaterial("Stahlbeton C30/37"), nullptr);
  EXPECT_EQ(table->byMaterial("Stahlbeton C30/37")->id, "concrete_reinforced");
  EXPECT_EQ(table->byMaterial("LEICHTBETON")->id, "aerated_concrete_block");
  EXPECT_EQ(table->byMaterial("Baustahl S235")->id, "steel_section");
  EXPECT_EQ(table->byMaterial("Solid"), nullptr);

  auto file = StepFile::parse(kModel, "model.ifc");
  ASSERT_TRUE(file);
  IfcSemantics s = readIfcSemantics(*file);
  computeCarbon(s.model, s.materialShares, s.isAssembly, *table);
  const BimElement* wall = s.model.findElement("0000000000000000000020");
  // 3 m3: 2/3 reinforced concrete (530/m3); the XPS layer has no factor - left out and reported, not guessed.
  EXPECT_EQ(wall->carbon.status, CarbonStatus::Ok);
  EXPECT_EQ(wall->carbon.factorId, "concrete_reinforced");
  EXPECT_NEAR(wall->carbon.kgCo2e, 3.0 * (2.0 / 3.0) * 530.0, 1e-9);
  EXPECT_NE(std::find(s.model.unknownMaterials.begin(), s.model.unknownMaterials.end(), "Daemmung XPS (IFCWALL)"),
            s.model.unknownMaterials.end());
  EXPECT_EQ(s.model.findElement("0000000000000000000021")->carbon.status, CarbonStatus::CountedInParts);
  // The plate has no material and no volume: matched by type (glass per kg), but nothing to multiply.
  EXPECT_EQ(s.model.findElement("0000000000000000000022")->carbon.status, CarbonStatus::NoQuantity);
  ASSERT_EQ(s.model.carbonByBuilding.size(), 1u);
  EXPECT_NEAR(s.model.carbonByBuilding[0].kgCo2e, wall->carbon.kgCo2e, 1e-9);
  EXPECT_NEAR(s.model.carbonTotalKgCo2e, wall->carbon.kgCo2e, 1e-9);
}

TEST(Carbon, BadTablesAreRefusedWithTheEntry) {
  const fs::path d = fs::path(GT_TEST_BINARY_DIR) / "bim_importer_test";
  fs::create_directories(d);
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(d / name) << text;
    return d / name;
  };
  EXPECT_EQ(loadEmissionFactors(d / "missing.toml").status().code(), gt::ErrorCode::NotFound);
  auto syntax = loadEmissionFactors(write("syntax.toml", "[[factor]\nid = 1"));
  EXPECT_EQ(syntax.status().code(), gt::ErrorCode::ParseError);
  auto two = loadEmissionFactors(write("two.toml", "[[factor]]\nid = \"x\"\nkgco2e_per_m3 = 1.0\nkgco2e_per_kg = 2.0\n"));
  ASSERT_FALSE(two);
  EXPECT_NE(two.status().message().find("'x' needs exactly one"), std::string::npos) << two.status().message();
  auto dangling = loadEmissionFactors(
      write("dangling.toml", "[[factor]]\nid = \"x\"\nkgco2e_per_m3 = 1.0\n[type_fallback]\nIFCWALL = \"nope\"\n"));
  ASSERT_FALSE(dangling);
  EXPECT_NE(dangling.status().message().find("type_fallback.IFCWALL"), std::string::npos);
}
