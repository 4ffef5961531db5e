#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/layer_loader.hpp"

#include <gtest/gtest.h>
#include <osg/Geode>
#include <osg/Geometry>

#include <chrono>
#include <thread>

#include "greentwin/viewer/app.hpp"

namespace gt::runtime {
namespace {

osg::ref_ptr<osg::Geode> geodeWithVertices(unsigned count) {
  osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
  g->setVertexArray(new osg::Vec3Array(count));
  osg::ref_ptr<osg::Geode> geode = new osg::Geode;
  geode->addDrawable(g.get());
  return geode;
}

TEST(MergeQueue, AttachesStagedNodesWithinTheVertexBudget) {
  osg::ref_ptr<osg::Group> root = new osg::Group;
  osg::ref_ptr<osg::Group> content = new osg::Group;
  root->addChild(content.get());
  for (int i = 0; i < 10; ++i) content->addChild(geodeWithVertices(100).get());
  MergeQueue queue;
  queue.stage(root.get());
  EXPECT_EQ(content->getNumChildren(), 0u);  // detached until merged
  EXPECT_EQ(queue.pendingCount(), 10u);
  queue.mergeStep(350);  // three 100-vertex nodes fit
  EXPECT_EQ(content->getNumChildren(), 3u);
  queue.mergeStep(50);  // less than one node: still one, so a merge always progresses
  EXPECT_EQ(content->getNumChildren(), 4u);
  queue.mergeStep(1'000'000);
  EXPECT_EQ(content->getNumChildren(), 10u);
  EXPECT_TRUE(queue.empty());
}

TEST(LayerLoader, LoadsInSubmissionOrderOnItsWorker) {
  auto frame = GeoFrame::create(116.72, 39.86);
  ASSERT_TRUE(frame);
  layers::LayerRegistry registry;
  layers::registerBuiltinLayers(registry);
  LayerLoader loader(*frame, registry);
  LayerConfig district;
  district.id = "district";
  district.source = assetsDirectory() + "/demo/tongzhou_district.geojson";
  LayerConfig missing;
  missing.id = "missing";
  missing.source = "/nonexistent/file.gpkg";
  loader.submit(district);
  loader.submit(missing);
  EXPECT_FALSE(loader.idle());
  std::vector<LoadedLayer> done;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (done.size() < 2 && std::chrono::steady_clock::now() < deadline) {
    for (auto& l : loader.takeFinished()) done.push_back(std::move(l));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].config.id, "district");
  EXPECT_TRUE(done[0].layer->status().isOk());
  ASSERT_NE(done[0].features, nullptr);
  EXPECT_EQ(done[0].features->features.size(), 1u);
  // Not yet registered: entities are assigned on the update thread.
  EXPECT_EQ(done[0].layer->entityOfSlot(0), kInvalidEntity);
  EXPECT_EQ(done[1].config.id, "missing");
  EXPECT_EQ(done[1].layer->state(), layers::LayerState::Error);
  EXPECT_NE(done[1].layer->status().message().find("/nonexistent/file.gpkg"), std::string::npos);
  EXPECT_TRUE(loader.idle());
}

TEST(LayerLoader, DestroyingItMidLoadStopsTheWorker) {
  auto frame = GeoFrame::create(116.72, 39.86);
  ASSERT_TRUE(frame);
  layers::LayerRegistry registry;
  layers::registerBuiltinLayers(registry);
  const auto start = std::chrono::steady_clock::now();
  {
    LayerLoader loader(*frame, registry);
    LayerConfig city;
    city.id = "city";
    city.type = "buildings";
    city.source = assetsDirectory() + "/demo/generated/tongzhou_city.gpkg";
    city.sourceLayer = "buildings";
    loader.submit(city);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the read start
  }  // the destructor cancels the read and joins
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 5.0) << "the worker did not stop promptly";
}

}  // namespace
}  // namespace gt::runtime
