#include "cadena/core/data_dir.hpp"

#include <cstdlib>

namespace cadena {

std::filesystem::path data_dir() {
  if (const char* env = std::getenv("CADENA_DATA_DIR"); env && *env) return std::filesystem::path(env);
#ifdef CADENA_DATA_DIR
  return std::filesystem::path(CADENA_DATA_DIR);
#else
  return std::filesystem::path("data");
#endif
}

}  // namespace cadena
