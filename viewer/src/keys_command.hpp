#pragma once
// `greentwin keys ...`: the twin's CURVE keys and its allow-list of publisher keys (docs/security.md).
//   greentwin keys server   [--out twin.key] [--name twin] [--force]
//   greentwin keys generate <name> [--out <name>.key] [--allow-list FILE] [--force]
//   greentwin keys allow    <name> <public-key-or-key-file> --allow-list FILE
//   greentwin keys revoke   <name-or-public-key> --allow-list FILE
//   greentwin keys list     --allow-list FILE
// It runs without a window, a config or the twin. A running twin re-reads the allow-list by itself.

#include <iosfwd>
#include <memory>

namespace CLI {
class App;
}

namespace gt::viewer {

struct KeysCommand;

// Registers the `keys` subcommand on `app` (the main thread, before parsing).
std::shared_ptr<KeysCommand> addKeysCommand(CLI::App& app);
// After parsing: whether `keys` was given.
bool keysCommandParsed(const KeysCommand& command);
// Runs the parsed subcommand; messages to `out`, errors to `err`. Returns the exit code (0 = done).
int runKeysCommand(const KeysCommand& command, std::ostream& out, std::ostream& err);

}  // namespace gt::viewer
