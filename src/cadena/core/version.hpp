#pragma once
// cadena's version (CMake's project version), as `cadena --version` prints it and every stored run records it.
namespace cadena {

const char* version();

}  // namespace cadena
