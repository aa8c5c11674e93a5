#pragma once
// Reading project files and fiscal regimes (TOML). Every error names the file, the line and
// the key, and says what was expected. Format: docs/finance.md, "Project file".
#include <optional>
#include <string>

#include "cadena/core/error.hpp"
#include "cadena/finance/model.hpp"
#include "cadena/finance/montecarlo.hpp"

namespace cadena::finance {

// Figures a study published, kept beside the inputs so a test can compare (examples/projects/).
struct Published {
  std::string source;
  double npv_after_tax_musd = kNaN, irr_after_tax = kNaN;
  double npv_pre_tax_musd = kNaN, irr_pre_tax = kNaN;
  double payback_years = kNaN;  // from start of production
  bool reproduced = true;       // false: a documented gap, kept out of the tolerance test
  std::string note;
};

struct ProjectFile {
  std::string path;
  Project project;
  std::string regime_id;
  std::optional<MonteCarloSpec> montecarlo;
  std::optional<Published> published;
};

// Directory holding fiscal/<regime>.toml: $CADENA_DATA_DIR if set, else the source tree's data/.
std::string data_dir();

Result<ProjectFile> load_project(const std::string& path);
Result<ProjectFile> parse_project(const std::string& text, const std::string& path);  // path for messages and relative files

// A regime by id (data_dir()/fiscal/<id>.toml), without project overrides.
Result<FiscalRegime> load_regime(const std::string& id);

}  // namespace cadena::finance
