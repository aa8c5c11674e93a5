#pragma once
// Output files that appear whole or not at all: the text goes to a temporary name next to the
// target and is renamed over it (a rename within one folder is atomic on POSIX), so a failed or
// interrupted write never leaves half a file where the user expects a result.
#include <string>
#include <string_view>

#include "cadena/core/error.hpp"

namespace cadena {

// The temporary name used for `path` while it is being written: the same folder, so the final
// rename does not cross file systems.
std::string temp_path_for(const std::string& path);

// Moves a finished temporary file onto `path`; on failure removes `tmp` and returns an Io error
// naming `path`.
Status publish_temp_file(const std::string& tmp, const std::string& path);

// Writes `text` to temp_path_for(path) and publishes it. Errors (Io) name the file that failed;
// no temporary file is left behind.
Status write_file_atomically(const std::string& path, std::string_view text);

}  // namespace cadena
