// libFuzzer target for the wall's control requests (wall/src/control_protocol.cpp): the lead parses whatever an
// admitted operator (or, with security = "none", anyone) sends.
//
// Besides "no crash, no out-of-bounds read, no exception", it checks: an error's message is non-empty and short (it
// goes back in the reply, so it must not echo an input of kilobytes), and an accepted command re-encoded parses back
// equal (the CLI builds its requests that way).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "greentwin/wall/control_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto command = gt::wall::parseControlCommand(text);
  if (!command) {
    const gt::Status error = command.status();  // a copy: status() returns by value
    if (error.message().empty() || error.message().size() > 1024) std::abort();
    return 0;
  }
  auto again = gt::wall::parseControlCommand(gt::wall::encodeControlCommand(*command));
  if (!again) std::abort();
  // set_time keeps whole seconds in its text; every other command reads back equal.
  if (!std::holds_alternative<gt::wall::SetTimeCommand>(*command) && !(*again == *command)) std::abort();
  return 0;
}
