// write_mps: the file must read back, by CLP's reader and by GLPK's (an independent one), to a
// problem with the same optimum, offset and sense included.
#include <gtest/gtest.h>

#include <ClpSimplex.hpp>
#include <CoinMessageHandler.hpp>
#include <glpk.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "cadena/solvers/solver.hpp"
#include "models.hpp"

using cadena::lp::kInf;
using cadena::lp::Model;

namespace {

std::string temp_path(const std::string& leaf) {
  const auto dir = std::filesystem::temp_directory_path() / ("cadena-mps-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / leaf).string();
}

// The hand-solved transportation problem of the conformance suite (optimum 205), plus an
// objective offset of 1000 and a ranged row and a free column that touch nothing binding.
Model named_model() {
  Model m;
  const double cost[2][3] = {{2, 4, 5}, {3, 1, 7}};
  int x[2][3];
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      x[i][j] = m.add_column("flow:S" + std::to_string(i + 1) + ":D" + std::to_string(j + 1) + ":2024", 0, kInf,
                             cost[i][j]);
  const int s1 = m.add_row("supply:S1:2024", -kInf, 45);
  const int s2 = m.add_row("supply:S2:2024", -kInf, 60);
  const int d[3] = {m.add_row("demand:D1:2024", 30, kInf), m.add_row("demand:D2:2024", 40, 40),
                    m.add_row("demand:D3:2024", 20, kInf)};
  for (int j = 0; j < 3; ++j) {
    m.add_coefficient(s1, x[0][j], 1);
    m.add_coefficient(s2, x[1][j], 1);
    for (int i = 0; i < 2; ++i) m.add_coefficient(d[j], x[i][j], 1);
  }
  const int f = m.add_column("free:aux", -kInf, kInf, 0);
  const int r = m.add_row("range:aux", -1, 1);
  m.add_coefficient(r, f, 1);
  m.set_objective_offset(1000.0);
  return m;
}

double clp_read_and_solve(const std::string& path, int& rows, int& cols, std::string& first_col) {
  ClpSimplex clp;
  clp.setLogLevel(0);
  clp.messageHandler()->setLogLevel(0);
  EXPECT_EQ(clp.readMps(path.c_str(), /*keepNames=*/true), 0);
  rows = clp.numberRows();
  cols = clp.numberColumns();
  first_col = clp.getColumnName(0);
  clp.dual();
  EXPECT_EQ(clp.status(), 0);
  return clp.objectiveValue();
}

double glpk_read_and_solve(const std::string& path) {
  glp_term_out(GLP_OFF);
  glp_prob* p = glp_create_prob();
  EXPECT_EQ(glp_read_mps(p, GLP_MPS_FILE, nullptr, path.c_str()), 0);
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  EXPECT_EQ(glp_simplex(p, &parm), 0);
  EXPECT_EQ(glp_get_status(p), GLP_OPT);
  const double z = glp_get_obj_val(p);
  glp_delete_prob(p);
  return z;
}

TEST(WriteMps, ReadsBackWithTheSameOptimum) {
  const auto m = named_model();
  const auto path = temp_path("transport.mps");
  auto st = cadena::solvers::write_mps(m, path);
  ASSERT_TRUE(st.ok()) << st.error().format();

  auto clp = cadena::solvers::make_solver("clp");
  const auto direct = (*clp)->solve(m);
  ASSERT_TRUE(direct.ok() && direct->ok());
  EXPECT_NEAR(direct->objective, 1205.0, 1e-7);

  int rows = 0, cols = 0;
  std::string first;
  EXPECT_NEAR(clp_read_and_solve(path, rows, cols, first), 1205.0, 1e-7);
  EXPECT_EQ(rows, m.num_rows());
  EXPECT_EQ(cols, m.num_columns());
  EXPECT_EQ(first, "flow:S1:D1:2024");
  // GLPK 5 reads the objective row's RHS as +constant, against the usual MPS convention that
  // CLP, CPLEX and HiGHS follow (constant = -RHS); it checks the offset-free file.
  auto no_offset = m;
  no_offset.set_objective_offset(0.0);
  const auto path0 = temp_path("transport0.mps");
  ASSERT_TRUE(cadena::solvers::write_mps(no_offset, path0).ok());
  EXPECT_NEAR(glpk_read_and_solve(path0), 205.0, 1e-7);

  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("demand:D3:2024"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

// max 3x + 2y, x + y <= 4, x + 3y <= 7, x <= 3 -> 11 (models.hpp), offset -1.
// Neither reader takes OBJSENSE, so the file holds min -(3x + 2y) + 1, whose optimum is -10.
TEST(WriteMps, MaximisationIsWrittenAsNegatedMinimisation) {
  Model m = cadena::solvers::testing::small_max().m;
  m.set_objective_offset(-1.0);
  const auto path = temp_path("max.mps");
  ASSERT_TRUE(cadena::solvers::write_mps(m, path).ok());
  int rows = 0, cols = 0;
  std::string first;
  EXPECT_NEAR(clp_read_and_solve(path, rows, cols, first), -10.0, 1e-7);
  m.set_objective_offset(0.0);
  ASSERT_TRUE(cadena::solvers::write_mps(m, path).ok());
  EXPECT_NEAR(clp_read_and_solve(path, rows, cols, first), -11.0, 1e-7);
  EXPECT_NEAR(glpk_read_and_solve(path), -11.0, 1e-7);
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line.rfind("* cadena: this model maximises", 0), 0u) << line;
}

TEST(WriteMps, NameWithBlankIsAnErrorAndNothingIsWritten) {
  Model m;
  m.add_column("bad name", 0, 1, 1);
  const auto path = temp_path("bad.mps");
  std::filesystem::remove(path);
  auto st = cadena::solvers::write_mps(m, path);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().category, cadena::ErrorCategory::Value);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(WriteMps, UnwritablePathIsAnIoError) {
  // A path under a regular file cannot be created by anyone, root included (a missing or
  // read-only folder is writable for root on some systems).
  const auto dir = std::filesystem::temp_directory_path() / ("cadena_mps_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto blocker = dir / "a-file";
  std::ofstream(blocker) << "not a folder";
  const std::string target = (blocker / "x.mps").string();
  const auto st = cadena::solvers::write_mps(named_model(), target);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().category, cadena::ErrorCategory::Io);
  EXPECT_EQ(st.error().context.file, target);
  std::filesystem::remove_all(dir);
}

}  // namespace
