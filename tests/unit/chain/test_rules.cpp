// Policy rules (docs/formulation.md "Policy rules"), each on a network small enough to solve by
// hand: the expected optimum, price or payment is worked out in the comment above each test.
#include <gtest/gtest.h>

#include <algorithm>

#include "cadena/chain/network.hpp"
#include "cadena/solvers/solver.hpp"
#include "fixtures.hpp"
#include "results.hpp"

namespace cadena::chain {
namespace {

using testing::base_dataset;
using testing::facility;
using testing::flow;
using testing::output_of;
using testing::price;
using testing::route;
using testing::solve;

ChainResult run(const model::Dataset& d, Network* keep = nullptr) {
  auto n = Network::build(d);
  EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.error().format());
  auto r = n->extract(solve(*n));
  // The cost split and the flows' cost column add up to the objective with rules too.
  double parts = r.production_usd + r.carbon_usd + r.transport_usd + r.duties_usd + r.penalty_usd + r.stock_usd +
                 r.policy_usd;
  EXPECT_NEAR(parts, r.objective_usd, 1e-6 * std::max(1.0, std::abs(r.objective_usd)));
  double flows = 0;
  for (const auto& f : r.flows) flows += f.cost_usd;
  EXPECT_NEAR(flows, r.objective_usd, 1e-6 * std::max(1.0, std::abs(r.objective_usd)));
  if (keep) *keep = std::move(*n);
  return r;
}

const RuleRecord& rule_of(const ChainResult& r, const std::string& id) {
  auto it = std::find_if(r.rules.begin(), r.rules.end(), [&](const auto& x) { return x.id == id; });
  EXPECT_NE(it, r.rules.end()) << id;
  static RuleRecord none;
  return it == r.rules.end() ? none : *it;
}

model::Rule rule(std::string id, model::RuleKind kind) {
  model::Rule r;
  r.id = std::move(id);
  r.kind = kind;
  r.prov.source = "test";
  return r;
}

// Transit network: ore mines in CN (100 @ 100) and AU (100 @ 150); the US (own region) wants 50.
// Routes CN->US 10, CN->AR 4, AR->US 5, AU->US 20; AR has a market through a small ROW demand
// (1 unit; AU->AR costs 30, so AU ore via AR reaches the US at 185). The US charges CN imports 50 % of 100 = 50 per unit.
model::Dataset transit() {
  auto d = base_dataset();
  d.regions.push_back({"US", "United States", {}});
  d.countries.push_back({"US", "United States", "US", {}});
  d.facilities = {facility("mine_cn", "mining", "CN", "ore", 100, 100), facility("mine_au", "mining", "AU", "ore", 100, 150)};
  d.routes = {route("CN", "US", "ore", 10), route("CN", "AR", "ore", 4), route("AR", "US", "ore", 5),
              route("AU", "US", "ore", 20), route("AU", "AR", "ore", 30)};
  model::TradePolicy t;
  t.kind = model::PolicyKind::ImportTariff;
  t.product = "ore";
  t.from = "CN";
  t.to = "US";
  t.rate = 0.5;
  t.reference_price = 100;
  d.policies = {t};
  d.demands = {{"US", "ore", 50, {}}, {"ROW", "ore", 1, {}}};
  return d;
}

// The leak: the tariff is charged on the CN->US leg only, so CN ore reaches the US through AR
// at 100 + 4 + 5 = 109 per unit (direct: 160, AU: 170). The US price is 109.
TEST(Rules, WithoutRulesOfOriginChineseOreTransitsArgentinaTariffFree) {
  auto r = run(transit());
  EXPECT_NEAR(flow(r, "flow", "AR-US", "ore"), 50, 1e-6);
  EXPECT_NEAR(price(r.demand_prices, "US", "ore"), 109, 1e-6);
  EXPECT_NEAR(r.duties_usd, 0, 1e-6);
}

// origin_tariff ore CN->US 50 %: the transit now pays 50, so the route via AR costs 159 (still
// below direct 160 and AU 170): 50 units pay 2,500 of tariff and the US price is 159. The
// objective rises by exactly 50 x 50 = 2,500.
TEST(Rules, OriginTariffAppliesWhateverCountryTheProductTransits) {
  auto base = run(transit());
  auto d = transit();
  auto o = rule("cn_origin", model::RuleKind::OriginTariff);
  o.product = "ore";
  o.from = "CN";
  o.to = "US";
  o.rate = 0.5;
  o.reference_price = 100;
  d.rules = {o};
  auto r = run(d);
  EXPECT_NEAR(price(r.demand_prices, "US", "ore"), 159, 1e-6);
  EXPECT_NEAR(r.objective_usd - base.objective_usd, 2500, 1e-6);
  const auto& rec = rule_of(r, "cn_origin");
  EXPECT_NEAR(rec.quantity, 50, 1e-6);       // CN-origin ore imported into the US
  EXPECT_NEAR(rec.payment_usd, 2500, 1e-6);  // the tariff it paid
  EXPECT_NEAR(r.policy_usd, 2500, 1e-6);     // all of it on the transit leg (the direct leg is unused)
}

// A direct CN->US import under the same origin rule pays the origin tariff once, not the leg
// tariff on top: close the AR transit (route cost 1e6) and the US buys direct at 160.
TEST(Rules, OriginTariffReplacesTheLegTariffInsteadOfAddingToIt) {
  auto d = transit();
  d.routes[2].cost_per_unit = 1e6;
  auto o = rule("cn_origin", model::RuleKind::OriginTariff);
  o.product = "ore";
  o.from = "CN";
  o.to = "US";
  o.rate = 0.5;
  o.reference_price = 100;
  d.rules = {o};
  auto r = run(d);
  EXPECT_NEAR(flow(r, "flow", "CN-US", "ore"), 50, 1e-6);
  EXPECT_NEAR(price(r.demand_prices, "US", "ore"), 160, 1e-6);
  EXPECT_NEAR(r.duties_usd + r.policy_usd, 2500, 1e-6);
}

// origin_quota: at most 20 CN-origin units into the US, by any route: 20 via AR at 109, 30 from
// AU at 170; the US price is AU's 170, and the quota's dual is what one more unit of quota saves,
// 170 - 109 = 61 (negative: raising the bound lowers the objective).
TEST(Rules, OriginQuotaCapsImportsOfAnOriginOnEveryRoute) {
  auto d = transit();
  auto q = rule("cn_quota", model::RuleKind::OriginQuota);
  q.product = "ore";
  q.from = "CN";
  q.to = "US";
  q.quantity = 20;
  d.rules = {q};
  auto r = run(d);
  EXPECT_NEAR(output_of(r, "mine_au"), 30, 1e-6);  // ROW's 1 unit still comes from CN via AR (104)
  EXPECT_NEAR(price(r.demand_prices, "US", "ore"), 170, 1e-6);
  const auto& rec = rule_of(r, "cn_quota");
  EXPECT_NEAR(rec.quantity, 20, 1e-6);
  EXPECT_TRUE(rec.binding);
  EXPECT_NEAR(rec.dual_usd, -61, 1e-6);
}

// route_quota 0 on AR->US (a ban) without rules of origin: CN ore goes direct, 160 per unit.
TEST(Rules, RouteQuotaZeroBansALeg) {
  auto d = transit();
  auto q = rule("no_ar_us", model::RuleKind::RouteQuota);
  q.from = "AR";
  q.to = "US";
  q.quantity = 0;
  d.rules = {q};
  auto r = run(d);
  EXPECT_NEAR(flow(r, "flow", "AR-US", "ore"), 0, 1e-9);
  EXPECT_NEAR(price(r.demand_prices, "US", "ore"), 160, 1e-6);
  EXPECT_NEAR(rule_of(r, "no_ar_us").dual_usd, -51, 1e-6);  // 160 - 109 per unit of quota
}

// Export duty network: AR mine (100 @ 100) pays an AR export duty of 20 % x 100 = 20 on the way
// to CN (route 10): 130 delivered; CL mine (100 @ 110, route 10): 120. CN wants 50: CL serves.
// duty_exempt on the AR mine (RIGI): 110 < 120, AR serves, no duty, objective 50 x 10 lower.
model::Dataset duty() {
  auto d = base_dataset();
  d.facilities = {facility("mine_ar", "mining", "AR", "ore", 100, 100), facility("mine_cl", "mining", "CL", "ore", 100, 110)};
  d.routes = {route("AR", "CN", "ore", 10), route("CL", "CN", "ore", 10)};
  model::TradePolicy t;
  t.kind = model::PolicyKind::ExportDuty;
  t.product = "ore";
  t.from = "AR";
  t.to = "*";
  t.rate = 0.2;
  t.reference_price = 100;
  d.policies = {t};
  d.demands = {{"CN", "ore", 50, {}}};
  return d;
}

TEST(Rules, DutyExemptFacilityExportsWithoutTheDuty) {
  auto base = run(duty());
  EXPECT_NEAR(output_of(base, "mine_cl"), 50, 1e-6);
  auto d = duty();
  auto x = rule("rigi_ar", model::RuleKind::DutyExempt);
  x.facility = "mine_ar";
  x.from_year = 2024;
  x.to_year = 2030;
  d.rules = {x};
  auto r = run(d);
  EXPECT_NEAR(output_of(r, "mine_ar"), 50, 1e-6);
  EXPECT_NEAR(r.objective_usd, base.objective_usd - 500, 1e-6);  // 50 x (120 - 110)
  EXPECT_NEAR(rule_of(r, "rigi_ar").payment_usd, -1000, 1e-6);   // the 50 x 20 duty not paid
  // Outside its years the exemption does nothing.
  d.rules[0].from_year = 2031;
  d.rules[0].to_year = 0;
  auto later = run(d);
  EXPECT_NEAR(later.objective_usd, base.objective_usd, 1e-6);
  EXPECT_TRUE(later.rules.empty());
}

// export_duty (dated, on top of policies.csv): on the transit network every CN ore export pays
// rate x reference = 0.2 x 100 = 20. Without it CN ore reaches the US via AR at 109 and the ROW
// unit (in AR) at 104; the alternatives are AU ore at 170 in the US and 150 in ROW (AU's own
// market). With 20 neither route switches (US 129 < 170, ROW 124 < 150): the objective rises by
// exactly 20 x 51 units taxed = 1,020 and the US price by 20.
model::Rule cn_export_duty(double usd) {
  auto x = rule("cn_duty", model::RuleKind::ExportDuty);
  x.product = "ore";
  x.from = "CN";
  x.to = "*";
  x.amount = usd;
  x.from_year = 2024;
  return x;
}

TEST(Rules, ExportDutyRuleRaisesTheCostByDutyTimesQuantityWhereNoRouteSwitches) {
  auto base = run(transit());
  auto d = transit();
  auto x = cn_export_duty(0.0);
  x.rate = 0.2;
  x.reference_price = 100;
  d.rules = {x};
  auto r = run(d);
  EXPECT_NEAR(flow(r, "flow", "CN-AR", "ore"), 51, 1e-6);
  EXPECT_NEAR(r.objective_usd - base.objective_usd, 20 * 51, 1e-6);
  EXPECT_NEAR(price(r.demand_prices, "US", "ore"), 129, 1e-6);
  const auto& rec = rule_of(r, "cn_duty");
  EXPECT_EQ(rec.kind, "export_duty");
  EXPECT_NEAR(rec.quantity, 51, 1e-6);      // taxed: CN ore leaving CN
  EXPECT_NEAR(rec.payment_usd, 1020, 1e-6);  // the duty collected
  EXPECT_NEAR(r.policy_usd, 1020, 1e-6);
  EXPECT_NEAR(r.duties_usd, base.duties_usd, 1e-9);  // policies.csv duties are reported apart
  // Not yet in force in the dataset year (2024): nothing changes and the rule has no record.
  d.rules[0].from_year = 2025;
  auto later = run(d);
  EXPECT_NEAR(later.objective_usd, base.objective_usd, 1e-6);
  EXPECT_TRUE(later.rules.empty());
}

// A route switches when the duty exceeds its cost gap: the ROW unit's gap is 150 - 104 = 46, the
// US route's 170 - 109 = 61. A duty of 60 moves the ROW unit to AU ore (+46) and keeps the US
// transit (+60 x 50): +3,046, 50 units taxed. A duty of 62 moves both: the US buys AU ore at 170
// (+61 x 50), nothing leaves CN, nothing is collected: +3,096.
TEST(Rules, ExportDutyRuleSwitchesARouteWhenItExceedsTheCostGap) {
  auto base = run(transit());
  auto d = transit();
  d.rules = {cn_export_duty(60)};
  auto r60 = run(d);
  EXPECT_NEAR(r60.objective_usd - base.objective_usd, 60 * 50 + 46, 1e-6);
  EXPECT_NEAR(flow(r60, "flow", "AR-US", "ore"), 50, 1e-6);
  EXPECT_NEAR(output_of(r60, "mine_au"), 1, 1e-6);
  EXPECT_NEAR(rule_of(r60, "cn_duty").quantity, 50, 1e-6);
  EXPECT_NEAR(rule_of(r60, "cn_duty").payment_usd, 3000, 1e-6);
  EXPECT_NEAR(price(r60.demand_prices, "US", "ore"), 169, 1e-6);
  d.rules = {cn_export_duty(62)};
  auto r62 = run(d);
  EXPECT_NEAR(r62.objective_usd - base.objective_usd, 61 * 50 + 46, 1e-6);
  EXPECT_NEAR(output_of(r62, "mine_au"), 51, 1e-6);
  EXPECT_NEAR(output_of(r62, "mine_cn"), 0, 1e-6);
  EXPECT_NEAR(rule_of(r62, "cn_duty").quantity, 0, 1e-6);
  EXPECT_NEAR(rule_of(r62, "cn_duty").payment_usd, 0, 1e-6);
  EXPECT_NEAR(price(r62.demand_prices, "US", "ore"), 170, 1e-6);
}

// import_tariff into the US from anywhere, 10 per unit, on top of the policies.csv CN->US 50:
// the transit via AR pays it once (119), +10 x 50. With a more specific AR->US rule of 70 the
// AR->US leg pays 70 instead of 10 (179) and CN ore goes direct at 100 + 10 + 50 + 10 = 170
// (AU: 180): +61 x 50; the direct leg pays both the policies.csv 50 (duties) and the rule's 10.
TEST(Rules, ImportTariffRuleAddsToTheLegTariffAndTheMostSpecificRuleApplies) {
  auto base = run(transit());
  auto d = transit();
  auto x = rule("us_all", model::RuleKind::ImportTariff);
  x.product = "ore";
  x.from = "*";
  x.to = "US";
  x.amount = 10;
  d.rules = {x};
  auto r = run(d);
  EXPECT_NEAR(r.objective_usd - base.objective_usd, 500, 1e-6);
  EXPECT_NEAR(price(r.demand_prices, "US", "ore"), 119, 1e-6);
  EXPECT_NEAR(rule_of(r, "us_all").payment_usd, 500, 1e-6);
  auto y = rule("us_from_ar", model::RuleKind::ImportTariff);
  y.product = "ore";
  y.from = "AR";
  y.to = "US";
  y.amount = 70;
  d.rules = {x, y};
  auto s = run(d);
  EXPECT_NEAR(s.objective_usd - base.objective_usd, 61 * 50, 1e-6);
  EXPECT_NEAR(flow(s, "flow", "CN-US", "ore"), 50, 1e-6);
  EXPECT_NEAR(s.duties_usd, 50 * 50, 1e-6);
  EXPECT_NEAR(rule_of(s, "us_all").quantity, 50, 1e-6);
  EXPECT_NEAR(rule_of(s, "us_all").payment_usd, 500, 1e-6);
  EXPECT_NEAR(rule_of(s, "us_from_ar").quantity, 0, 1e-9);
}

// duty_exempt covers the dated export duty too: the duty network without its policies.csv duty,
// and an export_duty rule of 20 on AR ore from 2024 instead: CL serves (120 < 130). Exempting the
// AR mine lets it serve at 110: objective -500; the duty rule records the gross 50 x 20 on the
// leg, the exemption the 1,000 not paid, so policy_usd (their sum) is 0.
TEST(Rules, DutyExemptFacilityIsExemptFromADatedExportDutyRule) {
  auto d = duty();
  d.policies.clear();
  auto x = rule("ar_duty", model::RuleKind::ExportDuty);
  x.product = "ore";
  x.from = "AR";
  x.rate = 0.2;
  x.reference_price = 100;
  x.from_year = 2024;
  d.rules = {x};
  auto taxed = run(d);
  EXPECT_NEAR(output_of(taxed, "mine_cl"), 50, 1e-6);
  auto e = rule("rigi_ar", model::RuleKind::DutyExempt);
  e.facility = "mine_ar";
  d.rules = {x, e};
  auto r = run(d);
  EXPECT_NEAR(output_of(r, "mine_ar"), 50, 1e-6);
  EXPECT_NEAR(r.objective_usd, taxed.objective_usd - 500, 1e-6);
  EXPECT_NEAR(rule_of(r, "ar_duty").payment_usd, 1000, 1e-6);
  EXPECT_NEAR(rule_of(r, "rigi_ar").payment_usd, -1000, 1e-6);
  EXPECT_NEAR(r.policy_usd, 0, 1e-6);
}

// Ownership: the US (own region) wants 10 chem. AU refinery (1 ore per chem, 200 @ 1000) is
// owned 30 % by a Chinese company; CL refinery (200 @ 1200) Chilean. One AU mine (100 @ 500,
// Australian), ore routes AU->CL 0, chem routes AU->US and CL->US at 0. Without the rule the AU
// refinery serves (1500 per chem). With "no Chinese owner above 25 %" the CL one must (1700):
// the objective rises by 10 x 200 = 2,000 and the compliant price is 1700.
model::Dataset owned() {
  auto d = base_dataset();
  d.regions.push_back({"US", "United States", {}});
  d.countries.push_back({"US", "United States", "US", {}});
  d.facilities = {facility("mine_au", "mining", "AU", "ore", 100, 500),
                  facility("ref_au", "refining", "AU", "chem", 200, 1000, {{"ore", 1.0, 0}}),
                  facility("ref_cl", "refining", "CL", "chem", 200, 1200, {{"ore", 1.0, 0}})};
  d.facilities[0].owners = {{"co_au", 1.0}};
  d.facilities[1].owners = {{"co_cn", 0.3}, {"co_au", 0.7}};
  d.facilities[2].owners = {{"co_cl", 1.0}};
  d.routes = {route("AU", "CL", "ore", 0), route("AU", "US", "chem", 0), route("CL", "US", "chem", 0)};
  d.demands = {{"US", "chem", 10, {}}};
  return d;
}

TEST(Rules, OwnershipRuleExcludesChainsWithAForeignOwnerAboveTheThreshold) {
  auto base = run(owned());
  EXPECT_NEAR(output_of(base, "ref_au"), 10, 1e-6);
  auto d = owned();
  auto o = rule("feoc", model::RuleKind::Ownership);
  o.country = "US";
  o.owner_country = "CN";
  o.share = 0.25;
  d.rules = {o};
  auto r = run(d);
  EXPECT_NEAR(output_of(r, "ref_cl"), 10, 1e-6);
  EXPECT_NEAR(r.objective_usd - base.objective_usd, 2000, 1e-6);
  EXPECT_NEAR(price(r.demand_prices, "US", "chem"), 1700, 1e-6);
  const auto& rec = rule_of(r, "feoc");
  EXPECT_NEAR(rec.quantity, 10, 1e-6);
  EXPECT_NEAR(rec.excluded_capacity, 200, 1e-6);  // the AU refinery, t LCE contained
  EXPECT_TRUE(rec.binding);
  // At a 30 % threshold the AU refinery qualifies again.
  d.rules[0].share = 0.3;
  EXPECT_NEAR(run(d).objective_usd, base.objective_usd, 1e-6);
  // Look-through: the refinery's Australian owner is itself 40 % held by the Chinese company
  // (stakes.csv company-in-company), so the refinery counts 0.3 + 0.7 x 0.4 = 58 % Chinese: still
  // excluded at 30 %, admitted again at 60 % (the rule on the refining stage only: the AU mine is
  // 40 % Chinese by the same look-through).
  model::Stake held;
  held.holder = "co_cn";
  held.company = "co_au";
  held.share = 0.4;
  d.stakes = {held};
  d.rules[0].stage = "refining";
  d.rules[0].share = 0.3;
  EXPECT_NEAR(run(d).objective_usd - base.objective_usd, 2000, 1e-6);
  d.rules[0].share = 0.6;
  EXPECT_NEAR(run(d).objective_usd, base.objective_usd, 1e-6);
  d.stakes.clear();
  d.rules[0].stage = "*";
  // Chinese-owned mine: nothing qualifies upstream, the US demand goes unmet (never a crash).
  d.rules[0].share = 0.25;
  d.facilities[0].owners = {{"co_cn", 1.0}};
  auto none = run(d);
  ASSERT_EQ(none.unmet.size(), 1u);
  EXPECT_NEAR(none.unmet[0].quantity, 10, 1e-6);
}

// production_credit: 45X-style 35 per unit plus 10 % of the unit cost on the CN mine of network
// `duty`-like data: the mine's net cost falls by 35 + 10 = 45 per unit, credit paid = -45 x output.
TEST(Rules, ProductionCreditLowersTheCostBySizeAndSign) {
  auto d = duty();
  auto base = run(d);
  auto c = rule("credit_cl", model::RuleKind::ProductionCredit);
  c.facility = "mine_cl";
  c.amount = 35;
  c.rate = 0.1;  // of the unit cost 110 = 11
  d.rules = {c};
  auto r = run(d);
  EXPECT_NEAR(output_of(r, "mine_cl"), 50, 1e-6);
  EXPECT_NEAR(rule_of(r, "credit_cl").payment_usd, -50 * 46, 1e-6);
  EXPECT_NEAR(r.objective_usd, base.objective_usd - 50 * 46, 1e-6);
}

// royalty at a fixed mine-head value: 10 % of 300 = 30 per unit on the CL mine: CL delivers at
// 150 and AR (with duty) at 130, so AR serves and the royalty is not paid.
TEST(Rules, RoyaltyAtAFixedValueAddsRateTimesValue) {
  auto d = duty();
  auto y = rule("roy_cl", model::RuleKind::Royalty);
  y.country = "CL";
  y.rate = 0.1;
  y.reference_price = 300;
  d.rules = {y};
  auto r = run(d);
  EXPECT_NEAR(output_of(r, "mine_ar"), 50, 1e-6);
  EXPECT_NEAR(price(r.demand_prices, "CN", "ore"), 130, 1e-6);
}

// Price-dependent royalty: CN wants 150 ore; AR (no duty here) serves 100 at 100 + 10 and CL the
// marginal 50 at 110 + 10 + royalty. With a royalty of 10 % of the CL market price p_CL and the
// CN price p = p_CL + 10, the fixed point is p_CL = 110 + 0.1 p_CL, p_CL = 122.22. Iterating
// (solve, set the royalty from the duals, re-solve) converges geometrically (factor 0.1).
TEST(Rules, PriceDependentRoyaltyConvergesToTheFixedPoint) {
  auto d = duty();
  d.policies.clear();
  d.demands = {{"CN", "ore", 150, {}}};
  auto y = rule("roy_cl", model::RuleKind::Royalty);
  y.country = "CL";
  y.rate = 0.1;
  d.rules = {y};
  auto n = Network::build(d);
  ASSERT_TRUE(n.ok());
  int iterations = 0;
  lp::Solution sol = solve(*n);
  while (iterations < 30 && n->update_royalties(sol) > 1e-6) {
    sol = solve(*n);
    ++iterations;
  }
  EXPECT_LT(iterations, 12);
  auto r = n->extract(sol);
  EXPECT_NEAR(price(r.market_prices, "CL", "ore"), 110.0 / 0.9, 1e-4);
  EXPECT_NEAR(rule_of(r, "roy_cl").payment_usd, 50 * 0.1 * 110.0 / 0.9, 1e-3);
  // Bands: 0 % up to 100, 50 % above: p = 110 + 0.5 (p - 100), p = 120.
  auto d2 = d;
  d2.rules[0].brackets = {{0, 0.0}, {100, 0.5}};
  auto n2 = Network::build(d2);
  ASSERT_TRUE(n2.ok());
  sol = solve(*n2);
  for (iterations = 0; iterations < 60 && n2->update_royalties(sol) > 1e-7; ++iterations) sol = solve(*n2);
  EXPECT_NEAR(price(n2->extract(sol).market_prices, "CL", "ore"), 120, 1e-4);
}

// local_value_added: AU mines 100 ore; the CN refinery (network A) would take it all. With "AU
// processes at least 40 % at home" an AU refinery (200 @ 1300) refines 40 % of AU's ore.
TEST(Rules, LocalValueAddedKeepsAShareOfExtractionAtHome) {
  auto d = testing::network_a(60);
  d.facilities.push_back(facility("ref_au", "refining", "AU", "chem", 200, 1300, {{"ore", 1.1, 0}}));
  d.routes.push_back(route("AU", "CN", "chem", 10));
  auto l = rule("au_local", model::RuleKind::LocalValueAdded);
  l.country = "AU";
  l.share = 0.4;
  d.rules = {l};
  auto r = run(d);
  const double mined = output_of(r, "mine_au");
  EXPECT_NEAR(flow(r, "use", "ref_au", "ore"), 0.4 * mined, 1e-6);
  EXPECT_GT(mined, 0);
  EXPECT_TRUE(rule_of(r, "au_local").binding);
}

// local_value_added counts only processing beyond the stage. AU mines ore, refines it into chem
// (ref_au) and upgrades chem into chem2 (upg_au, also refining); CN makes the cathode China wants
// (100 t CAM = 23.42 t LCE of chem) cheaper than AU's cathode plant. AU refining output is
// 43.42 chem + 20 chem2 = 63.42 t LCE. "AU processes at least 20 % of its refined output at
// home": the upgrader does not count, so AU's cathode plant takes 0.2 x 63.42 = 12.684 t LCE of
// chem (before, the upgrader's 20 satisfied the rule and AU made no cathode).
TEST(Rules, LocalValueAddedCountsOnlyProcessingBeyondTheStage) {
  auto d = base_dataset();
  d.products.push_back({"chem2", "chem2", "t LCE", "refining", {}});
  d.facilities = {facility("mine_au", "mining", "AU", "ore", 100, 500),
                  facility("ref_au", "refining", "AU", "chem", 100, 100, {{"ore", 1.0, 0}}),
                  facility("upg_au", "refining", "AU", "chem2", 100, 50, {{"chem", 1.0, 0}}),
                  facility("cam_au", "cathode", "AU", "cam", 1000, 20, {{"chem", 0.2342, 0}}),
                  facility("cam_cn", "cathode", "CN", "cam", 1000, 10, {{"chem", 0.2342, 0}})};
  d.routes = {route("AU", "CN", "chem", 10), route("AU", "CN", "cam", 10)};
  d.demands = {{"CN", "cam", 100, {}}, {"ROW", "chem2", 20, {}}};
  auto base = run(d);
  ASSERT_TRUE(base.unmet.empty());
  EXPECT_NEAR(output_of(base, "cam_au"), 0.0, 1e-9);
  EXPECT_NEAR(output_of(base, "upg_au"), 20.0, 1e-6);
  auto l = rule("au_local", model::RuleKind::LocalValueAdded);
  l.country = "AU";
  l.stage = "refining";
  l.share = 0.2;
  d.rules = {l};
  auto r = run(d);
  ASSERT_TRUE(r.unmet.empty());
  EXPECT_NEAR(output_of(r, "ref_au"), 43.42, 1e-6);
  EXPECT_NEAR(flow(r, "use", "cam_au", "chem"), 0.2 * 63.42, 1e-6);
  EXPECT_TRUE(rule_of(r, "au_local").binding);
}

// Contradictions give a result: a carbon cap of 0 on mines that emit leaves the demand unmet
// with the cap binding; a minimum output above capacity is a reported shortfall.
TEST(Rules, ContradictoryRulesGiveUnmetDemandAndBindingRulesNotACrash) {
  auto d = testing::network_a(60);
  for (auto& f : d.facilities) f.co2_per_unit = 1.0;
  auto cap = rule("zero_co2", model::RuleKind::CarbonCap);
  cap.quantity = 0;
  auto force = rule("force_cn", model::RuleKind::MinOutput);
  force.facility = "mine_cn";
  force.quantity = 80;  // capacity 50
  d.rules = {cap, force};
  auto r = run(d);
  EXPECT_EQ(r.termination, lp::Termination::Optimal);
  ASSERT_EQ(r.unmet.size(), 1u);
  EXPECT_NEAR(r.unmet[0].quantity, 60, 1e-6);
  EXPECT_TRUE(rule_of(r, "zero_co2").binding);
  EXPECT_LT(rule_of(r, "zero_co2").dual_usd, 0);  // d(objective)/d(cap): one more t CO2 allowed saves
  EXPECT_NEAR(rule_of(r, "force_cn").shortfall, 80, 1e-6);
}

// tech_export_ban: a planned CL refinery (when non-operating capacity counts) is shut out by a
// ban that keeps the technology in CN; CN's own new plants are not.
TEST(Rules, TechExportBanShutsNewCapacityOutsideTheCountry) {
  auto d = testing::network_a(60);
  d.settings.include_non_operating = true;
  d.facilities.push_back(facility("ref_cl_new", "refining", "CL", "chem", 100, 500, {{"ore", 1.1, 0}}));
  d.facilities.back().status = model::FacilityStatus::Planned;
  d.routes.push_back(route("AU", "CL", "ore", 10));
  d.routes.push_back(route("CL", "CN", "chem", 10));
  auto base = run(d);
  EXPECT_GT(output_of(base, "ref_cl_new"), 0);
  auto b = rule("cn_tech", model::RuleKind::TechExportBan);
  b.country = "CN";
  b.stage = "refining";
  d.rules = {b};
  auto r = run(d);
  EXPECT_NEAR(output_of(r, "ref_cl_new"), 0, 1e-9);
  EXPECT_NEAR(rule_of(r, "cn_tech").excluded_capacity, 100, 1e-9);
  EXPECT_GT(r.objective_usd, base.objective_usd);
}

}  // namespace
}  // namespace cadena::chain
