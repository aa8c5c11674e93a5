#pragma once
// Text checks shared by the readers: UTF-8 validation (ids and names end up in JSON and SQLite,
// which need valid UTF-8) and the echo of a user's value in an error line, cut to a readable
// length with the bytes that would garble a terminal escaped.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cadena {

// The offset of the first byte that does not belong to a well-formed UTF-8 sequence (overlong
// forms, surrogates and code points above U+10FFFF included), or nothing when `s` is valid.
std::optional<std::size_t> first_invalid_utf8(std::string_view s);

// `s` in single quotes for an error message: control characters and invalid UTF-8 bytes as \xNN,
// and at most `max_bytes` bytes of it followed by "… (N bytes)" when longer.
std::string echo(std::string_view s, std::size_t max_bytes = 60);

}  // namespace cadena
