/* View "pathway_compare": two pathway runs side by side (cadena compare A B --report, A and B
 * output folders of cadena run --years). data.comparison is exactly what `cadena compare A B
 * --json` prints for them (series on the years both have, each as {a, b, delta}); run_a and
 * run_b are each folder's summary.json with its dataset's declarations, drawn by the pathway
 * view's own sections (CADENA.pathwaySections) with ids a-/b- and paths summary_a./summary_b. */
(function () {
  'use strict';
  var C = window.CADENA;

  function keys(o) { return Object.keys(o || {}); }
  function signed(v) { return (v > 0 ? '+' : '') + C.num(v); }

  // A chart of A (solid) and B (dashed) for items [{name, path, colour}], each path a {a, b,
  // delta} triple of the comparison; the series ids are the paths of what they draw.
  function abChart(parent, c, id, title, unit, items) {
    var series = [];
    items.forEach(function (it) {
      var t = C.at(c, it.path);
      ['a', 'b'].forEach(function (side) {
        series.push({ type: 'line', id: it.path + '.' + side, name: it.name + ' ' + side.toUpperCase(), data: t[side].slice(), symbolSize: 5,
          lineStyle: { type: side === 'a' ? 'solid' : 'dashed', color: it.colour }, itemStyle: { color: it.colour } });
      });
    });
    C.chart(parent, id, {
      title: { text: title, textStyle: { fontSize: 12 } },
      tooltip: { trigger: 'axis', confine: true, valueFormatter: function (v) { return C.num(v) + (unit ? ' ' + unit : ''); } },
      legend: { type: 'scroll', bottom: 0, textStyle: { fontSize: 10 } },
      grid: { left: 70, right: 15, top: 35, bottom: 55 },
      xAxis: { type: 'category', data: c.years.map(String) },
      yAxis: { type: 'value', axisLabel: { formatter: function (v) { return C.short(v); } } },
      series: series
    }, 280);
  }

  function deltas(root, c) {
    var body = C.section(root, 'pwc-changes', 'What changes over the years (A solid, B dashed)',
      'On the years both pathways have (' + c.years.join(', ') + '). The table gives B − A per year.');
    if (!c.years.length) { body.appendChild(C.el('p', { class: 'note', text: 'The two pathways have no year in common.' })); return; }
    var s = c.series, grid = C.el('div', { class: 'multiples' }), rows = [];
    body.appendChild(grid);
    function cell() { var e = C.el('div'); grid.appendChild(e); return e; }
    function row(what, unit, p) { rows.push({ what: what, unit: unit, t: C.at(c, p), path: p }); }
    abChart(cell(), c, 'pwc-cost', 'cost per year (USD of the year)', 'USD', [{ name: 'cost', path: 'series.cost_usd', colour: '#1f77b4' }]);
    abChart(cell(), c, 'pwc-capex', 'capex of the capacity coming online (USD)', 'USD', [{ name: 'capex', path: 'series.capex_usd', colour: '#9467bd' }]);
    abChart(cell(), c, 'pwc-co2', 'emissions (t CO2)', 't CO2', [{ name: 'CO2', path: 'series.co2_t', colour: '#8c564b' }]);
    abChart(cell(), c, 'pwc-water', 'water (m3)', 'm3', [{ name: 'water', path: 'series.water_m3', colour: '#17becf' }]);
    row('cost', 'USD', 'series.cost_usd'); row('capex', 'USD', 'series.capex_usd'); row('CO2', 't CO2', 'series.co2_t'); row('water', 'm3', 'series.water_m3');
    keys(s.stage_output).forEach(function (st, i) {
      var u = s.stage_output[st].unit;
      abChart(cell(), c, 'pwc-output-' + st, st + ' output (' + u + ')', u, [{ name: st, path: 'series.stage_output.' + st, colour: C.palette[i % C.palette.length] }]);
      row(st + ' output', u, 'series.stage_output.' + st);
    });
    keys(s.demand_price_usd).forEach(function (p) {
      var regions = keys(s.demand_price_usd[p]);
      abChart(cell(), c, 'pwc-price-' + p, p + ': price by region (USD per unit)', 'USD', regions.map(function (r) {
        return { name: r, path: 'series.demand_price_usd.' + p + '.' + r, colour: C.colour(r) };
      }));
      regions.forEach(function (r) { row('price ' + p + ' ' + r, 'USD', 'series.demand_price_usd.' + p + '.' + r); });
    });
    keys(s.unmet).forEach(function (p) { row('unmet ' + p, '', 'series.unmet.' + p); });
    rows.forEach(function (r) { r.t.delta.forEach(function (v, t) { r['y' + t] = v; }); });
    C.table(C.details(body, 'B − A by year (table)'), 'pwc-deltas', [{ key: 'what', label: 'what' }, { key: 'unit', label: 'unit' }].concat(c.years.map(function (y, t) {
      return { key: 'y' + t, label: String(y), num: true, fmt: function (v) { return signed(v); }, dataKey: function (r) { return r.path + '.delta.' + t; } };
    })), rows);
  }

  function sideBySide(root, d) {
    var sides = [['a', d.run_a, d.comparison.a.label], ['b', d.run_b, d.comparison.b.label]];
    var plan = [['pwc-side-headline', 'Headline figures', 'headline'], ['pwc-side-prices', 'Prices over the years', 'prices'],
      ['pwc-side-capacity', 'Capacity built', 'capacity'], ['pwc-side-investment', 'Investment', 'investment'],
      ['pwc-side-shares', 'Who holds each stage over time', 'shares'], ['pwc-side-costs', 'Cost per year', 'costs'],
      ['pwc-side-footprint', 'Emissions, water and unmet demand', 'footprint']];
    plan.forEach(function (s) {
      var body = C.section(root, s[0], s[1] + ' (A | B)');
      var grid = C.el('div', { class: 'sides' });
      body.appendChild(grid);
      sides.forEach(function (side) {
        var cell = C.el('div', { class: 'side', 'data-side': side[0] });
        grid.appendChild(cell);
        cell.appendChild(C.el('h3', { text: side[0].toUpperCase() + ': ' + side[2] }));
        if (!side[1] || side[1].summary.status !== 'optimal') {
          cell.appendChild(C.el('p', { class: 'error', text: 'This pathway has no optimum: nothing to draw.' }));
          return;
        }
        C.pathwaySections({ id: side[0] + '-', key: 'summary_' + side[0] + '.' })[s[2]](cell, side[1]);
      });
    });
  }

  C.views.pathway_compare = function (d, root) {
    var c = d.comparison;
    var head = C.el('div', { class: 'sides' });
    root.appendChild(head);
    [['A', c.a], ['B', c.b]].forEach(function (x) {
      var s = x[1];
      head.appendChild(C.el('div', { class: 'kpi' }, [C.el('div', { class: 'l', text: x[0] }), C.el('div', { text: s.label }),
        C.el('div', { class: 'note', text: s.scenario + ' on ' + s.dataset + ', ' + s.years[0] + '-' + s.years[s.years.length - 1] + ' (' + s.years.length +
          ' periods), ' + s.mode + ', demand path ' + (s.demand_path || 'held') + ', discount rate ' + C.pct(s.discount_rate) })]));
    });
    C.kpis(root, [
      { label: 'A: discounted total cost', value: c.total_cost_usd.a, unit: 'USD', key: 'total_cost_usd.a' },
      { label: 'B: discounted total cost', value: c.total_cost_usd.b, unit: 'USD', key: 'total_cost_usd.b' },
      { label: 'B − A', value: c.total_cost_usd.delta, unit: 'USD', key: 'total_cost_usd.delta' }]);
    (d.meta.notes || []).concat(c.notes || []).forEach(function (n) { root.appendChild(C.el('p', { class: 'note', text: n })); });
    deltas(root, c);
    sideBySide(root, d);
  };
})();
