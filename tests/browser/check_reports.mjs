// Browser test of the HTML reports (ctest: browser_reports). Makes one report of each kind with
// the cadena under test, opens each from disk in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core from node_modules) with the network off, and fails on:
//   - any console error, page error, or request that is not the file itself;
//   - a chart (div[data-chart]) whose canvas stays blank, or a missing expected chart;
//   - a shown number (element with data-key) that differs from the run's own JSON output
//     (summary.json, or the command's --json) or whose text does not read as that number;
//   - a chart series whose ECharts id is a summary.json path ("series.co2_t", a `*` level summed
//     over its keys: the pathway report's year series) and whose data differ from that path.
// Screenshots go to <out>/<kind>.png (and run-top.png, the first screen). Then it breaks a copy
// of the run report twice (a chart's series type, one number) and fails unless both breaks are
// caught: the check can fail.
//
//   node check_reports.mjs --cadena BIN --source DIR --out DIR [--chromium PATH] [--only NAME,...]
// (--only: check just these reports, e.g. pathway,pathway-one-year, and their self-checks; while
// working on a view.)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const source = path.resolve(args.source || '.');
const out = path.resolve(args.out || 'build/browser');
const cadena = path.resolve(args.cadena || 'build/apps/cli/cadena');
const chromiumPath = args.chromium || '/usr/bin/chromium';
const t0 = Date.now();

function die(msg) {
  console.error('browser_reports: ' + msg);
  process.exit(1);
}
if (!fs.existsSync(path.join(source, 'node_modules', 'playwright-core')))
  die(`${source}/node_modules/playwright-core is missing: run \`bash scripts/bootstrap.sh\` (npm ci) first`);
if (!fs.existsSync(chromiumPath))
  die(`${chromiumPath} is missing: run \`bash scripts/bootstrap.sh\` (installs Debian's chromium)`);
const require = createRequire(path.join(source, 'package.json'));
const { chromium } = require('playwright-core');

const lap = (() => { let t = Date.now(); return () => { const d = Date.now() - t; t = Date.now(); return d; }; })();
const times = [];

