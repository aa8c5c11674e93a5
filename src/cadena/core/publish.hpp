#pragma once
// Output folders (`cadena run --out`, `cadena project evaluate --out`) that appear whole or not at
// all, that never replace a folder cadena did not write, and that a process killed at any moment
// leaves recoverable. The guarantees are stated in docs/reliability.md:
//
//  1. Every file is written into a hidden sibling `.<name>.tmp-<pid>` first, the marker file
//     `.cadena-out` last; nothing in the target changes until every byte exists.
//  2. A missing target is created by renaming that folder into place. An existing one is swapped
//     with it in one atomic step (renameat2 RENAME_EXCHANGE), so `<name>` always holds either
//     the old or the new results; where the file system cannot exchange, the old folder is moved
//     to `.<name>.old-<pid>` for the instant between two renames.
//  3. An existing target is replaced only when it is empty or holds the marker: a folder cadena
//     did not write (a home directory given by mistake) is refused, never touched.
//  4. Leftovers of a killed run (`.<name>.tmp-<pid>`, `.<name>.old-<pid>` whose process is gone)
//     are cleaned up by the next publication into the same folder, and reported: an `.old` folder
//     with no `<name>` beside it is moved back (the previous results), anything else is removed.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cadena/core/error.hpp"

namespace cadena {

inline constexpr const char* kOutputMarker = ".cadena-out";

struct OutputFile {
  std::string name;  // a plain file name inside the folder
  std::string text;
};

struct Publication {
  std::filesystem::path folder;     // the absolute target
  std::vector<std::string> notes;   // what was recovered from an interrupted earlier run
};

// Publishes `files` and the marker (holding `marker`, then a line naming the writing process) as
// the folder `dir`. Io errors name the path at fault; on error the target is as it was.
Result<Publication> publish_folder(const std::filesystem::path& dir, const std::vector<OutputFile>& files,
                                   std::string_view marker = {});

// Replaces the marker of a published folder (atomically: temporary file and rename) when the
// folder still holds the results of the run whose marker contains `owner_line` (empty: any).
// Gives false, changing nothing, when another run has published the folder meanwhile (twenty
// runs of one scenario into ./out/<name>) or it is gone: that run's marker is its own. Every
// step works on the folder opened once, so a swap in between cannot redirect the new marker.
Result<bool> rewrite_marker(const std::filesystem::path& folder, std::string_view marker,
                            std::string_view owner_line = {});

// The marker's text, or nothing when `folder` has none.
std::optional<std::string> read_marker(const std::filesystem::path& folder);

// Checks a name that becomes a folder under ./out (a scenario name): 1 to 100 bytes of valid
// UTF-8, no '/', '\\' or control character, not starting with '.' (so neither "." nor ".." nor a
// hidden name). A Value error saying what was expected (the caller adds file, line and key).
Status check_folder_name(std::string_view name);

}  // namespace cadena
