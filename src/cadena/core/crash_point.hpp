#pragma once
// Fault injection for the tests of docs/reliability.md: crash_point("name") kills the process
// with SIGKILL when the environment variable CADENA_CRASH_AT equals "name", so a test can stop a
// run exactly between two steps (after the folder is published, before the store commits) and
// check what the next run recovers. Without the variable it does nothing.
namespace cadena {

void crash_point(const char* name);

}  // namespace cadena