// ---- make the reports ----
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const env = { ...process.env };
delete env.CADENA_DB;
function cli(argv) {
  return execFileSync(cadena, argv, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
const reports = [];
cli(['run', '--report', '--quiet', '--out', path.join(out, 'run')]);
reports.push({
  kind: 'run', file: path.join(out, 'run', 'report.html'),
  truth: JSON.parse(fs.readFileSync(path.join(out, 'run', 'summary.json'), 'utf8')),
  charts: ['sankey', 'map', 'shares', 'footprint-emissions', 'footprint-water'], chartPrefixes: ['price-'], minKeys: 40,
  keyPrefixes: ['stages.mining.by_ultimate_owner_country.', 'stages.mining.hhi.by_ultimate_owner_country'],
  ownership: path.join(out, 'run', 'facilities.csv'),
});
// The same view on a made-up three-stage mineral (tests/fixtures/datasets/toy-mineral): nothing
// in the report may assume lithium's stages, products or units.
cli(['run', '--dataset', path.join(source, 'tests', 'fixtures', 'datasets', 'toy-mineral'), '--report', '--quiet',
     '--out', path.join(out, 'toy')]);
reports.push({
  kind: 'run', name: 'run-toy-mineral', file: path.join(out, 'toy', 'report.html'),
  truth: JSON.parse(fs.readFileSync(path.join(out, 'toy', 'summary.json'), 'utf8')),
  charts: ['sankey', 'map', 'shares'], minKeys: 12,
});
// A pathway over a few years (2024, 2025, 2028, 2030: builds, investment and shortages appear), and a
// one-year pathway (one period on the axis must still draw). The year series of the charts and
// the tables are checked against the pathway's summary.json. NMC cell demand is scaled by 1.5 so
// that shortages (the unmet charts) appear: since the sourced Chinese cell and cathode options the
// baseline pathway meets all demand.
const pathwayStress = ['--set', 'demand_scale.cell_nmc=1.5'];
cli(['run', '--years', '2024:2030:3', ...pathwayStress, '--report', '--quiet', '--out', path.join(out, 'pathway')]);
const pathwayCharts = ['pw-capacity-mining', 'pw-investment', 'pw-shares-mining', 'pw-hhi', 'pw-cost', 'pw-emissions', 'pw-water'];
reports.push({
  kind: 'pathway', file: path.join(out, 'pathway', 'report.html'),
  truth: JSON.parse(fs.readFileSync(path.join(out, 'pathway', 'summary.json'), 'utf8')),
  charts: pathwayCharts, chartPrefixes: ['pw-price-', 'pw-unmet-'], minKeys: 300, minSeries: 60,
  keyPrefixes: ['total_cost_usd', 'series.demand_price_usd.', 'series.stages.mining.by_country.', 'series.stages.mining.by_owner_country.',
                'series.capacity_built_by_owner.', 'series.investment_usd.', 'series.cost_usd.', 'series.co2_t.', 'series.water_m3.', 'series.unmet.', 'builds.'],
  seriesPrefixes: ['series.demand_price_usd.', 'series.market_price_usd.', 'series.capacity_built_by_owner.mining.', 'series.investment_usd.*.',
                   'series.stages.mining.by_country.', 'series.stages.mining.hhi_owner_country', 'series.cost_usd.', 'series.co2_t', 'series.water_m3', 'series.unmet.'],
  toggles: [{ toggle: 'pw-shares-by', button: 'by_owner_country', series: '.by_owner_country.' },
            { toggle: 'pw-investment-stage', button: 'mining', series: 'series.investment_usd.mining.' }],
});
// Two pathways compared (cadena compare A B --report on their folders): B with a carbon price.
// The truth is what --json printed in the same call and each folder's summary.json.
cli(['run', '--years', '2024:2030:3', ...pathwayStress, '--set', 'carbon_price_usd_per_t=100', '--quiet', '--out', path.join(out, 'pathway-b')]);
const pathwayCompareJson = cli(['compare', path.join(out, 'pathway'), path.join(out, 'pathway-b'), '--json', '--report',
  path.join(out, 'pathway-b', 'compare.html')]);
reports.push({
  kind: 'pathway_compare', file: path.join(out, 'pathway-b', 'compare.html'),
  truth: Object.assign(JSON.parse(pathwayCompareJson), {
    summary_a: reports[reports.length - 1].truth,
    summary_b: JSON.parse(fs.readFileSync(path.join(out, 'pathway-b', 'summary.json'), 'utf8')),
  }),
  charts: ['pwc-cost', 'pwc-capex', 'pwc-co2', 'pwc-water', 'pwc-output-mining', 'a-pw-capacity-mining', 'b-pw-capacity-mining',
           'a-pw-investment', 'b-pw-investment', 'a-pw-shares-mining', 'b-pw-hhi'],
  chartPrefixes: ['pwc-price-', 'a-pw-price-', 'b-pw-price-'], minKeys: 500, minSeries: 150,
  keyPrefixes: ['total_cost_usd.', 'series.cost_usd.delta.', 'series.demand_price_usd.', 'summary_a.series.', 'summary_b.series.stages.', 'summary_b.total_cost_usd'],
  seriesPrefixes: ['series.cost_usd.a', 'series.cost_usd.b', 'series.stage_output.', 'series.demand_price_usd.', 'summary_a.series.investment_usd.*.',
                   'summary_b.series.capacity_built_by_owner.', 'summary_b.series.stages.'],
});
cli(['run', '--years', '2024:2024', '--report', '--quiet', '--out', path.join(out, 'pathway-one')]);
reports.push({
  kind: 'pathway', name: 'pathway-one-year', file: path.join(out, 'pathway-one', 'report.html'),
  truth: JSON.parse(fs.readFileSync(path.join(out, 'pathway-one', 'summary.json'), 'utf8')),
  charts: ['pw-shares-mining', 'pw-hhi', 'pw-cost', 'pw-emissions', 'pw-water'], chartPrefixes: ['pw-price-'], minKeys: 40, minSeries: 20,
  firstScreenOnly: true,  // the full page is the same as the pathway's; saves seconds
});
// Two runs side by side: the baseline's folder (A, read back with its dataset) against a scenario
// solved now (B). The truth is what --json printed in the same call, and each run's summary.json
// for the side-by-side views (B's from its own folder: the LP is deterministic).
const scenarioB = path.join(source, 'scenarios', 'demand-plus-60.toml');
cli(['run', scenarioB, '--quiet', '--out', path.join(out, 'run-b')]);
fs.mkdirSync(path.join(out, 'compare'), { recursive: true });
const compareJson = cli(['compare', path.join(out, 'run'), scenarioB, '--json', '--report', path.join(out, 'compare', 'report.html')]);
reports.push({
  kind: 'compare', file: path.join(out, 'compare', 'report.html'),
  truth: Object.assign(JSON.parse(compareJson), {
    summary_a: reports[0].truth,
    summary_b: JSON.parse(fs.readFileSync(path.join(out, 'run-b', 'summary.json'), 'utf8')),
  }),
  charts: ['delta-totals', 'delta-prices', 'delta-shares', 'delta-value-added', 'delta-flows',
           'a-sankey', 'b-sankey', 'a-map', 'b-map', 'a-shares', 'b-shares', 'a-footprint-emissions', 'b-footprint-water'],
  chartPrefixes: ['a-price-', 'b-price-'], minKeys: 150, keyPrefixes: ['totals.', 'prices.', 'stages.', 'value_added.', 'flows.', 'summary_a.', 'summary_b.'],
});
const project = path.join(source, 'examples', 'projects', 'cauchari_olaroz_2017.toml');
cli(['project', 'evaluate', project, '--paths', '2000', '--seed', '7', '--report', '--out', path.join(out, 'project')]);
reports.push({
  kind: 'project', file: path.join(out, 'project', 'report.html'),
  truth: JSON.parse(fs.readFileSync(path.join(out, 'project', 'summary.json'), 'utf8')),
  charts: ['waterfall', 'cashflow', 'tornado', 'spider', 'npv-distribution'], minKeys: 8,
});
// A vertical section, 40 x 20 blocks of 100 t, with a buried ore body: grade falls off from 3 %
// at its centre, so the pit grows shell by shell with the revenue factor.
fs.mkdirSync(path.join(out, 'pit'), { recursive: true });
let blocks = 'i,j,k,tonnes,grade\n';
for (let k = 0; k < 20; ++k)
  for (let i = 0; i < 40; ++i)
    blocks += `${i},0,${k},100,${(0.03 * Math.exp(-((i - 20) ** 2 / 60 + (k - 8) ** 2 / 30))).toFixed(6)}\n`;
fs.writeFileSync(path.join(out, 'pit', 'section.csv'), blocks);
const pitJson = cli(['pit', 'shells', '--blocks', path.join(out, 'pit', 'section.csv'), '--price', '1200', '--recovery', '0.9',
  '--mining-cost', '2', '--processing-cost', '8', '--slope', '45', '--rf-min', '0.5', '--rf-max', '1.5', '--rf-step', '0.1',
  '--capacity', '3000', '--json', '--report', path.join(out, 'pit', 'report.html')]);
reports.push({
  kind: 'pit_shells', file: path.join(out, 'pit', 'report.html'), truth: JSON.parse(pitJson),
  charts: ['pit-by-pit'], minKeys: 10,
});

times.push(`reports made ${lap()} ms`);

// ---- the checks, in the page ----
// Every canvas pixel that is not transparent counts as drawn; a chart needs some.
async function inspect(page) {
  return page.evaluate(() => {
    const charts = Array.from(document.querySelectorAll('[data-chart]')).map((div) => {
      let drawn = 0, w = 0, h = 0;
      div.querySelectorAll('canvas').forEach((c) => {
        w = Math.max(w, c.width); h = Math.max(h, c.height);
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < data.length; i += 16) if (data[i] !== 0) drawn++;  // every 4th pixel
      });
      return { id: div.getAttribute('data-chart'), drawn, w, h };
    });
    const numbers = Array.from(document.querySelectorAll('[data-key]')).map((e) => ({
      key: e.getAttribute('data-key'), value: Number(e.getAttribute('data-value')), text: e.textContent,
    }));
    // Series that name the summary.json path they draw (the year-series charts).
    const series = [];
    document.querySelectorAll('[data-chart]').forEach((div) => {
      const inst = window.echarts && window.echarts.getInstanceByDom(div);
      if (!inst) return;
      (inst.getOption().series || []).forEach((s) => {
        if (typeof s.id === 'string' && /(^|\.)series\./.test(s.id))
          series.push({ chart: div.getAttribute('data-chart'), id: s.id,
                        data: (s.data || []).map((v) => (v !== null && typeof v === 'object' ? v.value : v)) });
      });
    });
    // Series the page asked for that ECharts did not keep (it drops a series it cannot draw).
    const dropped = [];
    ((window.CADENA && window.CADENA.charts) || []).forEach((c) => {
      const kept = new Set((c.chart.getOption().series || []).map((x) => x.id));
      (c.asked || []).forEach((id) => { if (!kept.has(id)) dropped.push(`${c.id}: ${id}`); });
    });
    return { ready: document.body.getAttribute('data-ready'), charts, numbers, series, dropped };
  });
}

function at(obj, key) {
  return key.split('.').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);
}

