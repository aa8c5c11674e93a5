#pragma once
// Readers for block models and precedence. Every reader returns an Error with file, line and
// what was expected; none prints or exits.
//
// Decimals: the solver needs integers for exact optima, so decimal values are multiplied by a
// scale (default 100: cents) and rounded to the nearest integer. The optimum is then exact for
// the rounded values; the reported value differs from the decimal one by at most
// 0.5 / scale per block in the pit.
#include <cstdint>
#include <string>
#include <vector>

#include "cadena/core/error.hpp"
#include "cadena/pit/precedence.hpp"

namespace cadena::pit {

// Raw integer block values, one per line (the MineFlow .dat format of ../shared/data/pit).
// expected_count = 0 accepts any count.
Result<std::vector<std::int64_t>> read_values_file(const std::string& path, std::size_t expected_count);

struct MineLibBlock {
  int x = 0, y = 0, z = 0;
};

struct MineLibModel {
  std::string name;
  std::vector<MineLibBlock> blocks;  // by id
  ExplicitPrecedence precedence;
  std::vector<std::int64_t> values;  // objective of .upit, times value_scale, rounded
  double value_scale = 100.0;
};

// Reads PREFIX.blocks, PREFIX.prec and PREFIX.upit; accepts the departures of the real files
// listed in ../shared/data/minelib/README.md; rejects cyclic precedence. value_scale <= 0 picks
// 10^(decimals written in the file), so the optimum is exact for the file's own numbers.
Result<MineLibModel> read_minelib(const std::string& prefix, double value_scale = 0.0);
Result<ExplicitPrecedence> read_minelib_prec(const std::string& path, std::size_t n_blocks);

// Explicit precedence file in the MineLib .prec layout: `<b> <n> <p1> … <pn>`.
// (Same reader; the name says what the CLI option is.)
inline Result<ExplicitPrecedence> read_precedence_file(const std::string& path, std::size_t n_blocks) {
  return read_minelib_prec(path, n_blocks);
}

// Fails with the file name and one block of the cycle when the requirements are cyclic.
Status check_acyclic(const ExplicitPrecedence& prec, const std::string& file);

// A priced block model (CSV with a header). Columns, by name, case-insensitive:
//   i, j, k        grid indices (k = 0 the bottom bench); or
//   x, y, z        block centroids on a regular grid of size block_x/y/z (z up)
//   tonnes         block tonnage (t); or density (t/m3) times the block volume
//   <grade>        grade of the payable element as a mass fraction (e.g. 0.012 for 1.2 % Li2O),
//                  the column named by Economics::grade_column
// The grid is the bounding box of the indices; cells without a row are air (value 0).
struct Economics {
  std::string grade_column = "grade";
  double price = 0.0;             // currency per tonne of payable product
  double recovery = 1.0;          // fraction
  double mining_cost = 0.0;       // currency per tonne mined
  double processing_cost = 0.0;   // currency per tonne processed
  double royalty = 0.0;           // fraction of revenue
  double revenue_factor = 1.0;    // multiplies price (nested shells)
  double block_volume = 1.0;      // m3, used when only density is given
  double block_x = 1.0, block_y = 1.0, block_z = 1.0;  // grid steps for x, y, z centroids
  double value_scale = 1.0;       // integer value units per currency unit
};

struct PricedModel {
  int nx = 0, ny = 0, nz = 0;
  std::vector<std::int64_t> values;   // grid order, x fastest; scaled and rounded
  std::vector<double> tonnes;         // grid order
  std::vector<double> grade;          // grid order
  std::vector<double> revenue;        // grid order, currency, at revenue factor 1, if processed
  std::vector<double> cost_process;   // mining + processing cost if processed
  std::vector<double> cost_waste;     // mining cost if sent to waste
  std::vector<std::uint8_t> present;  // 1 where the CSV had a row
};

// The valid economics (docs/pit.md, "Valid ranges"), checked by read_block_csv before any row is
// priced: every number finite; price in [0, 1e10] per tonne; recovery in [0, 1]; royalty in
// [0, 1); mining and processing costs in [0, 1e6] per tonne; revenue factor in (0, 100]; block
// volume in (0, 1e9] m3; block sizes in (0, 1e6]; value scale in (0, 1e9]. Value errors name
// the CLI flag (--price, --mining-cost, ...) as their key.
Status check_economics(const Economics& econ);

Result<PricedModel> read_block_csv(const std::string& path, const Economics& econ);

// Block value in currency: the better of processing and dumping.
double block_value(double revenue_at_rf1, double revenue_factor, double cost_process, double cost_waste);

}  // namespace cadena::pit
