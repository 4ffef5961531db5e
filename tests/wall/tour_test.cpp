#include "greentwin/wall/tour.hpp"

#include <gtest/gtest.h>

namespace gt::wall {
namespace {

// A: the origin looking just west of north from 1 km; B: 500 m away (a 3-4-5 hop), looking just east of north
// from 4 km, flatter.
const CameraPose kA{0, 0, 0, 350, -45, 1000};
const CameraPose kB{300, 400, 0, 10, -30, 4000};
const CameraPose kStart{-100, 0, 0, 90, -60, 1000};

void expectPose(const CameraPose& got, const CameraPose& want, double eps = 1e-9) {
  EXPECT_NEAR(got.x, want.x, eps);
  EXPECT_NEAR(got.y, want.y, eps);
  EXPECT_NEAR(got.z, want.z, eps);
  EXPECT_NEAR(got.headingDeg, want.headingDeg, eps);
  EXPECT_NEAR(got.pitchDeg, want.pitchDeg, eps);
  EXPECT_NEAR(got.rangeM, want.rangeM, eps * 1000);
}

Tour twoStops(bool loop) {
  Tour t;
  t.id = "canal-walk";
  t.loop = loop;
  t.stops = {TourStop{"a", 10, 4, std::vector<std::string>{"aq"}}, TourStop{"b", 5, 2, std::nullopt}};
  return t;
}

TEST(Tour, EaseInOut) {
  EXPECT_DOUBLE_EQ(easeInOut(0), 0);
  EXPECT_DOUBLE_EQ(easeInOut(0.25), 0.15625);  // 3/16 - 2/64
  EXPECT_DOUBLE_EQ(easeInOut(0.5), 0.5);
  EXPECT_DOUBLE_EQ(easeInOut(0.75), 0.84375);
  EXPECT_DOUBLE_EQ(easeInOut(1), 1);
  EXPECT_DOUBLE_EQ(easeInOut(-1), 0);
  EXPECT_DOUBLE_EQ(easeInOut(2), 1);
}

TEST(Tour, FlightEasesTurnsTheShortWayAndZoomsGeometrically) {
  // Half-way: eased 0.5; heading 350 -> 10 turns +20 through north (not -340), range sqrt(1000 * 4000).
  expectPose(flightPose(kA, kB, 0.5), CameraPose{150, 200, 0, 0, -37.5, 2000});
  // A quarter of the time: eased 0.15625; range 1000 * 4^0.15625 = 1000 * 2^0.3125.
  expectPose(flightPose(kA, kB, 0.25), CameraPose{46.875, 62.5, 0, 353.125, -42.65625, 1241.857812073484}, 1e-6);
  // Back the other way the heading turns -20.
  EXPECT_NEAR(flightPose(kB, kA, 0.5).headingDeg, 0, 1e-9);
  EXPECT_NEAR(flightPose(kB, kA, 0.25).headingDeg, 10 - 20 * 0.15625, 1e-9);
  // The ends are the poses.
  expectPose(flightPose(kA, kB, 0), kA);
  expectPose(flightPose(kA, kB, 1), kB);
}

TEST(Tour, FarHopRisesAtMidFlight) {
  // 10 km between two 1 km views: the range at mid-flight is the hop's length, 1000 + 9000 * sin(pi * s).
  const CameraPose far{10000, 0, 0, 350, -45, 1000};
  EXPECT_NEAR(flightPose(kA, far, 0.5).rangeM, 10000, 1e-6);
  EXPECT_NEAR(flightPose(kA, far, 0.25).rangeM, 5242.570631433979, 1e-6);
  EXPECT_NEAR(flightPose(kA, far, 1).rangeM, 1000, 1e-9);
  // A near hop (500 m between 1 and 4 km views) does not rise: checked above (2000 at mid-flight).
}

TEST(Tour, PlaysFliesDwellsAndLoops) {
  TourPlayer player;
  ASSERT_TRUE(player.start(twoStops(true), {kA, kB}, kStart).isOk());
  TourView v = player.current();
  EXPECT_TRUE(v.active);
  EXPECT_EQ(v.tour, "canal-walk");
  EXPECT_EQ(v.stopCount, 2u);
  EXPECT_EQ(v.phase, TourPhase::Flying);
  expectPose(v.pose, kStart);

  // 1 s of the 4 s flight to stop 0.
  TourAdvance a = player.advance(1);
  EXPECT_FALSE(a.arrivedAt);
  v = player.current();
  EXPECT_EQ(v.stop, 0u);
  EXPECT_DOUBLE_EQ(v.phaseElapsedS, 1);
  EXPECT_DOUBLE_EQ(v.phaseDurationS, 4);
  expectPose(v.pose, flightPose(kStart, kA, 0.25));
  EXPECT_NEAR(v.pose.x, -100 + 100 * 0.15625, 1e-9);

  // 3 s more: arrived at stop 0 (its layer preset is due), dwelling on A.
  a = player.advance(3);
  ASSERT_TRUE(a.arrivedAt);
  EXPECT_EQ(*a.arrivedAt, 0u);
  v = player.current();
  EXPECT_EQ(v.phase, TourPhase::Dwelling);
  EXPECT_DOUBLE_EQ(v.phaseDurationS, 10);
  expectPose(v.pose, kA);

  // The 10 s dwell, then 1 s of the 2 s flight to B: half-way.
  EXPECT_FALSE(player.advance(10).arrivedAt);
  EXPECT_EQ(player.current().stop, 1u);
  EXPECT_EQ(player.current().phase, TourPhase::Flying);
  player.advance(1);
  expectPose(player.current().pose, CameraPose{150, 200, 0, 0, -37.5, 2000});

  // 1 s to arrive at B, 5 s of dwell, 0.5 s into the flight back to A (the loop), all in one step.
  a = player.advance(6.5);
  ASSERT_TRUE(a.arrivedAt);
  EXPECT_EQ(*a.arrivedAt, 1u);
  v = player.current();
  EXPECT_EQ(v.stop, 0u);
  EXPECT_EQ(v.phase, TourPhase::Flying);
  EXPECT_DOUBLE_EQ(v.phaseElapsedS, 0.5);
  expectPose(v.pose, flightPose(kB, kA, 0.125));
  EXPECT_FALSE(a.ended);
}

TEST(Tour, AStepOfManyLoopsLandsWhereTheTourWouldBe) {
  // The loop lasts 4 + 10 + 2 + 5 = 21 s. From the start of the dwell at A, 1000 loops and 11 s later: 1 s into the
  // flight to B (dwell 10, then 1 of 2 s of flight), half-way.
  TourPlayer player;
  ASSERT_TRUE(player.start(twoStops(true), {kA, kB}, std::nullopt).isOk());
  player.advance(0);
  const TourAdvance a = player.advance(1000 * 21.0 + 11);
  ASSERT_TRUE(a.arrivedAt);
  EXPECT_EQ(*a.arrivedAt, 0u);  // the last arrival, at A
  const TourView v = player.current();
  EXPECT_EQ(v.stop, 1u);
  EXPECT_EQ(v.phase, TourPhase::Flying);
  EXPECT_NEAR(v.phaseElapsedS, 1, 1e-9);
  expectPose(v.pose, CameraPose{150, 200, 0, 0, -37.5, 2000}, 1e-6);
}

TEST(Tour, NonLoopingTourEndsAtItsLastStop) {
  TourPlayer player;
  ASSERT_TRUE(player.start(twoStops(false), {kA, kB}, std::nullopt).isOk());
  // Without a starting pose the tour begins dwelling at stop 0, reported as an arrival.
  TourAdvance a = player.advance(0);
  ASSERT_TRUE(a.arrivedAt);
  EXPECT_EQ(*a.arrivedAt, 0u);
  expectPose(player.current().pose, kA);
  a = player.advance(10 + 2 + 5);  // dwell A, fly to B, dwell B
  EXPECT_TRUE(a.ended);
  EXPECT_EQ(*a.arrivedAt, 1u);
  EXPECT_FALSE(player.current().active);
  expectPose(player.current().pose, kB);
  EXPECT_FALSE(player.advance(100).arrivedAt);  // nothing more
}

TEST(Tour, PauseResumeStepStop) {
  TourPlayer player;
  ASSERT_TRUE(player.start(twoStops(true), {kA, kB}, std::nullopt).isOk());
  player.advance(2);
  player.pause();
  EXPECT_TRUE(player.current().paused);
  player.advance(100);
  EXPECT_DOUBLE_EQ(player.current().phaseElapsedS, 2);  // paused: no time passes
  player.resume();
  player.advance(1);
  EXPECT_DOUBLE_EQ(player.current().phaseElapsedS, 3);

  // Back from stop 0 wraps to stop 1 on a looping tour: a 2 s flight from A, continuing when paused.
  player.pause();
  ASSERT_TRUE(player.step(-1).isOk());
  TourView v = player.current();
  EXPECT_FALSE(v.paused);
  EXPECT_EQ(v.stop, 1u);
  EXPECT_EQ(v.phase, TourPhase::Flying);
  player.advance(1);
  expectPose(player.current().pose, CameraPose{150, 200, 0, 0, -37.5, 2000});
  // Next from a mid-flight pose: fly from where the camera is.
  const CameraPose mid = player.current().pose;
  ASSERT_TRUE(player.step(+1).isOk());
  EXPECT_EQ(player.current().stop, 0u);
  player.advance(2);  // half of the 4 s flight to A
  expectPose(player.current().pose, flightPose(mid, kA, 0.5));

  player.stop();
  EXPECT_FALSE(player.current().active);
  EXPECT_FALSE(player.step(1).isOk());
  EXPECT_FALSE(player.advance(1).arrivedAt);
}

TEST(Tour, StepStopsAtTheEndsOfANonLoopingTour) {
  TourPlayer player;
  ASSERT_TRUE(player.start(twoStops(false), {kA, kB}, std::nullopt).isOk());
  const Status before = player.step(-1);
  EXPECT_EQ(before.code(), ErrorCode::OutOfRange);
  EXPECT_EQ(before.message(), "tour 'canal-walk' has no stop before the first (it does not loop)");
  ASSERT_TRUE(player.step(1).isOk());
  EXPECT_EQ(player.step(1).message(), "tour 'canal-walk' has no stop after the last (it does not loop)");
}

TEST(Tour, StartChecksStopsAndPoses) {
  TourPlayer player;
  Tour empty;
  empty.id = "e";
  EXPECT_EQ(player.start(empty, {}, std::nullopt).message(), "tour 'e' has no stops");
  EXPECT_EQ(player.start(twoStops(true), {kA}, std::nullopt).message(), "tour 'canal-walk' has 2 stops but 1 poses");
  EXPECT_FALSE(player.current().active);
}

TEST(Tour, ZeroLengthPhasesDoNotSpin) {
  Tour t;
  t.id = "cuts";
  t.stops = {TourStop{"a", 0, 0, std::nullopt}, TourStop{"b", 0, 0, std::nullopt}};
  TourPlayer player;
  ASSERT_TRUE(player.start(t, {kA, kB}, kStart).isOk());
  const TourAdvance a = player.advance(1);  // returns (the wall file refuses such a looping tour anyway)
  EXPECT_TRUE(a.arrivedAt.has_value());
  EXPECT_TRUE(player.current().active);
}

}  // namespace
}  // namespace gt::wall