// The text of a number as shown ("1,234.5", "12.3 %", "-0.25"): the number it reads as and how
// many decimals it shows. Percent texts are shares x 100.
// A key ending in delta_pct (compare: change relative to A, in percent) is shown with '%' but
// holds percent, not a share.
function readShown(text, key) {
  const m = text.replace(/,/g, '').match(/-?\d+(\.\d+)?(e[-+]?\d+)?/i);
  if (!m) return null;
  const decimals = m[1] ? m[1].length - 1 : 0;
  let v = Number(m[0]);
  const percent = /%/.test(text) && !/delta_pct$/.test(key);
  return { v: percent ? v / 100 : v, tol: (m[2] ? Math.abs(v) * 0.01 : 0.5 * 10 ** -decimals) / (percent ? 100 : 1) };
}

// The series at a dotted path; a `*` level sums the series under every key there.
function seriesAt(obj, key) {
  const parts = key.split('.');
  const rec = (o, i) => {
    if (o === undefined || o === null) return undefined;
    if (i === parts.length) return o;
    if (parts[i] !== '*') return rec(o[parts[i]], i + 1);
    const all = Object.values(o).map((v) => rec(v, i + 1)).filter((v) => Array.isArray(v));
    return all.length ? all.reduce((a, b) => a.map((x, t) => (x || 0) + (b[t] || 0))) : undefined;
  };
  return rec(obj, 0);
}
const asNumber = (v) => (typeof v === 'number' ? v : NaN);

