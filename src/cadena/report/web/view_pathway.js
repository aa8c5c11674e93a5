/* View "pathway": a run over years (cadena run --years A:B[:S] --report). Everything comes from
 * the pathway's summary.json (d.summary, its per-year `series`) and the dataset's declarations
 * (products, countries): the year axis is the run's own year set (summary.years), stages,
 * products, units and countries are never assumed. Each year-series chart's series carries as
 * its ECharts `id` the summary.json path it draws (a `*` level is summed over its keys), and
 * every number in the tables a `data-key`: the browser test compares both with summary.json. */
(function () {
  'use strict';
  var C = window.CADENA;
  var LINE = 'line', BAR = 'bar';

  function keys(o) { return Object.keys(o || {}); }
  function sum(a) { return a.reduce(function (s, v) { return s + (typeof v === 'number' && isFinite(v) ? v : 0); }, 0); }
  function nonzero(a) { return (a || []).some(function (v) { return typeof v === 'number' && v !== 0; }); }
  function countryName(d, code) {
    var c = (d.countries || {})[code];
    return c ? c.name : (d.regions || {})[code] || code;
  }
  function unitOf(d, product) {
    var p = (d.products || []).filter(function (x) { return x.id === product; })[0];
    return p ? p.unit : '';
  }
  function stagesOf(d) { return d.stages && d.stages.length ? d.stages : keys(d.summary.series.stages); }
  function yearAxis(d) { return { type: 'category', data: d.summary.years.map(String), name: 'year', nameLocation: 'middle', nameGap: 24 }; }
  function valueAxis(unit) {
    return { type: 'value', name: unit || '', nameTextStyle: { align: 'left' }, axisLabel: { formatter: function (v) { return C.short(v); } } };
  }
  // A line (or bar) series of one summary.json path.
  function seriesOf(path, name, values, extra) {
    var s = { type: LINE, id: path, name: name, data: values.slice(), showSymbol: true, symbolSize: 5 };
    for (var k in extra || {}) s[k] = extra[k];
    return s;
  }

  // A table with one column per year: rows [{..., values: [...], path}], each cell's data-key
  // path.<period index>.
  function yearTable(parent, id, columns, rows, d, fmt) {
    var years = d.summary.years;
    rows.forEach(function (r) { r.values.forEach(function (v, t) { r['y' + t] = v; }); });
    C.table(parent, id, columns.concat(years.map(function (y, t) {
      return { key: 'y' + t, label: String(y), num: true, fmt: fmt, dataKey: function (r) { return r.path ? r.path + '.' + t : null; } };
    })), rows);
  }

  // The sections, for one pathway's data: P.id prefixes chart, table and switch ids, P.key the
  // JSON paths (data-key, series ids) — '' for a pathway's own report, 'a-'/'summary_a.' for the
  // side A of a comparison.
  function sections(P) {
    // ---- headline ----
    function headline(parent, d) {
      var s = d.summary, S = s.series, last = s.years.length - 1, capex = 0;
      (s.builds || []).forEach(function (b) { capex += b.capex_usd; });
      var items = [
        { label: 'discounted total cost', value: s.total_cost_usd, unit: 'USD', key: P.key + 'total_cost_usd' },
        { label: 'discount rate', value: s.discount_rate, text: C.pct(s.discount_rate), key: P.key + 'discount_rate' },
        { label: 'capex of the builds', value: capex, unit: 'USD' },
        { label: 'CO2 in ' + s.years[last], value: S.co2_t[last], unit: 't CO2', key: P.key + 'series.co2_t.' + last }];
      stagesOf(d).forEach(function (st) {
        var x = S.stages[st];
        if (x) items.push({ label: st + ' output ' + s.years[last], value: x.output[last], unit: x.unit, key: P.key + 'series.stages.' + st + '.output.' + last });
      });
      C.kpis(parent, items);
    }

    // ---- prices: one chart per product, a line per demand region, the market price range dashed ----
    function prices(parent, d) {
      var S = d.summary.series, dp = S.demand_price_usd || {}, mp = S.market_price_usd || {};
      var grid = C.el('div', { class: 'multiples' });
      parent.appendChild(grid);
      var rows = [];
      keys(dp).forEach(function (p) {
        var unit = unitOf(d, p), series = [];
        keys(dp[p]).forEach(function (r) {
          var path = P.key + 'series.demand_price_usd.' + p + '.' + r;
          series.push(seriesOf(path, r, dp[p][r], { itemStyle: { color: C.colour(r) } }));
          rows.push({ product: p, region: r, unit: 'USD/' + unit, values: dp[p][r], path: path });
        });
        if (mp[p]) ['min', 'max'].forEach(function (m) {
          series.push(seriesOf(P.key + 'series.market_price_usd.' + p + '.' + m, 'market ' + m, mp[p][m],
            { lineStyle: { type: 'dashed', color: '#888' }, itemStyle: { color: '#888' }, symbolSize: 3 }));
        });
        var cell = C.el('div');
        grid.appendChild(cell);
        C.chart(cell, P.id + 'pw-price-' + p, {
          title: { text: p + ' (USD/' + (unit || 'unit') + ')', textStyle: { fontSize: 12 } },
          tooltip: { trigger: 'axis', confine: true, valueFormatter: function (v) { return C.num(v) + ' USD/' + unit; } },
          legend: { type: 'scroll', bottom: 0, textStyle: { fontSize: 10 } },
          grid: { left: 70, right: 15, top: 35, bottom: 55 },
          xAxis: yearAxis(d), yAxis: valueAxis(), series: series
        }, 280);
      });
      if (!rows.length) parent.appendChild(C.el('p', { class: 'note', text: 'No demand prices in this run.' }));
      yearTable(C.details(parent, 'Prices by year (table)'), P.id + 'pw-prices',
        [{ key: 'product', label: 'product' }, { key: 'region', label: 'region' }, { key: 'unit', label: 'unit' }], rows, d);
    }

    // ---- capacity built and investment: per year, bars grouped by host country (one stack per
    // host), stacked by owner nationality. `tree` is stage -> host -> owner -> series; `stage` null
    // sums the stages (investment in USD adds up; capacity has a unit per stage).
    function hostOwnerSeries(d, tree, root, stage) {
      var byHost = {};
      (stage ? [stage] : keys(tree)).forEach(function (s) {
        keys(tree[s]).forEach(function (h) {
          keys(tree[s][h]).forEach(function (o) {
            var v = tree[s][h][o];
            if (!nonzero(v)) return;
            var acc = (byHost[h] = byHost[h] || {});
            if (!acc[o]) acc[o] = v.map(function () { return 0; });
            v.forEach(function (x, t) { acc[o][t] += x || 0; });
          });
        });
      });
      var hosts = keys(byHost).sort(function (a, b) {
        var ta = 0, tb = 0;
        keys(byHost[a]).forEach(function (o) { ta += sum(byHost[a][o]); });
        keys(byHost[b]).forEach(function (o) { tb += sum(byHost[b][o]); });
        return tb - ta;
      });
      var series = [];
      hosts.forEach(function (h) {
        var owners = keys(byHost[h]), n = d.summary.years.length, total = [];
        for (var t = 0; t < n; ++t) total.push(owners.reduce(function (s, o) { return s + byHost[h][o][t]; }, 0));
        owners.forEach(function (o, i) {
          series.push({
            type: BAR, stack: h, name: o, id: root + '.' + (stage || '*') + '.' + h + '.' + o, data: byHost[h][o],
            itemStyle: { color: C.colour(o) },
            label: i === owners.length - 1 ? { show: true, position: 'top', fontSize: 9, formatter: function (p) { return total[p.dataIndex] > 0 ? h : ''; } } : undefined
          });
        });
      });
      return series;
    }
    function hostOwnerChart(parent, d, id, title, unit, build) {
      var chart = C.chart(parent, id, option(build()), 340);
      function option(series) {
        return {
          title: { text: title, textStyle: { fontSize: 12 } },
          tooltip: { trigger: 'item', confine: true, formatter: function (p) {
            var parts = p.seriesId.split('.'), host = parts[parts.length - 2];
            return p.name + ' · built in ' + host + ' ' + countryName(d, host) + ', owned from ' + p.seriesName + ' ' + countryName(d, p.seriesName) +
              '<br>' + C.num(p.value) + ' ' + unit;
          } },
          legend: { type: 'scroll', bottom: 0, textStyle: { fontSize: 10 } },
          grid: { left: 70, right: 15, top: 40, bottom: 60 },
          xAxis: yearAxis(d), yAxis: valueAxis(unit), series: series
        };
      }
      return { update: function () { chart.setOption(option(build()), { replaceMerge: ['series'] }); } };
    }
    // The ownership toggle: direct, and look-through when the run has `<root>_lookthrough`.
    function ownershipToggle(parent, d, root, name, onChange) {
      var lt = d.summary.series[root + '_lookthrough'];
      var bar = C.el('div', { class: 'controls' });
      parent.appendChild(bar);
      C.toggle(bar, name, [{ id: 'direct', label: 'direct owners' },
        { id: 'lookthrough', label: 'look-through owners', disabled: !lt, title: lt ? '' : 'this run has no look-through owners for this view' }],
      'direct', function (m) { onChange(m === 'lookthrough' ? root + '_lookthrough' : root); });
    }
    function hostOwnerRows(tree, root, unitOfStage) {
      var rows = [];
      keys(tree).forEach(function (s) {
        keys(tree[s]).forEach(function (h) {
          keys(tree[s][h]).forEach(function (o) {
            var v = tree[s][h][o];
            if (nonzero(v)) rows.push({ stage: s, host: h, owner: o, unit: unitOfStage(s), total: sum(v), values: v, path: root + '.' + s + '.' + h + '.' + o });
          });
        });
      });
      return rows;
    }
    var hostOwnerColumns = [{ key: 'stage', label: 'stage' }, { key: 'host', label: 'host country' }, { key: 'owner', label: 'owner nationality' },
      { key: 'unit', label: 'unit' }, { key: 'total', label: 'all years', num: true }];

    function capacity(parent, d) {
      var S = d.summary.series, root = 'capacity_built_by_owner', tree = S[root] || {}, charts = [];
      var stages = stagesOf(d).filter(function (s) { return tree[s] && keys(tree[s]).some(function (h) { return keys(tree[s][h]).some(function (o) { return nonzero(tree[s][h][o]); }); }); });
      if (!stages.length) { parent.appendChild(C.el('p', { class: 'ok', text: 'No capacity comes online over these years.' })); return; }
      var current = root;
      ownershipToggle(parent, d, root, P.id + 'pw-capacity-owners', function (r) { current = r; charts.forEach(function (c) { c.update(); }); });
      var grid = C.el('div', { class: 'pair' });
      parent.appendChild(grid);
      stages.forEach(function (s) {
        var cell = C.el('div'), unit = (S.stages[s] || {}).unit || '';
        grid.appendChild(cell);
        charts.push(hostOwnerChart(cell, d, P.id + 'pw-capacity-' + s, s + ': capacity coming online (' + unit + ')', unit,
          function () { return hostOwnerSeries(d, S[current] || {}, P.key + 'series.' + current, s); }));
      });
      yearTable(C.details(parent, 'Capacity coming online by host country and owner nationality (table)'), P.id + 'pw-capacity',
        hostOwnerColumns, hostOwnerRows(tree, P.key + 'series.' + root, function (s) { return (S.stages[s] || {}).unit || ''; }), d);
    }

    function investment(parent, d) {
      var S = d.summary.series, root = 'investment_usd', tree = S[root] || {};
      var rows = hostOwnerRows(tree, P.key + 'series.' + root, function () { return 'USD'; });
      if (!rows.length) { parent.appendChild(C.el('p', { class: 'ok', text: 'No capex over these years (committed projects may carry none).' })); return; }
      var current = root, stage = null, chart;
      var bar = C.el('div', { class: 'controls' });
      parent.appendChild(bar);
      ownershipToggle(bar, d, root, P.id + 'pw-investment-owners', function (r) { current = r; chart.update(); });
      C.toggle(bar, P.id + 'pw-investment-stage', [{ id: '*', label: 'all stages' }].concat(stagesOf(d).filter(function (s) { return tree[s]; }).map(function (s) { return { id: s, label: s }; })),
        '*', function (s) { stage = s === '*' ? null : s; chart.update(); });
      chart = hostOwnerChart(parent, d, P.id + 'pw-investment', 'capex by year: bars by host country, stacked by owner nationality (USD)', 'USD',
        function () { return hostOwnerSeries(d, S[current] || {}, P.key + 'series.' + current, stage); });
      // Host x owner over the whole horizon: where whose capital goes.
      var m = {};
      rows.forEach(function (r) { var k = r.host + '|' + r.owner; m[k] = m[k] || { host: r.host, host_name: countryName(d, r.host), owner: r.owner, owner_name: countryName(d, r.owner), usd: 0 }; m[k].usd += r.total; });
      var t = C.details(parent, 'Capex by host country and owner nationality (tables)');
      C.table(t, P.id + 'pw-investment-matrix', [{ key: 'host', label: 'host' }, { key: 'host_name', label: 'host country' }, { key: 'owner', label: 'owner' },
        { key: 'owner_name', label: 'owner nationality' }, { key: 'usd', label: 'capex, all years (USD)', num: true }],
      keys(m).map(function (k) { return m[k]; }).sort(function (a, b) { return b.usd - a.usd; }));
      yearTable(t, P.id + 'pw-investment', hostOwnerColumns, rows, d);
    }

    // ---- shares over time: per stage, stacked areas of the shares by the chosen dimension ----
    function shares(parent, d) {
      var S = d.summary.series, stages = stagesOf(d).filter(function (s) { return S.stages[s] && nonzero(S.stages[s].output); });
      var dims = [['by_country', 'location'], ['by_owner_country', 'owner nationality'], ['by_ultimate_owner_country', 'look-through owners']]
        .filter(function (dim) { return stages.some(function (s) { return keys(S.stages[s][dim[0]]).length; }); });
      var dim = 'by_country', charts = [];
      var bar = C.el('div', { class: 'controls' });
      parent.appendChild(bar);
      C.toggle(bar, P.id + 'pw-shares-by', dims.map(function (x) { return { id: x[0], label: 'by ' + x[1] }; }), dim,
        function (x) { dim = x; charts.forEach(function (c) { c.chart.setOption(c.option(), { replaceMerge: ['series'] }); }); });
      var grid = C.el('div', { class: 'pair' });
      parent.appendChild(grid);
      stages.forEach(function (s) {
        var cell = C.el('div');
        grid.appendChild(cell);
        var option = function () {
          var by = S.stages[s][dim] || {};
          var ks = keys(by).filter(function (k) { return nonzero(by[k]); }).sort(function (a, b) { return sum(by[b]) - sum(by[a]); });
          return {
            title: { text: s + ': shares ' + (dim === 'by_country' ? 'by location' : 'by ' + dims.filter(function (x) { return x[0] === dim; })[0][1]), textStyle: { fontSize: 12 } },
            tooltip: { trigger: 'axis', confine: true, valueFormatter: function (v) { return C.pct(v); } },
            legend: { type: 'scroll', bottom: 0, textStyle: { fontSize: 10 } },
            grid: { left: 50, right: 15, top: 35, bottom: 55 },
            xAxis: yearAxis(d),
            yAxis: { type: 'value', max: 1, axisLabel: { formatter: function (v) { return Math.round(100 * v) + ' %'; } } },
            series: ks.map(function (k) {
              return seriesOf(P.key + 'series.stages.' + s + '.' + dim + '.' + k, k, by[k], { stack: 'share', areaStyle: { opacity: 0.75 }, lineStyle: { width: 0.5 }, symbolSize: 3, itemStyle: { color: C.colour(k) } });
            })
          };
        };
        charts.push({ chart: C.chart(cell, P.id + 'pw-shares-' + s, option(), 320), option: option });
      });
      // HHI of each stage over the years, by location and by owner nationality.
      var hhi = [];
      stages.forEach(function (s, i) {
        [['hhi_country', 'location', 'solid'], ['hhi_owner_country', 'owners', 'dashed'], ['hhi_ultimate_owner_country', 'look-through', 'dotted']].forEach(function (h) {
          if (S.stages[s][h[0]]) hhi.push(seriesOf(P.key + 'series.stages.' + s + '.' + h[0], s + ' · ' + h[1], S.stages[s][h[0]],
            { lineStyle: { type: h[2], color: C.palette[i % C.palette.length] }, itemStyle: { color: C.palette[i % C.palette.length] } }));
        });
      });
      C.chart(parent, P.id + 'pw-hhi', {
        title: { text: 'HHI by stage (0-10,000): solid by location, dashed by owner nationality', textStyle: { fontSize: 12 } },
        tooltip: { trigger: 'axis', confine: true, valueFormatter: function (v) { return C.num(v, 0); } },
        legend: { type: 'scroll', bottom: 0, textStyle: { fontSize: 10 } },
        grid: { left: 60, right: 15, top: 35, bottom: 55 },
        xAxis: yearAxis(d), yAxis: { type: 'value' }, series: hhi
      }, 300);
      var rows = [];
      stages.forEach(function (s) {
        var st = S.stages[s];
        rows.push({ stage: s, by: 'output', key: '', unit: st.unit, values: st.output, path: P.key + 'series.stages.' + s + '.output' });
        rows.push({ stage: s, by: 'capacity', key: '', unit: st.unit, values: st.capacity, path: P.key + 'series.stages.' + s + '.capacity' });
        dims.forEach(function (x) {
          keys(st[x[0]]).forEach(function (k) {
            if (nonzero(st[x[0]][k])) rows.push({ stage: s, by: x[1], key: k, unit: 'share', values: st[x[0]][k], path: P.key + 'series.stages.' + s + '.' + x[0] + '.' + k });
          });
        });
      });
      yearTable(C.details(parent, 'Output, capacity and shares by year (table)'), P.id + 'pw-shares',
        [{ key: 'stage', label: 'stage' }, { key: 'by', label: 'what' }, { key: 'key', label: 'country' }, { key: 'unit', label: 'unit' }], rows, d,
        function (v, r) { return r.unit === 'share' ? C.pct(v) : C.num(v); });
    }

    // ---- cost, emissions, water and unmet demand per year ----
    function costs(parent, d) {
      var S = d.summary.series, parts = keys(S.cost_usd).filter(function (k) { return k !== 'total' && nonzero(S.cost_usd[k]); });
      C.chart(parent, P.id + 'pw-cost', {
        title: { text: 'cost per year by part (USD of the year, undiscounted)', textStyle: { fontSize: 12 } },
        tooltip: { trigger: 'axis', confine: true, valueFormatter: function (v) { return C.short(v) + ' USD'; } },
        legend: { type: 'scroll', bottom: 0 },
        grid: { left: 70, right: 15, top: 35, bottom: 55 },
        xAxis: yearAxis(d), yAxis: valueAxis('USD'),
        series: parts.map(function (k) { return seriesOf(P.key + 'series.cost_usd.' + k, k, S.cost_usd[k], { type: BAR, stack: 'cost' }); })
      }, 320);
      yearTable(C.details(parent, 'Cost per year (table)'), P.id + 'pw-costs', [{ key: 'part', label: 'part' }],
        keys(S.cost_usd).map(function (k) { return { part: k, values: S.cost_usd[k], path: P.key + 'series.cost_usd.' + k }; }), d);
    }

    function footprint(parent, d) {
      var S = d.summary.series, grid = C.el('div', { class: 'pair' });
      parent.appendChild(grid);
      [['co2_t', 't CO2', 'emissions'], ['water_m3', 'm3', 'water']].forEach(function (m) {
        var cell = C.el('div');
        grid.appendChild(cell);
        C.chart(cell, P.id + 'pw-' + m[2], {
          title: { text: m[2] + ' per year (' + m[1] + ')', textStyle: { fontSize: 12 } },
          tooltip: { trigger: 'axis', valueFormatter: function (v) { return C.num(v) + ' ' + m[1]; } },
          grid: { left: 70, right: 15, top: 35, bottom: 40 },
          xAxis: yearAxis(d), yAxis: valueAxis(),
          series: [seriesOf(P.key + 'series.' + m[0], m[2], S[m[0]], { areaStyle: { opacity: 0.2 }, itemStyle: { color: m[0] === 'co2_t' ? '#8c564b' : '#1f77b4' } })]
        }, 280);
      });
      var unmet = S.unmet || {}, rows = [], products = keys(unmet).filter(function (p) { return keys(unmet[p]).some(function (r) { return nonzero(unmet[p][r]); }); });
      if (!products.length) parent.appendChild(C.el('p', { class: 'ok', text: 'Unmet demand: none in any year.' }));
      var ugrid = C.el('div', { class: 'multiples' });
      parent.appendChild(ugrid);
      products.forEach(function (p) {
        var unit = unitOf(d, p), cell = C.el('div');
        ugrid.appendChild(cell);
        var regions = keys(unmet[p]).filter(function (r) { return nonzero(unmet[p][r]); });
        regions.forEach(function (r) { rows.push({ product: p, region: r, unit: unit, values: unmet[p][r], path: P.key + 'series.unmet.' + p + '.' + r }); });
        C.chart(cell, P.id + 'pw-unmet-' + p, {
          title: { text: 'unmet ' + p + ' (' + unit + ')', textStyle: { fontSize: 12 } },
          tooltip: { trigger: 'axis', confine: true, valueFormatter: function (v) { return C.num(v) + ' ' + unit; } },
          legend: { type: 'scroll', bottom: 0, textStyle: { fontSize: 10 } },
          grid: { left: 70, right: 15, top: 35, bottom: 55 },
          xAxis: yearAxis(d), yAxis: valueAxis(),
          series: regions.map(function (r) { return seriesOf(P.key + 'series.unmet.' + p + '.' + r, r, unmet[p][r], { type: BAR, stack: 'unmet', itemStyle: { color: C.colour(r) } }); })
        }, 260);
      });
      yearTable(C.details(parent, 'Emissions, water and unmet demand by year (table)'), P.id + 'pw-footprint',
        [{ key: 'product', label: 'what' }, { key: 'region', label: 'region' }, { key: 'unit', label: 'unit' }],
        [{ product: 'emissions', region: '', unit: 't CO2', values: S.co2_t, path: P.key + 'series.co2_t' },
         { product: 'water', region: '', unit: 'm3', values: S.water_m3, path: P.key + 'series.water_m3' }].concat(rows), d);
    }

    function tables(parent, d) {
      var s = d.summary, builds = (s.builds || []).map(function (b, i) { return Object.assign({ index: i }, b); });
      C.table(C.details(parent, 'Builds (' + builds.length + ')'), P.id + 'pw-builds', [
        { key: 'year', label: 'online', num: true, fmt: String }, { key: 'decision_year', label: 'decided', num: true, fmt: String },
        { key: 'asset', label: 'asset' }, { key: 'option', label: 'option' }, { key: 'kind', label: 'kind' }, { key: 'stage', label: 'stage' },
        { key: 'country', label: 'host' }, { key: 'product', label: 'product' },
        { key: 'capacity', label: 'capacity', num: true, dataKey: function (r) { return P.key + 'builds.' + r.index + '.capacity'; } }, { key: 'unit', label: 'unit' },
        { key: 'capex_usd', label: 'capex USD', num: true, dataKey: function (r) { return P.key + 'builds.' + r.index + '.capex_usd'; } },
        { key: 'owners', label: 'owner nationality:share' }], builds);
      var ret = (s.retirements || []).map(function (x, i) { return Object.assign({ index: i }, x); });
      C.table(C.details(parent, 'Retirements (' + ret.length + ')'), P.id + 'pw-retirements', [
        { key: 'year', label: 'year', num: true, fmt: String }, { key: 'asset', label: 'asset' }, { key: 'stage', label: 'stage' }, { key: 'country', label: 'country' },
        { key: 'capacity', label: 'capacity', num: true, dataKey: function (r) { return P.key + 'retirements.' + r.index + '.capacity'; } }, { key: 'unit', label: 'unit' }], ret);
      var dep = [];
      (s.depletion || []).forEach(function (x, i) {
        (x.tranches || []).forEach(function (q, k) {
          dep.push({ deposit: x.deposit, tranche: k + 1, quantity: q, extracted: x.extracted[k], share: q > 0 ? x.extracted[k] / q : 0, unit: x.unit, i: i, k: k });
        });
      });
      C.table(C.details(parent, 'Resources extracted by tranche (' + dep.length + ')'), P.id + 'pw-depletion', [
        { key: 'deposit', label: 'deposit' }, { key: 'tranche', label: 'tranche', num: true },
        { key: 'quantity', label: 'resource', num: true, dataKey: function (r) { return P.key + 'depletion.' + r.i + '.tranches.' + r.k; } },
        { key: 'extracted', label: 'extracted over the horizon', num: true, dataKey: function (r) { return P.key + 'depletion.' + r.i + '.extracted.' + r.k; } },
        { key: 'share', label: 'share used', num: true, fmt: function (v) { return C.pct(v); } }, { key: 'unit', label: 'unit' }], dep);
    }

    return { headline: headline, prices: prices, capacity: capacity, investment: investment, shares: shares,
             costs: costs, footprint: footprint, tables: tables };
  }
  C.pathwaySections = sections;

  C.views.pathway = function (d, root) {
    var m = d.meta || {}, s = d.summary, X = sections({ id: '', key: '' });
    root.querySelector('.meta').textContent = m.scenario + ' on ' + m.dataset + ', ' + m.years + ', ' + m.mode +
      ', demand path ' + (m.demand_path || 'held at the dataset year') + ', solver ' + m.solver + ': ' + m.status +
      ' · generated ' + m.generated_at + ' · cadena ' + m.cadena_version;
    X.headline(root, d);
    if (s.status !== 'optimal' || !s.years || !s.years.length) {
      root.appendChild(C.el('p', { class: 'error', text: 'The solver stopped without an optimum (' + s.status + '): no years to draw.' }));
      return;
    }
    (s.notes || []).forEach(function (n) { root.appendChild(C.el('p', { class: 'note', text: 'note: ' + n })); });
    X.prices(C.section(root, 'pw-prices', 'Prices over the years', 'Marginal price of each product in each demand region per year (dual of its demand row, USD of the year per unit); dashed: the lowest and highest market price over the countries.'), d);
    X.capacity(C.section(root, 'pw-capacity', 'Capacity built', 'Capacity coming online in each period (a year that stands for several counts what comes online in them), per stage: one bar per host country, stacked by the nationality of its owners (equity-weighted; unattributed: equity no owner holds).'), d);
    X.investment(C.section(root, 'pw-investment', 'Investment', 'Capex of the capacity coming online in each period, by host country and owner nationality: whose capital goes where, and into which stage.'), d);
    X.shares(C.section(root, 'pw-shares', 'Who holds each stage over time', 'Shares of each stage\'s output per year by location and by owner nationality; HHI below.'), d);
    X.costs(C.section(root, 'pw-costs', 'Cost per year', 'Operating cost, build charges (capital charge and fixed O&M of the builds producing) and depletion per year, in USD of the year.'), d);
    X.footprint(C.section(root, 'pw-footprint', 'Emissions, water and unmet demand', 'Per year, from each facility\'s output and its CO2 and water per unit; unmet demand by product and region.'), d);
    X.tables(C.section(root, 'pw-tables', 'Tables', 'Click a column header to sort.'), d);
  };
})();
