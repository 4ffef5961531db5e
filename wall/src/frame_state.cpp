// The frame state's wire form (frame_state.hpp). Encoding validates first, so a lead never sends what followers
// would refuse; decoding checks every bound before it allocates.
#include "greentwin/wall/frame_state.hpp"

#include <cmath>

#include "byte_codec.hpp"

namespace gt::wall {
namespace {

constexpr std::string_view kMagic = "GTWF";

Status invalid(const std::string& message) { return Status(ErrorCode::InvalidArgument, message); }

Status checkText(const std::string& value, const std::string& field, std::size_t maxBytes) {
  if (value.size() > maxBytes) {
    return invalid(field + ": " + std::to_string(value.size()) + " bytes, at most " + std::to_string(maxBytes));
  }
  if (!detail::isValidUtf8(value)) return invalid(field + ": not UTF-8");
  return Status::ok();
}

bool finite(double v) { return std::isfinite(v); }

}  // namespace

const char* toString(FrameProblem problem) {
  switch (problem) {
    case FrameProblem::None:
      return "none";
    case FrameProblem::TooLarge:
      return "too large";
    case FrameProblem::Truncated:
      return "truncated";
    case FrameProblem::NotAFrame:
      return "not a frame";
    case FrameProblem::WrongVersion:
      return "wrong version";
    case FrameProblem::BadValue:
      return "bad value";
    case FrameProblem::TrailingBytes:
      return "trailing bytes";
  }
  return "unknown";
}

Status validateFrameState(const WallFrameState& s) {
  if (!finite(s.rate) || std::abs(s.rate) > kMaxClockRate) return invalid("rate: not a finite speed within 1e6");
  const CameraPose& c = s.camera;
  for (double v : {c.x, c.y, c.z, c.headingDeg, c.pitchDeg, c.rangeM}) {
    if (!finite(v)) return invalid("camera: a coordinate is not finite");
  }
  if (s.selectedEntity) {
    if (s.selectedEntity->empty()) return invalid("selected entity: empty id");
    if (Status st = checkText(*s.selectedEntity, "selected entity", kMaxFrameIdBytes); !st) return st;
  }
  if (s.language != "zh" && s.language != "en") return invalid("language: '" + s.language + "' (zh or en)");
  if (s.layers.size() > kMaxFrameLayers) {
    return invalid("layers: " + std::to_string(s.layers.size()) + ", at most " + std::to_string(kMaxFrameLayers));
  }
  for (const LayerState& l : s.layers) {
    if (Status st = checkText(l.id, "layer id", kMaxFrameIdBytes); !st) return st;
    if (!(l.opacity >= 0.0F && l.opacity <= 1.0F)) return invalid("layer '" + l.id + "': opacity outside 0..1");
  }
  if (s.tour) {
    if (Status st = checkText(s.tour->id, "tour id", kMaxFrameIdBytes); !st) return st;
  }
  if (s.alerts.size() > kMaxFrameAlerts) {
    return invalid("alerts: " + std::to_string(s.alerts.size()) + ", at most " + std::to_string(kMaxFrameAlerts));
  }
  for (const BannerAlert& a : s.alerts) {
    if (Status st = checkText(a.id, "alert id", kMaxFrameIdBytes); !st) return st;
    if (!alertSeverityFromInt(static_cast<int>(a.severity))) return invalid("alert '" + a.id + "': bad severity");
    if (Status st = checkText(a.textEn, "alert '" + a.id + "' text_en", kMaxFrameTextBytes); !st) return st;
    if (Status st = checkText(a.textZh, "alert '" + a.id + "' text_zh", kMaxFrameTextBytes); !st) return st;
  }
  return Status::ok();
}

Result<std::vector<std::uint8_t>> encodeFrameState(const WallFrameState& s) {
  if (Status st = validateFrameState(s); !st) return st;
  detail::ByteWriter w;
  w.raw(kMagic);
  w.u16(kFrameStateVersion);
  w.u16(0);
  w.u64(s.frame);
  w.i64(s.clockTime);
  w.u8(s.paused ? 1 : 0);
  w.f64(s.rate);
  for (double v : {s.camera.x, s.camera.y, s.camera.z, s.camera.headingDeg, s.camera.pitchDeg, s.camera.rangeM}) {
    w.f64(v);
  }
  w.u8(s.selectedEntity ? 1 : 0);
  if (s.selectedEntity) w.str(*s.selectedEntity);
  w.str(s.language);
  w.u8(s.showIndicatorWall ? 1 : 0);
  w.u16(static_cast<std::uint16_t>(s.layers.size()));
  for (const LayerState& l : s.layers) {
    w.str(l.id);
    w.u8(l.visible ? 1 : 0);
    w.f32(l.opacity);
    w.u32(l.look);
  }
  w.u8(s.tour ? 1 : 0);
  if (s.tour) {
    w.str(s.tour->id);
    w.u32(s.tour->stopIndex);
    w.u8(s.tour->playing ? 1 : 0);
  }
  w.u16(static_cast<std::uint16_t>(s.alerts.size()));
  for (const BannerAlert& a : s.alerts) {
    w.str(a.id);
    w.u8(static_cast<std::uint8_t>(a.severity));
    w.str(a.textEn);
    w.str(a.textZh);
    w.u8(a.acknowledged ? 1 : 0);
  }
  w.i64(s.sentSteadyNs);
  w.i64(s.sentSystemNs);
  return w.take();
}

namespace {

// The body after the header; problems are recorded in `r`.
void readBody(detail::ByteReader& r, WallFrameState& s) {
  s.frame = r.u64("frame");
  s.clockTime = r.i64("clock time");
  s.paused = r.flag("paused");
  s.rate = r.f64("rate");
  if (r.ok() && (!finite(s.rate) || std::abs(s.rate) > kMaxClockRate)) {
    r.fail(FrameProblem::BadValue, "rate: not a finite speed within 1e6");
  }
  CameraPose& c = s.camera;
  for (double* v : {&c.x, &c.y, &c.z, &c.headingDeg, &c.pitchDeg, &c.rangeM}) *v = r.f64("camera");
  if (r.ok() && !(finite(c.x) && finite(c.y) && finite(c.z) && finite(c.headingDeg) && finite(c.pitchDeg) &&
                  finite(c.rangeM))) {
    r.fail(FrameProblem::BadValue, "camera: a coordinate is not finite");
  }
  if (r.flag("selected entity")) {
    s.selectedEntity = r.str("selected entity", kMaxFrameIdBytes);
    if (r.ok() && s.selectedEntity->empty()) r.fail(FrameProblem::BadValue, "selected entity: empty id");
  }
  s.language = r.str("language", 8);
  if (r.ok() && s.language != "zh" && s.language != "en") {
    r.fail(FrameProblem::BadValue, "language: '" + s.language + "' (zh or en)");
  }
  s.showIndicatorWall = r.flag("indicator wall");
  const std::size_t layers = r.u16("layer count");
  if (layers > kMaxFrameLayers) {
    r.fail(FrameProblem::BadValue,
           "layer count: " + std::to_string(layers) + ", at most " + std::to_string(kMaxFrameLayers));
  }
  // Each layer takes at least 11 bytes: a claimed count beyond what is left is refused before reserving.
  if (r.ok() && layers * 11 > r.remaining()) r.fail(FrameProblem::Truncated, "truncated in the layers");
  if (r.ok()) s.layers.reserve(layers);
  for (std::size_t i = 0; i < layers && r.ok(); ++i) {
    LayerState l;
    l.id = r.str("layer id", kMaxFrameIdBytes);
    l.visible = r.flag("layer visible");
    l.opacity = r.f32("layer opacity");
    if (r.ok() && !(l.opacity >= 0.0F && l.opacity <= 1.0F)) {
      r.fail(FrameProblem::BadValue, "layer '" + l.id + "': opacity outside 0..1");
    }
    l.look = r.u32("layer look");
    s.layers.push_back(std::move(l));
  }
  if (r.flag("tour")) {
    TourState t;
    t.id = r.str("tour id", kMaxFrameIdBytes);
    t.stopIndex = r.u32("tour stop");
    t.playing = r.flag("tour playing");
    s.tour = std::move(t);
  }
  const std::size_t alerts = r.u16("alert count");
  if (alerts > kMaxFrameAlerts) {
    r.fail(FrameProblem::BadValue,
           "alert count: " + std::to_string(alerts) + ", at most " + std::to_string(kMaxFrameAlerts));
  }
  for (std::size_t i = 0; i < alerts && r.ok(); ++i) {
    BannerAlert a;
    a.id = r.str("alert id", kMaxFrameIdBytes);
    const int severity = r.u8("alert severity");
    const auto known = alertSeverityFromInt(severity);
    if (r.ok() && !known) r.fail(FrameProblem::BadValue, "alert severity: " + std::to_string(severity));
    a.severity = known.value_or(AlertSeverity::Info);
    a.textEn = r.str("alert text_en", kMaxFrameTextBytes);
    a.textZh = r.str("alert text_zh", kMaxFrameTextBytes);
    a.acknowledged = r.flag("alert acknowledged");
    s.alerts.push_back(std::move(a));
  }
  s.sentSteadyNs = r.i64("sent steady time");
  s.sentSystemNs = r.i64("sent system time");
  if (r.ok() && r.remaining() != 0) {
    r.fail(FrameProblem::TrailingBytes, std::to_string(r.remaining()) + " bytes after the last field");
  }
}

}  // namespace

Result<WallFrameState> decodeFrameState(const std::uint8_t* data, std::size_t size, FrameProblem* problem) {
  FrameProblem dummy = FrameProblem::None;
  FrameProblem& out = problem != nullptr ? *problem : dummy;
  if (Status refused = detail::checkMessageBytes(data, size, "wall frame", out); !refused.isOk()) return refused;
  detail::ByteReader r(data, size);
  WallFrameState s;
  detail::readMessageHead(r, kMagic, "not a wall frame");
  if (r.ok()) readBody(r, s);
  if (!r.ok()) {
    out = r.problem();
    return Status(detail::codeOf(r.problem()), "wall frame: " + r.error());
  }
  return s;
}

}  // namespace gt::wall