function judgeSeries(r, seen) {
  const fails = [];
  if ((seen.series || []).length < (r.minSeries || 0)) fails.push(`only ${seen.series.length} checked chart series (expected >= ${r.minSeries})`);
  for (const p of r.seriesPrefixes || [])
    if (!seen.series.some((s) => s.id.startsWith(p))) fails.push(`no chart series '${p}*'`);
  let bad = 0;
  for (const x of (seen.dropped || []).slice(0, 5)) fails.push(`chart ${x.split(':')[0]} dropped its series${x.slice(x.indexOf(':') + 1)} (not drawable)`);
  if ((seen.dropped || []).length > 5) fails.push(`... ${seen.dropped.length} series dropped in all`);
  for (const s of seen.series || []) {
    const truth = seriesAt(r.truth, s.id);
    if (!Array.isArray(truth)) { if (bad++ < 10) fails.push(`chart '${s.chart}' series ${s.id} is no series in the run's JSON`); continue; }
    if (truth.length !== s.data.length) { if (bad++ < 10) fails.push(`chart '${s.chart}' series ${s.id}: ${s.data.length} points, JSON ${truth.length} years`); continue; }
    truth.forEach((tv, t) => {
      const a = asNumber(s.data[t]), b = asNumber(tv);
      const same = (isNaN(a) && isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
      if (!same && bad++ < 10) fails.push(`chart '${s.chart}' series ${s.id}[${t}]: chart has ${s.data[t]}, JSON ${tv}`);
    });
  }
  return fails;
}

function judge(r, seen) {
  const fails = [];
  if (seen.ready !== 'true') fails.push(`not drawn (data-ready=${seen.ready})`);
  const ids = seen.charts.map((c) => c.id);
  for (const id of r.charts) if (!ids.includes(id)) fails.push(`chart '${id}' missing`);
  for (const p of r.chartPrefixes || []) if (!ids.some((id) => id.startsWith(p))) fails.push(`no chart '${p}*'`);
  for (const c of seen.charts) {
    if (c.w === 0 || c.h === 0) fails.push(`chart '${c.id}' has no canvas`);
    else if (c.drawn < 50) fails.push(`chart '${c.id}' is blank (${c.drawn} sampled pixels drawn)`);
  }
  if (seen.numbers.length < r.minKeys) fails.push(`only ${seen.numbers.length} checked numbers (expected >= ${r.minKeys})`);
  for (const p of r.keyPrefixes || [])
    if (!seen.numbers.some((n) => n.key.startsWith(p))) fails.push(`no checked number under '${p}'`);
  for (const n of seen.numbers) {
    const truth = at(r.truth, n.key);
    if (typeof truth !== 'number') { fails.push(`shown ${n.key} is not a number in the run's JSON (${truth})`); continue; }
    if (Math.abs(n.value - truth) > 1e-9 * Math.max(1, Math.abs(truth))) fails.push(`${n.key}: page has ${n.value}, JSON ${truth}`);
    const shown = readShown(n.text, n.key);
    if (!shown) fails.push(`${n.key}: shown text '${n.text}' is not a number`);
    else if (Math.abs(shown.v - truth) > shown.tol * 1.0001 + 1e-12) fails.push(`${n.key}: shown '${n.text}' but JSON ${truth}`);
  }
  return fails.concat(judgeSeries(r, seen));
}

// ---- look-through ownership on the map ----
// facilities.csv as records (quoted fields may hold commas and doubled quotes).
function readCsv(file) {
  const rows = [];
  let field = '', row = [], quoted = false;
  const text = fs.readFileSync(file, 'utf8');
  for (let i = 0; i < text.length; ++i) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; ++i; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (ch !== '\r') field += ch;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}
// The owner countries a facility may be coloured by: those with the largest share in
// "CC:0.5;DD:0.25" (ties: any of them), 'unattributed' when none is given.
function dominantOwners(text) {
  const list = (text || '').split(';').filter(Boolean).map((x) => { const i = x.lastIndexOf(':'); return [x.slice(0, i), Number(x.slice(i + 1))]; });
  if (!list.length) return ['unattributed'];
  const max = Math.max(...list.map((x) => x[1]));
  return list.filter((x) => x[1] >= max - 1e-9).map((x) => x[0]);
}
// The map colours each producing facility by the dominant owner country of facilities.csv's
// owner_countries; after a click on "look-through owners", of its ultimate_owner_countries.
async function checkOwnership(page, csvFile) {
  const fails = [];
  const facilities = readCsv(csvFile).filter((f) => Number(f.output) > 0 && !(Number(f.lat) === 0 && Number(f.lon) === 0));
  if (!facilities.length || !('ultimate_owner_countries' in facilities[0])) return [`${csvFile} has no ultimate_owner_countries column`];
  const compare = (shown, column) => {
    let bad = 0;
    for (const f of facilities) {
      const ok = dominantOwners(f[column]);
      if (!ok.includes(shown.owners[f.id])) {
        if (bad++ < 5) fails.push(`map (${shown.mode}): ${f.id} coloured as ${shown.owners[f.id]}, facilities.csv ${column} says ${ok.join(' or ')}`);
      }
    }
    if (Object.keys(shown.owners).length !== facilities.length)
      fails.push(`map (${shown.mode}) shows ${Object.keys(shown.owners).length} facilities, facilities.csv has ${facilities.length} producing with coordinates`);
  };
  const direct = await page.evaluate(() => window.CADENA.mapOwners && window.CADENA.mapOwners.map);
  if (!direct || direct.mode !== 'direct') return ['the map does not say what it colours by (CADENA.mapOwners.map)'];
  compare(direct, 'owner_countries');
  const button = page.locator('[data-toggle=ownership] button[data-id=lookthrough]');
  if (await button.isDisabled()) return fails.concat(['the look-through switch is disabled although the dataset has stakes']);
  await button.click();
  const lt = await page.evaluate(() => window.CADENA.mapOwners.map);
  if (lt.mode !== 'lookthrough') fails.push(`after the click the map is in mode ${lt.mode}`);
  compare(lt, 'ultimate_owner_countries');
  const changed = facilities.filter((f) => direct.owners[f.id] !== lt.owners[f.id]).length;
  // At least one facility changes colour: a majority owner held by a company of another country.
  if (!changed) fails.push('look-through changes no facility\'s colour');
  const drawn = await page.evaluate(() => {
    const c = document.querySelector('[data-chart=map] canvas');
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0; for (let i = 3; i < data.length; i += 16) if (data[i] !== 0) n++;
    return n;
  });
  if (drawn < 50) fails.push('the map is blank after the switch');
  return { fails, changed };
}

// ---- the browser ----
// playwright-core starts Chromium with a fresh temporary profile (its --user-data-dir).
const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  chromiumSandbox: false,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--disable-dev-shm-usage'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
// Playwright's default of 30 s per action (a full-page screenshot among them) is a timing test
// on a loaded machine: a screenshot took 30 s once while other builds held both cores. Allow what
// the page loads get (120 s); ctest's 300 s timeout stays the bound for the whole test.
context.setDefaultTimeout(120000);
times.push(`chromium started ${lap()} ms`);

async function check(r, file) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const url = 'file://' + file;
  await page.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    problems.push(`request to ${route.request().url()}`);
    return route.abort();
  });
  // The page's main-thread task time (DevTools Performance metrics): what drawing costs the
  // browser, less sensitive than the wall clock to other processes on the machine.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const t = Date.now();
  await page.goto(url, { waitUntil: 'load', timeout: 120000 });
  await page.waitForSelector('body[data-ready]', { timeout: 120000 }).catch(() => problems.push('never drawn'));
  const ms = Date.now() - t;
  const metrics = (await cdp.send('Performance.getMetrics')).metrics;
  const task = Math.round(1000 * (metrics.find((m) => m.name === 'TaskDuration') || { value: 0 }).value);
  const seen = await inspect(page);
  return { page, ms, task, seen, fails: problems.concat(judge(r, seen)) };
}

