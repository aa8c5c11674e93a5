#include "cadena/core/version.hpp"

namespace cadena {

const char* version() {
#ifdef CADENA_VERSION
  return CADENA_VERSION;
#else
  return "unknown";
#endif
}

}  // namespace cadena
