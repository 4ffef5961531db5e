#include "model_format.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <string>

namespace gt::bim {
namespace {

constexpr std::size_t kHeadBytes = 512;

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The text after a UTF-8 byte-order mark and leading white space.
std::string_view textStart(std::string_view head) {
  if (startsWith(head, "\xEF\xBB\xBF")) head.remove_prefix(3);
  const std::size_t first = head.find_first_not_of(" \t\r\n");
  return first == std::string_view::npos ? std::string_view() : head.substr(first);
}

bool utf16Bom(std::string_view head) { return startsWith(head, "\xFF\xFE") || startsWith(head, "\xFE\xFF"); }

Status notA(const char* what, const std::string& display, const std::string& why) {
  const bool vowel = std::string_view("AEIOU").find(what[0]) != std::string_view::npos;
  return Status(ErrorCode::ParseError, std::string(vowel ? "not an " : "not a ") + what + " file: " + display + ": " + why);
}

}  // namespace

const char* sourceKind(ModelFormat format) {
  switch (format) {
    case ModelFormat::Ifc: return "ifc";
    case ModelFormat::Gltf: return "gltf";
    case ModelFormat::Glb: return "glb";
    case ModelFormat::Obj: return "obj";
    case ModelFormat::Collada: return "collada";
    case ModelFormat::ThreeDs: return "3ds";
    case ModelFormat::Ply: return "ply";
    case ModelFormat::Lwo: return "lwo";
    case ModelFormat::Stl: return "stl";
  }
  return "unknown";
}

bool assimpYUp(ModelFormat format) {
  switch (format) {
    case ModelFormat::Gltf:
    case ModelFormat::Glb:
    case ModelFormat::Collada:
    case ModelFormat::Obj:
    case ModelFormat::Lwo: return true;
    default: return false;
  }
}

Result<ModelFormat> detectModelFormat(std::string_view extension, std::string_view head, const std::string& display) {
  std::string ext(extension);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  // A binary glTF announces itself, whatever the file is called (".gltf" files are sometimes binary).
  if (startsWith(head, "glTF")) return ModelFormat::Glb;
  const std::string_view text = textStart(head);
  if (ext == ".ifc") {
    if (!startsWith(text, "ISO-10303-21;")) {
      return notA("IFC", display, "it does not start with the STEP header 'ISO-10303-21;'");
    }
    return ModelFormat::Ifc;
  }
  if (ext == ".glb") return notA("glTF binary", display, "it does not start with the magic 'glTF'");
  if (ext == ".gltf") {
    if (!startsWith(text, "{")) return notA("glTF", display, "it is neither JSON (starting with '{') nor binary glTF");
    return ModelFormat::Gltf;
  }
  if (ext == ".dae") {
    if (!startsWith(text, "<") && !utf16Bom(head)) return notA("Collada", display, "it is not XML");
    return ModelFormat::Collada;
  }
  if (ext == ".ply") {
    if (!startsWith(head, "ply")) return notA("PLY", display, "it does not start with 'ply'");
    return ModelFormat::Ply;
  }
  if (ext == ".lwo") {
    if (!startsWith(head, "FORM")) return notA("LightWave", display, "it does not start with the IFF tag 'FORM'");
    return ModelFormat::Lwo;
  }
  if (ext == ".3ds") {
    if (!startsWith(head, "\x4D\x4D")) return notA("3DS", display, "it does not start with the main chunk 0x4D4D");
    return ModelFormat::ThreeDs;
  }
  if (ext == ".obj") return ModelFormat::Obj;  // plain text without a signature
  if (ext == ".stl") return ModelFormat::Stl;  // binary STL has no signature (an 80-byte free header)
  return Status(ErrorCode::Unsupported, "unsupported model format '" + ext + "': " + display +
                                            " (IFC, glTF/GLB, OBJ, Collada, 3DS, PLY, LWO, STL are read)");
}

Result<ModelFormat> detectModelFormat(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(ErrorCode::NotFound, "model file not found or unreadable: " + file.string());
  std::array<char, kHeadBytes> buffer{};
  in.read(buffer.data(), buffer.size());
  const std::string_view head(buffer.data(), static_cast<std::size_t>(in.gcount()));
  return detectModelFormat(file.extension().string(), head, file.string());
}

}  // namespace gt::bim