const only = args.only ? args.only.split(',') : null;
const wanted = (r) => !only || only.includes(r.name || r.kind);
let passed = 0, failed = 0;
for (const r of reports.filter(wanted)) {
  const { page, ms, task, seen, fails } = await check(r, r.file);
  const name = r.name || r.kind;

  times.push(`${name} checked ${lap()} ms`);
  await page.screenshot({ path: path.join(out, name + '.png'), fullPage: !r.firstScreenOnly });
  // The first screen of the run report is README's picture (docs/report-screenshot.png, made
  // from this file with pngquant).
  if (name === 'run') await page.screenshot({ path: path.join(out, 'run-top.png') });
  // The pathway's capacity and investment views: docs/pathway-report-screenshot.png (pngquant).
  if (name === 'pathway') {
    const box = await page.evaluate(() => {
      const a = document.getElementById('pw-capacity').getBoundingClientRect(), b = document.getElementById('pw-investment').getBoundingClientRect();
      return { x: 0, y: a.top + window.scrollY, width: document.documentElement.clientWidth, height: b.bottom - a.top };
    });
    await page.screenshot({ path: path.join(out, 'pathway-capacity.png'), clip: box, fullPage: true });
  }
  // After the screenshots (they show the direct owners): the look-through switch.
  let ownership = '';
  if (r.ownership) {
    const o = await checkOwnership(page, r.ownership);
    if (Array.isArray(o)) fails.push(...o);
    else { fails.push(...o.fails); ownership = `, look-through recolours ${o.changed} facilities`; }
  }
  // Switches of the year-series views: after a click the charts draw the other series, which
  // must still match the JSON.
  for (const t of r.toggles || []) {
    const button = page.locator(`[data-toggle=${t.toggle}] button[data-id=${t.button}]`);
    if (!(await button.count())) { fails.push(`no switch ${t.toggle}/${t.button}`); continue; }
    await button.click();
    const after = await inspect(page);
    // (what the page asked for at load no longer applies after a switch: `dropped` is not judged)
    fails.push(...judgeSeries({ truth: r.truth }, { ...after, dropped: [] }).map((f) => `after ${t.toggle}=${t.button}: ${f}`));
    if (!after.series.some((x) => x.id.includes(t.series))) fails.push(`after ${t.toggle}=${t.button} no chart draws '${t.series}'`);
    else ownership += `, ${t.toggle}=${t.button} ok`;
  }
  await page.close();
  times.push(`${name} screenshots ${lap()} ms`);
  const size = fs.statSync(r.file).size;
  if (fails.length) {
    failed++;
    console.log(`FAIL ${name}: ${r.file}`);
    for (const f of fails) console.log('  ' + f);
  } else {
    passed++;
    console.log(`ok   ${name}: ${seen.charts.length} charts drawn, ${seen.numbers.length} numbers match, ` +
                (seen.series.length ? `${seen.series.length} year series match, ` : '') +
                `${(size / 1e6).toFixed(2)} MB, drawn in ${ms} ms (main-thread tasks ${task} ms)${ownership}`);
  }
}

