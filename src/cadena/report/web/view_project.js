/* View "project": one project's economics (cadena project evaluate --report): the headline
 * metrics, a waterfall from revenue to after-tax cash flow, cash flows by year, the tornado, the
 * spider and the after-tax NPV distribution of the Monte Carlo. Amounts in MUSD as the model
 * reports them. */
(function () {
  'use strict';
  var C = window.CADENA;

  function sum(rows, k) { return rows.reduce(function (a, r) { return a + (r[k] || 0); }, 0); }

  function waterfall(parent, rows) {
    var steps = [['revenue', 'revenue', 1], ['opex', 'operating cost', -1], ['royalties', 'royalties', -1],
      ['export_duty', 'export duties', -1], ['development_capex', 'development capex', -1], ['sustaining_capex', 'sustaining capex', -1],
      ['closure', 'closure', -1], ['working_capital_change', 'working capital', -1], ['income_tax', 'income tax', -1]];
    var names = [], base = [], up = [], down = [], level = 0;
    steps.forEach(function (s) {
      var v = s[2] * sum(rows, s[0]);
      if (Math.abs(v) < 1e-9 && s[0] !== 'revenue') return;
      names.push(s[1]);
      var next = level + v;
      base.push(Math.min(level, next));
      up.push(v >= 0 ? v : '-');
      down.push(v < 0 ? -v : '-');
      level = next;
    });
    var total = sum(rows, 'after_tax_cf');
    if (Math.abs(total - level) > 1e-6 * Math.max(1, Math.abs(total))) {  // anything the split above misses
      var v = total - level;
      names.push('other'); base.push(Math.min(level, total)); up.push(v >= 0 ? v : '-'); down.push(v < 0 ? -v : '-');
    }
    names.push('after-tax cash flow'); base.push(Math.min(0, total)); up.push(total >= 0 ? total : '-'); down.push(total < 0 ? -total : '-');
    C.chart(parent, 'waterfall', {
      title: { text: 'From revenue to after-tax cash flow, undiscounted (MUSD)', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: function (ps) {
        var p = ps.filter(function (x) { return x.seriesName !== 'base' && x.value !== '-'; })[0];
        return p ? p.name + ': ' + (p.seriesName === 'decrease' ? '-' : '') + C.num(p.value) + ' MUSD' : ''; } },
      grid: { left: 70, right: 20, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: 'value' },
      series: [
        { name: 'base', type: 'bar', stack: 'w', itemStyle: { color: 'transparent' }, data: base },
        { name: 'increase', type: 'bar', stack: 'w', itemStyle: { color: '#2ca02c' }, data: up },
        { name: 'decrease', type: 'bar', stack: 'w', itemStyle: { color: '#d62728' }, data: down }]
    }, 360);
  }

  function cashflow(parent, rows) {
    var neg = function (k) { return rows.map(function (r) { return -(r[k] || 0); }); };
    var cum = [], acc = 0;
    rows.forEach(function (r) { acc += r.after_tax_cf; cum.push(acc); });
    C.chart(parent, 'cashflow', {
      title: { text: 'Cash flows by year (MUSD)', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return C.num(v) + ' MUSD'; } },
      legend: { bottom: 0, type: 'scroll' },
      grid: { left: 70, right: 70, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: rows.map(function (r) { return r.year; }), name: 'year' },
      yAxis: [{ type: 'value', name: 'per year' }, { type: 'value', name: 'cumulative' }],
      series: [
        { name: 'revenue', type: 'bar', stack: 'c', data: rows.map(function (r) { return r.revenue; }), itemStyle: { color: '#9ecae1' } },
        { name: 'opex', type: 'bar', stack: 'c', data: neg('opex'), itemStyle: { color: '#fdae6b' } },
        { name: 'government', type: 'bar', stack: 'c', data: rows.map(function (r) { return -(r.royalties + r.export_duty + r.income_tax); }), itemStyle: { color: '#e377c2' } },
        { name: 'capex and closure', type: 'bar', stack: 'c', data: rows.map(function (r) { return -(r.development_capex + r.sustaining_capex + r.closure); }), itemStyle: { color: '#8c564b' } },
        { name: 'after-tax cash flow', type: 'line', data: rows.map(function (r) { return r.after_tax_cf; }), itemStyle: { color: '#1f77b4' } },
        { name: 'cumulative', type: 'line', yAxisIndex: 1, data: cum, lineStyle: { type: 'dashed' }, itemStyle: { color: '#333' } }]
    }, 360);
  }

  function tornado(parent, s) {
    var bars = (s.tornado || []).slice();
    var npv = s.metrics.npv_after_tax_musd;
    C.chart(parent, 'tornado', {
      title: { text: 'Tornado: after-tax NPV with one input at its P10 / P90 (MUSD)', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'item', formatter: function (p) { var b = bars[p.dataIndex];
        return b.variable + ': input ' + C.num(b.low_input) + ' → NPV ' + C.num(b.npv_low_musd) + '; input ' + C.num(b.high_input) + ' → NPV ' + C.num(b.npv_high_musd); } },
      grid: { left: 100, right: 30, top: 40, bottom: 30 },
      xAxis: { type: 'value', name: 'MUSD' },
      yAxis: { type: 'category', data: bars.map(function (b) { return b.variable; }), inverse: true },
      series: [
        { name: 'base', type: 'bar', stack: 't', itemStyle: { color: 'transparent' }, data: bars.map(function (b) { return Math.min(b.npv_low_musd, b.npv_high_musd); }) },
        { name: 'swing', type: 'bar', stack: 't', itemStyle: { color: '#1f77b4' }, data: bars.map(function (b) { return Math.abs(b.npv_high_musd - b.npv_low_musd); }),
          markLine: { symbol: 'none', data: [{ xAxis: npv, name: 'base NPV' }], lineStyle: { color: '#d62728' }, label: { formatter: 'base' } } }]
    }, 80 + 40 * bars.length);
  }

  function spider(parent, pts) {
    var byVar = {};
    pts.forEach(function (p) { (byVar[p.variable] = byVar[p.variable] || []).push([p.change, p.npv_after_tax_musd]); });
    C.chart(parent, 'spider', {
      title: { text: 'Spider: after-tax NPV as each input moves (MUSD)', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 70, right: 20, top: 40, bottom: 60 },
      xAxis: { type: 'value', name: 'change (fraction; ramp delay: years)' },
      yAxis: { type: 'value', name: 'MUSD' },
      series: Object.keys(byVar).map(function (v) { return { name: v, type: 'line', data: byVar[v], itemStyle: { color: C.colour(v) } }; })
    }, 360);
  }

  function distribution(parent, h, mc) {
    var mids = [], counts = h.counts;
    for (var i = 0; i < counts.length; ++i) mids.push((h.edges[i] + h.edges[i + 1]) / 2);
    var marks = ['p10', 'p50', 'p90'].map(function (k) { return { xAxis: mc.npv_after_tax_musd[k], name: k.toUpperCase() }; });
    C.chart(parent, 'npv-distribution', {
      title: { text: 'Monte Carlo: after-tax NPV over ' + C.num(mc.paths) + ' paths (MUSD)', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'item', formatter: function (p) { return C.num(h.edges[p.dataIndex]) + ' – ' + C.num(h.edges[p.dataIndex + 1]) + ' MUSD: ' + counts[p.dataIndex] + ' paths'; } },
      grid: { left: 60, right: 20, top: 40, bottom: 40 },
      xAxis: { type: 'value', min: h.edges[0], max: h.edges[h.edges.length - 1], name: 'MUSD',
               axisLabel: { showMinLabel: false, showMaxLabel: false, formatter: function (v) { return C.num(v, 0); } } },
      yAxis: { type: 'value', name: 'paths' },
      series: [{ type: 'bar', barWidth: '90%', data: mids.map(function (m, i) { return [m, counts[i]]; }), itemStyle: { color: '#6baed6' },
                 markLine: { symbol: 'none', data: marks, label: { formatter: '{b}' }, lineStyle: { color: '#333' } } }]
    }, 340);
  }

  C.views.project = function (d, root) {
    var s = d.summary, m = s.metrics, g = m.government_take;
    C.kpis(root, [
      { label: 'NPV after tax', value: m.npv_after_tax_musd, unit: 'MUSD', key: 'metrics.npv_after_tax_musd', digits: 1 },
      { label: 'IRR after tax', value: m.irr_after_tax, text: C.pct(m.irr_after_tax), key: 'metrics.irr_after_tax' },
      { label: 'NPV pre-tax', value: m.npv_pre_tax_musd, unit: 'MUSD', key: 'metrics.npv_pre_tax_musd', digits: 1 },
      { label: 'IRR pre-tax', value: m.irr_pre_tax, text: C.pct(m.irr_pre_tax), key: 'metrics.irr_pre_tax' },
      { label: 'payback from production', value: m.payback_from_production_years, unit: 'years', key: 'metrics.payback_from_production_years', digits: 2 },
      { label: 'breakeven price', value: m.breakeven_price_usd_per_t, unit: 'USD/t', key: 'metrics.breakeven_price_usd_per_t', digits: 0 },
      { label: 'government take', value: g.total_musd, unit: 'MUSD', key: 'metrics.government_take.total_musd', digits: 1 },
      { label: 'government share of pre-government cash flow', value: g.share_of_pre_government_cf, text: C.pct(g.share_of_pre_government_cf), key: 'metrics.government_take.share_of_pre_government_cf' }
    ].filter(function (k) { return typeof k.value === 'number'; }));
    if (s.published) root.appendChild(C.el('p', { class: 'note', text: 'Published: NPV after tax ' + C.num(s.published.npv_after_tax_musd) + ' MUSD, IRR ' + C.pct(s.published.irr_after_tax) + ' (' + s.published.source + ')' }));
    var rows = d.cashflow || [];
    var econ = C.section(root, 'economics', 'Cash flows', 'Undiscounted totals over the life, then year by year.');
    waterfall(econ, rows);
    cashflow(econ, rows);
    C.table(C.details(econ, 'Cash flow table (MUSD)'), 'cashflow', ['year', 'phase', 'production_t', 'revenue', 'opex', 'royalties', 'export_duty',
      'development_capex', 'sustaining_capex', 'closure', 'working_capital_change', 'income_tax', 'pre_tax_cf', 'after_tax_cf', 'discount_factor']
      .map(function (k) { return { key: k, label: k.replace(/_/g, ' '), num: k !== 'phase', fmt: k === 'year' ? function (v) { return String(v); } : undefined }; }), rows.slice());
    var sens = C.section(root, 'sensitivity', 'Sensitivity', 'Tornado: each input at its P10 and P90, the others at base. Spider: each input moved -30 % to +30 % (ramp delay 0 to 3 years).');
    tornado(sens, s);
    C.table(C.details(sens, 'Tornado (table)'), 'tornado', [{ key: 'variable', label: 'input' },
      { key: 'low_input', label: 'P10 input', num: true }, { key: 'high_input', label: 'P90 input', num: true },
      { key: 'npv_low_musd', label: 'NPV at P10 (MUSD)', num: true, fmt: function (v) { return C.num(v, 1); }, dataKey: function (r) { return 'tornado.' + r.index + '.npv_low_musd'; } },
      { key: 'npv_high_musd', label: 'NPV at P90 (MUSD)', num: true, fmt: function (v) { return C.num(v, 1); }, dataKey: function (r) { return 'tornado.' + r.index + '.npv_high_musd'; } }],
      (s.tornado || []).map(function (b, i) { return Object.assign({ index: i }, b); }));
    spider(sens, d.spider || []);
    if (s.montecarlo && d.npv_histogram) {
      var mc = C.section(root, 'montecarlo', 'Monte Carlo', 'After-tax NPV over correlated draws of the uncertain inputs.');
      var q = s.montecarlo.npv_after_tax_musd;
      C.kpis(mc, [
        { label: 'P10', value: q.p10, unit: 'MUSD', key: 'montecarlo.npv_after_tax_musd.p10', digits: 1 },
        { label: 'P50', value: q.p50, unit: 'MUSD', key: 'montecarlo.npv_after_tax_musd.p50', digits: 1 },
        { label: 'P90', value: q.p90, unit: 'MUSD', key: 'montecarlo.npv_after_tax_musd.p90', digits: 1 },
        { label: 'P(NPV < 0)', value: s.montecarlo.probability_npv_negative, text: C.pct(s.montecarlo.probability_npv_negative), key: 'montecarlo.probability_npv_negative' }]);
      distribution(mc, d.npv_histogram, s.montecarlo);
    }
  };
})();
