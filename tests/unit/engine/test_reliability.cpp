// Reproducers of issue 13 through `cadena`, each a test that failed before its fix: a scenario
// name that escapes ./out, --out over a folder cadena did not write, values the solver aborted
// on, non-UTF-8 bytes, nonsense accepted with exit 0, error lines echoing whole fields.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../../integration/cli_run.hpp"

namespace {

namespace fs = std::filesystem;
using cadena::test::run_cli;

fs::path root() { return fs::temp_directory_path() / fmt::format("cadena-reliability-{}", ::getpid()); }

class Reliability : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = root() / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  // A scenario on the tiny fixture dataset with `body` after its name.
  std::string scenario(const std::string& name, const std::string& body) {
    const fs::path p = m_dir / (name + ".toml");
    std::ofstream(p) << fmt::format("dataset = \"{}/tiny\"\n{}", CADENA_FIXTURES_DIR "/datasets", body);
    return p.string();
  }
  fs::path m_dir;
};

TEST_F(Reliability, AScenarioNameCannotLeaveTheOutFolder) {
  const fs::path escape = m_dir / "escaped";
  for (const std::string& name : {fmt::format("../../../../../../../..{}", escape.string()), escape.string(),
                                   std::string(".hidden"), std::string("a/b"), std::string("")}) {
    const std::string file = scenario("named", fmt::format("name = \"{}\"\n", name));
    auto r = run_cli(fmt::format("run '{}'", file));
    EXPECT_EQ(r.exit_code, 2) << name << ": " << r.err;
    EXPECT_NE(r.err.find(file + ":2: invalid value in key 'name'"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(escape)) << name;
  }
}

TEST_F(Reliability, OutNeverReplacesAFolderCadenaDidNotWrite) {
  const fs::path mine = m_dir / "home";
  fs::create_directories(mine);
  std::ofstream(mine / "thesis.tex") << "years of work";
  const std::string file = scenario("s", "name = \"s\"\n");
  auto r = run_cli(fmt::format("run '{}' --out '{}'", file, mine.string()));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("not written by cadena"), std::string::npos) << r.err;
  EXPECT_EQ(cadena::test::read_file(mine / "thesis.tex"), "years of work");
  EXPECT_FALSE(fs::exists(mine / "summary.json"));

  // An empty folder, and then the folder cadena wrote, are fine to (re)write.
  const fs::path out = m_dir / "out";
  fs::create_directories(out);
  ASSERT_EQ(run_cli(fmt::format("run '{}' --out '{}'", file, out.string())).exit_code, 0);
  EXPECT_TRUE(fs::exists(out / ".cadena-out"));
  auto again = run_cli(fmt::format("run '{}' --out '{}'", file, out.string()));
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(fs::exists(out / "summary.json"));
}