// ---- the check must catch a broken report ----
const html = fs.readFileSync(reports[0].file, 'utf8');
const pathwayReport = reports.find((r) => r.kind === 'pathway');
const pathwayHtml = fs.readFileSync(pathwayReport.file, 'utf8');
const breaks = [
  { name: 'a chart with an unknown series type', from: "type: 'sankey'", to: "type: 'no_such_series'", expect: /sankey/ },
  { name: 'a number that differs from summary.json', from: '"objective_usd":', to: '"objective_usd":1.5,"was_objective_usd":', expect: /objective_usd/ },
  // The year-series charts: their line type broken, one series shifted by a year.
  { name: 'year-series charts with an unknown series type', report: pathwayReport, html: pathwayHtml,
    from: "var LINE = 'line'", to: "var LINE = 'no_such_series'", expect: /pw-.*dropped its series/ },
  { name: 'a year series that differs from summary.json', report: pathwayReport, html: pathwayHtml,
    from: '"co2_t":[', to: '"co2_t":[1.5,', expect: /series\.co2_t/ },
];
// Both broken copies are checked at once (two pages): each must fail for its own reason.
const results = await Promise.all(breaks.filter((b) => wanted(b.report || reports[0])).map(async (b, i) => {
  const text = b.html || html;
  if (!text.includes(b.from)) return { b, missing: true };
  const file = path.join(out, `broken-${i}.html`);
  fs.writeFileSync(file, text.replace(b.from, b.to));
  const { page, fails } = await check(b.report || reports[0], file);
  await page.close();
  return { b, fails };
}));
for (const { b, missing, fails } of results) {
  if (missing) { failed++; console.log(`FAIL self-check '${b.name}': '${b.from}' not in the report`); continue; }
  if (fails.some((f) => b.expect.test(f))) {
    passed++;
    console.log(`ok   self-check: ${b.name} is caught (${fails.find((f) => b.expect.test(f))})`);
  } else {
    failed++;
    console.log(`FAIL self-check: ${b.name} went unnoticed (${fails.join('; ') || 'no failure'})`);
  }
}
times.push(`self-checks ${lap()} ms`);
await browser.close();
console.log('times: ' + times.join(', '));
console.log(`browser_reports: ${((Date.now() - t0) / 1000).toFixed(1)} s, screenshots in ${out}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