TEST_F(Reliability, ValuesTheSolverAbortedOnAreRefusedNamingFileLineAndKey) {
  struct Case {
    const char* body;
    int line;
    const char* key;
  };
  const Case cases[] = {
      {"[[demand]]\nregion = \"EU\"\nproduct = \"li2co3\"\nquantity = 1e308\n", 6, "quantity"},
      {"[[facility]]\nid = \"atacama\"\nunit_cost_usd = 1e40\n", 5, "unit_cost_usd"},
      {"[settings]\nunmet_penalty_usd = 1e40\n", 4, "unmet_penalty_usd"},
      {"[settings]\ncarbon_price_usd_per_t = 1e308\n", 4, "carbon_price_usd_per_t"},
      {"[[facility]]\nid = \"atacama\"\nwater_m3_per_unit = 1e308\n", 5, "water_m3_per_unit"},
      {"[[facility]]\nid = \"la_negra\"\ninputs = \"brine_conc:1e12\"\n", 5, "inputs"},
      {"[demand_scale]\n\"*\" = 1e300\n", 4, "demand_scale.*"},
  };
  for (const Case& c : cases) {
    const std::string file = scenario("extreme", std::string("name = \"extreme\"\n") + c.body);
    auto r = run_cli(fmt::format("run '{}' --out '{}'", file, (m_dir / "out").string()));
    EXPECT_EQ(r.exit_code, 2) << c.key << ": " << r.err;
    EXPECT_NE(r.err.find(fmt::format("{}:{}: invalid value in key '{}'", file, c.line, c.key)), std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
    EXPECT_FALSE(fs::exists(m_dir / "out"));
  }
}

TEST_F(Reliability, NonUtf8BytesAreRefusedWhereTheyAreRead) {
  const fs::path d = m_dir / "tiny";
  fs::copy(CADENA_FIXTURES_DIR "/datasets/tiny", d);
  std::string companies = cadena::test::read_file(d / "companies.csv");
  // "Química" as an old spreadsheet saves it: Latin-1, not UTF-8.
  const auto at = companies.find("Qu\xc3\xadmica");
  ASSERT_NE(at, std::string::npos);
  companies = companies.substr(0, at + 2) + '\xed' + companies.substr(at + 4);
  std::ofstream(d / "companies.csv", std::ios::trunc) << companies;
  for (const char* cmd : {"validate", "data show sqm --dataset"}) {
    auto r = run_cli(fmt::format("{} '{}'", cmd, d.string()));
    EXPECT_EQ(r.exit_code, 2) << cmd << ": " << r.err;
    EXPECT_NE(r.err.find((d / "companies.csv").string() + ":"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("key 'name'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("not UTF-8"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  }
}

TEST_F(Reliability, ErrorLinesDoNotEchoWholeFields) {
  const std::string huge(600000, '7');
  const std::string file = scenario("long", fmt::format("name = \"long\"\n[[facility]]\nid = \"atacama\"\ncapacity = \"{}x\"\n", huge));
  auto r = run_cli(fmt::format("validate '{}'", file));
  EXPECT_EQ(r.exit_code, 2) << r.err.substr(0, 300);
  EXPECT_LT(r.err.size(), 2500u);
  EXPECT_NE(r.err.find("key 'capacity'"), std::string::npos) << r.err.substr(0, 300);
}

TEST_F(Reliability, PitFlagsThatGaveNonsenseAreRefused) {
  const std::string blocks = CADENA_FIXTURES_DIR "/pit/tiny_blocks.csv";
  for (const char* flags : {"--value-scale 0", "--value-scale -1", "--block-volume -5", "--mining-cost -2",
                            "--block-size -1 1 1", "--block-size nan 1 1", "--slope 1e-300", "--slope 0.1"}) {
    auto r = run_cli(fmt::format("pit solve --blocks {} --price 1200 --slope 45 {}", blocks, flags));
    EXPECT_EQ(r.exit_code, 2) << flags << ": " << r.out << r.err;
    EXPECT_EQ(r.out.find("nan"), std::string::npos) << flags << ": " << r.out;
  }
  auto threads = run_cli("project evaluate examples/projects/cauchari_olaroz_2017.toml --paths 10 --threads 1000000");
  EXPECT_EQ(threads.exit_code, 2) << threads.err;
}

TEST_F(Reliability, AnInfinitePriceDeckIsRefused) {
  // strtod reads "inf": the deck gave n/a for every figure with exit 0.
  std::string text = cadena::test::read_file(CADENA_FIXTURES_DIR "/finance/price_file.toml");
  const auto at = text.find("deck.csv");
  ASSERT_NE(at, std::string::npos);
  text = text.substr(0, at) + "inf.csv" + text.substr(at + 8);
  std::ofstream(m_dir / "p.toml") << text;
  std::ofstream(m_dir / "inf.csv") << "year,price\n1,inf\n";
  auto r = run_cli(fmt::format("project evaluate '{}' --paths 0", (m_dir / "p.toml").string()));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find((m_dir / "inf.csv").string() + ":2"), std::string::npos) << r.err;
}

TEST_F(Reliability, ATwentyDigitRunIdIsAnUnknownRunNotACrash) {
  const fs::path db = m_dir / "r.db";
  const std::string file = scenario("s", "name = \"s\"\n");
  ASSERT_EQ(run_cli(fmt::format("run '{}' --db '{}' --out '{}'", file, db.string(), (m_dir / "o").string())).exit_code, 0);
  const fs::path project = m_dir / "p.toml";
  std::string text = cadena::test::read_file(CADENA_SOURCE_DIR "/examples/projects/cauchari_olaroz_2017.toml");
  const auto price = text.find("[price]");
  ASSERT_NE(price, std::string::npos);
  const auto next = text.find("\n[", price + 1);
  text.replace(price, next - price,
               fmt::format("[price]\ndeck = \"store\"\ndb = \"{}\"\nrun = \"12345678901234567890\"\nproduct = \"li2co3\"\n"
                           "region = \"EU\"\n",
                           db.string()));
  std::ofstream(project) << text;
  auto r = run_cli(fmt::format("project evaluate '{}' --paths 0", project.string()));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'price.run'"), std::string::npos) << r.err;
}

TEST_F(Reliability, ProjectOutIsPublishedAllAtOnce) {
  const fs::path out = m_dir / "project-out";
  const std::string project = CADENA_SOURCE_DIR "/examples/projects/cauchari_olaroz_2017.toml";
  ASSERT_EQ(run_cli(fmt::format("project evaluate '{}' --paths 20 --out '{}'", project, out.string())).exit_code, 0);
  EXPECT_TRUE(fs::exists(out / "montecarlo.csv"));
  EXPECT_TRUE(fs::exists(out / ".cadena-out"));
  // A second evaluation without a Monte Carlo replaces the whole folder: no montecarlo.csv of
  // the first one beside the new files.
  ASSERT_EQ(run_cli(fmt::format("project evaluate '{}' --paths 0 --out '{}'", project, out.string())).exit_code, 0);
  EXPECT_TRUE(fs::exists(out / "cashflow.csv"));
  EXPECT_FALSE(fs::exists(out / "montecarlo.csv"));
  // A folder cadena did not write is refused.
  const fs::path foreign = m_dir / "foreign";
  fs::create_directories(foreign);
  std::ofstream(foreign / "notes.txt") << "mine";
  auto r = run_cli(fmt::format("project evaluate '{}' --paths 0 --out '{}'", project, foreign.string()));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(fs::exists(foreign / "cashflow.csv"));
}

}  // namespace

// Every numeric key at both ends of its valid range (io/ranges.cpp), one at a time, through both
// solvers: each run ends in a result or in a Value error naming what is wrong (the LP range
// check), never in a crash (CLP aborted the process on values the readers used to accept).
#include "cadena/engine/run.hpp"
#include "cadena/io/dataset_io.hpp"
#include "cadena/io/ranges.hpp"

namespace cadena::engine {
namespace {

TEST(RangeCorners, NoValueInItsRangeCrashesEitherSolver) {
  auto base = io::load_dataset(CADENA_FIXTURES_DIR "/datasets/tiny");
  ASSERT_TRUE(base.ok()) << base.error().format();
  using Set = void (*)(model::Dataset&, double);
  struct Corner {
    const char* key;
    Set set;
  };
  const Corner corners[] = {
      {"capacity", [](model::Dataset& d, double v) { for (auto& f : d.facilities) f.capacity = v; }},
      {"availability", [](model::Dataset& d, double v) { for (auto& f : d.facilities) f.availability = v; }},
      {"unit_cost_usd", [](model::Dataset& d, double v) { for (auto& f : d.facilities) f.unit_cost = v; }},
      {"co2_t_per_unit", [](model::Dataset& d, double v) { for (auto& f : d.facilities) f.co2_per_unit = v; }},
      {"water_m3_per_unit", [](model::Dataset& d, double v) { for (auto& f : d.facilities) f.water_per_unit = v; }},
      {"inputs", [](model::Dataset& d, double v) {
         for (auto& f : d.facilities)
           for (auto& in : f.inputs) in.per_unit_output = v;
       }},
      {"cost_usd_per_unit", [](model::Dataset& d, double v) { for (auto& r : d.routes) r.cost_per_unit = v; }},
      {"rate", [](model::Dataset& d, double v) { for (auto& p : d.policies) p.rate = v; }},
      {"reference_price_usd", [](model::Dataset& d, double v) { for (auto& p : d.policies) p.reference_price = v; }},
      {"quantity", [](model::Dataset& d, double v) { for (auto& m : d.demands) m.quantity = v; }},
      {"unmet_penalty_usd", [](model::Dataset& d, double v) { d.settings.unmet_penalty = v; }},
      {"unmet_penalty_usd_per_gwh", [](model::Dataset& d, double v) { d.settings.unmet_penalty_per_gwh = v; }},
      {"carbon_price_usd_per_t", [](model::Dataset& d, double v) { d.settings.carbon_price = v; }},
      {"stock_cost_usd_per_unit", [](model::Dataset& d, double v) {
         d.settings.production_floor = model::Settings::ProductionFloor::Reported;
         d.settings.stock_cost_usd_per_unit = v;
       }},
  };
  int solved = 0, refused = 0;
  for (const Corner& c : corners) {
    const io::KeyRange* range = io::key_range(c.key);
    ASSERT_NE(range, nullptr) << c.key;
    for (double v : {range->min_open ? range->min + range->max * 1e-12 : range->min, range->max}) {
      model::Dataset d = *base;
      c.set(d, v);
      for (const char* solver : {"clp", "glpk"}) {
        RunOptions opt;
        opt.solver = solver;
        auto r = run_dataset(RunInput{d, "corner"}, opt);
        if (r.ok()) {
          ++solved;
        } else {
          ++refused;
          EXPECT_EQ(r.error().category, ErrorCategory::Value) << c.key << " = " << v << ": " << r.error().format();
        }
      }
    }
  }
  // And every key at its maximum at once: the widest LP the ranges allow.
  model::Dataset all = *base;
  for (const Corner& c : corners) c.set(all, io::key_range(c.key)->max);
  for (const char* solver : {"clp", "glpk"}) {
    RunOptions opt;
    opt.solver = solver;
    auto r = run_dataset(RunInput{all, "all-max"}, opt);
    if (r.ok()) ++solved;
    else EXPECT_EQ(r.error().category, ErrorCategory::Value) << r.error().format();
  }
  EXPECT_GT(solved, 0);
  std::printf("range corners: %d solved, %d refused as bad input\n", solved, refused);
}

}  // namespace
}  // namespace cadena::engine
