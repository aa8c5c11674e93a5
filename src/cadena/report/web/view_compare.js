/* View "compare": two runs side by side (cadena compare A B --report). data.comparison is exactly
 * what `cadena compare A B --json` prints (docs/formulation.md, "Comparing runs"); data.run_a and
 * data.run_b are each a run's data as the run view draws it. The deltas come from the comparison,
 * never recomputed here; the side-by-side sections are the run view's own (CADENA.runSections),
 * drawn once per run with chart ids "a-..." and "b-...". Checked numbers carry data-key paths in
 * the comparison JSON, or summary_a./summary_b. + a path in that run's summary.json. */
(function () {
  'use strict';
  var C = window.CADENA;

  function isNum(v) { return typeof v === 'number' && isFinite(v); }
  function signed(v, digits) { return isNum(v) ? (v > 0 ? '+' : '') + C.num(v, digits) : 'n/a'; }
  function pp(v) { return isNum(v) ? (v > 0 ? '+' : '') + v.toFixed(2) + ' pp' : 'n/a'; }
  function pctText(v) { return isNum(v) ? (v > 0 ? '+' : '') + v.toFixed(1) + ' %' : 'n/a'; }
  function absent(v) { return v === null || v === undefined ? '—' : C.num(v); }
  function key(path) { return function (r) { var v = C.at(r, path.field); return isNum(v) ? path.base(r) + '.' + path.field : null; }; }

  // A table of compare rows ({key, unit, a, b, delta, delta_pct}) at `base` (their JSON path).
  function pairTable(parent, id, rows, base, keyLabel, opts) {
    opts = opts || {};
    var list = rows.map(function (r, i) { return Object.assign({ index: i }, r); });
    var at = function (f) { return key({ field: f, base: function (r) { return base + '.' + r.index; } }); };
    var cols = [{ key: 'key', label: keyLabel || 'what' }];
    if (!opts.share) cols.push({ key: 'unit', label: 'unit' });
    cols.push({ key: 'a', label: 'A', num: true, fmt: function (v) { return opts.share ? (isNum(v) ? C.pct(v, 2) : '—') : absent(v); }, dataKey: at('a') });
    cols.push({ key: 'b', label: 'B', num: true, fmt: function (v) { return opts.share ? (isNum(v) ? C.pct(v, 2) : '—') : absent(v); }, dataKey: at('b') });
    if (opts.share) cols.push({ key: 'delta_pp', label: 'B − A', num: true, fmt: pp, dataKey: at('delta_pp') });
    else {
      cols.push({ key: 'delta', label: 'B − A', num: true, fmt: function (v) { return signed(v); }, dataKey: at('delta') });
      cols.push({ key: 'delta_pct', label: 'change', num: true, fmt: pctText, dataKey: at('delta_pct') });
    }
    return C.table(parent, id, cols, list, opts);
  }

  // Horizontal bars of changes: items [{label, value, tip}], red down / green up.
  function deltaBars(parent, id, title, items, unit) {
    if (!items.length) { parent.appendChild(C.el('p', { class: 'ok', text: title + ': no change.' })); return; }
    C.chart(parent, id, {
      title: { text: title, textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'item', formatter: function (p) { return items[p.dataIndex].tip || (p.name + ': ' + signed(p.value) + ' ' + unit); } },
      grid: { left: 220, right: 30, top: 35, bottom: 25 },
      xAxis: { type: 'value', axisLabel: { formatter: function (v) { return C.short(v); } } },
      yAxis: { type: 'category', data: items.map(function (x) { return x.label; }), inverse: true, axisLabel: { fontSize: 11 } },
      series: [{ type: 'bar', data: items.map(function (x) { return { value: x.value, itemStyle: { color: x.value < 0 ? '#d62728' : '#2ca02c' } }; }) }]
    }, 70 + 22 * items.length);
  }

  function changed(v) { return isNum(v) && v !== 0; }

  function deltas(root, c, d) {
    // ---- headline: total cost, emissions, water, unmet in A and B ----
    var body = C.section(root, 'changes', 'What changed (B − A)', 'From the comparison (' + c.a.label + ' → ' + c.b.label + '); numbers rounded to 6 significant digits so that solver noise does not show.');
    var items = [];
    c.totals.forEach(function (t, i) {
      if (['total cost', 'emissions', 'water', 'unmet demand'].indexOf(t.key) < 0) return;
      items.push({ label: t.key + ' · A', value: t.a, unit: t.unit, key: 'totals.' + i + '.a' });
      items.push({ label: t.key + ' · B', value: t.b, unit: t.unit, key: 'totals.' + i + '.b' });
      items.push({ label: t.key + ' · B − A', value: t.delta, unit: t.unit, key: 'totals.' + i + '.delta', text: signed(t.delta) });
    });
    C.kpis(body, items.filter(function (x) { return isNum(x.value); }));
    deltaBars(body, 'delta-totals', 'change in total cost and its parts (USD)',
      c.totals.filter(function (t) { return t.unit === 'USD' && changed(t.delta); }).map(function (t) { return { label: t.key, value: t.delta }; }), 'USD');
    pairTable(C.details(body, 'Totals (table)'), 'totals', c.totals, 'totals');

    // ---- prices ----
    body = C.section(root, 'delta-prices-section', 'Prices', 'Marginal price of each product in each demand region (A, B and the change), then market prices per country.');
    var pr = c.prices.filter(function (p) { return changed(p.delta); });
    deltaBars(body, 'delta-prices', 'price change (% of A)', pr.filter(function (p) { return isNum(p.delta_pct); }).map(function (p) {
      return { label: p.key, value: p.delta_pct, tip: p.key + ': ' + absent(p.a) + ' → ' + absent(p.b) + ' ' + p.unit + ' (' + pctText(p.delta_pct) + ')' };
    }), '%');
    pairTable(body, 'delta-prices', c.prices, 'prices', 'region.product');
    var mp = c.market_prices.map(function (r, i) { return Object.assign({ i: i }, r); }).filter(function (r) { return changed(r.delta); });
    if (mp.length) pairTable(C.details(body, 'Market prices that changed (' + mp.length + ' of ' + c.market_prices.length + ')'), 'delta-market-prices', c.market_prices, 'market_prices', 'product.country');

    // ---- stages: output, HHI, shares ----
    body = C.section(root, 'delta-stages', 'Stages: output, concentration and shares', 'Output, capacity and HHI (0-10,000) of each stage in A and B; shares by location and by owner nationality in percentage points.');
    var srows = c.stages.map(function (s, i) {
      return { i: i, stage: s.stage, unit: s.unit, oa: s.output.a, ob: s.output.b, od: s.output.delta,
               ha: s.hhi.by_country.a, hb: s.hhi.by_country.b, hd: s.hhi.by_country.delta,
               wa: s.hhi.by_owner_country.a, wb: s.hhi.by_owner_country.b, wd: s.hhi.by_owner_country.delta,
               ua: (s.hhi.by_ultimate_owner_country || {}).a, ub: (s.hhi.by_ultimate_owner_country || {}).b };
    });
    var sk = function (path) { return function (r) { var v = C.at(c.stages[r.i], path); return isNum(v) ? 'stages.' + r.i + '.' + path : null; }; };
    var hhiFmt = function (v) { return isNum(v) ? C.num(v, 0) : '—'; };
    C.table(body, 'delta-stages', [
      { key: 'stage', label: 'stage' }, { key: 'unit', label: 'unit' },
      { key: 'oa', label: 'output A', num: true, fmt: absent, dataKey: sk('output.a') },
      { key: 'ob', label: 'output B', num: true, fmt: absent, dataKey: sk('output.b') },
      { key: 'od', label: 'B − A', num: true, fmt: function (v) { return signed(v); }, dataKey: sk('output.delta') },
      { key: 'ha', label: 'HHI location A', num: true, fmt: hhiFmt, dataKey: sk('hhi.by_country.a') },
      { key: 'hb', label: 'B', num: true, fmt: hhiFmt, dataKey: sk('hhi.by_country.b') },
      { key: 'wa', label: 'HHI owners A', num: true, fmt: hhiFmt, dataKey: sk('hhi.by_owner_country.a') },
      { key: 'wb', label: 'B', num: true, fmt: hhiFmt, dataKey: sk('hhi.by_owner_country.b') }
    ].concat(c.stages.some(function (s) { return s.hhi.by_ultimate_owner_country; }) ? [
      { key: 'ua', label: 'HHI look-through A', num: true, fmt: hhiFmt, dataKey: sk('hhi.by_ultimate_owner_country.a') },
      { key: 'ub', label: 'B', num: true, fmt: hhiFmt, dataKey: sk('hhi.by_ultimate_owner_country.b') }
    ] : []), srows);
    var moves = [];
    c.stages.forEach(function (s) {
      [['by_country', 'location'], ['by_owner_country', 'owners'], ['by_ultimate_owner_country', 'look-through']].forEach(function (dim) {
        (s[dim[0]] || []).forEach(function (r) {
          if (isNum(r.delta_pp) && Math.abs(r.delta_pp) >= 0.05)
            moves.push({ label: s.stage + ' · ' + dim[1] + ' · ' + r.key, value: r.delta_pp,
                         tip: s.stage + ', ' + dim[1] + ', ' + r.key + ': ' + (isNum(r.a) ? C.pct(r.a, 2) : '—') + ' → ' + (isNum(r.b) ? C.pct(r.b, 2) : '—') + ' (' + pp(r.delta_pp) + ')' });
        });
      });
    });
    moves.sort(function (x, y) { return Math.abs(y.value) - Math.abs(x.value); });
    deltaBars(body, 'delta-shares', 'largest share changes (percentage points)', moves.slice(0, 30), 'pp');
    var t = C.details(body, 'Shares by stage (tables)');
    c.stages.forEach(function (s, i) {
      ['by_country', 'by_owner_country', 'by_ultimate_owner_country'].forEach(function (dim) {
        if (!s[dim] || !s[dim].length) return;
        t.appendChild(C.el('h4', { text: s.stage + ' ' + dim.replace(/_/g, ' ') }));
        pairTable(t, 'delta-shares-' + s.stage + '-' + dim, s[dim], 'stages.' + i + '.' + dim, 'country', { share: true });
      });
    });

    // ---- value added, unmet, rules, flows ----
    body = C.section(root, 'delta-value', 'Value added, unmet demand, rules and trade', 'Value added per country at market prices; unmet demand; the rules binding in A or B with their duals; the trade flows that changed most (by contained metal).');
    deltaBars(body, 'delta-value-added', 'change in value added (USD), largest first',
      c.value_added.filter(function (v) { return changed(v.delta); }).slice(0, 15).map(function (v) { return { label: v.key, value: v.delta }; }), 'USD');
    pairTable(C.details(body, 'Value added (table)'), 'delta-value-added', c.value_added, 'value_added', 'country');
    if (c.unmet.length) pairTable(body, 'delta-unmet', c.unmet, 'unmet', 'region.product');
    else body.appendChild(C.el('p', { class: 'ok', text: 'Unmet demand: none in either run.' }));
    if (c.rules.length) {
      var rk = function (path) { return function (r) { var v = C.at(c.rules[r.i], path); return isNum(v) ? 'rules.' + r.i + '.' + path : null; }; };
      C.table(body, 'delta-rules', [
        { key: 'id', label: 'rule' }, { key: 'kind', label: 'kind' }, { key: 'binding', label: 'binding (A / B)' },
        { key: 'da', label: 'dual A (USD/unit)', num: true, fmt: absent, dataKey: rk('dual_usd_per_unit.a') },
        { key: 'db', label: 'dual B', num: true, fmt: absent, dataKey: rk('dual_usd_per_unit.b') }, { key: 'unit', label: 'unit' }
      ], c.rules.map(function (r, i) {
        return { i: i, id: r.id, kind: r.kind, unit: r.unit, binding: (r.binding.a ? 'yes' : 'no') + ' / ' + (r.binding.b ? 'yes' : 'no'),
                 da: r.dual_usd_per_unit.a, db: r.dual_usd_per_unit.b };
      }));
    } else body.appendChild(C.el('p', { class: 'ok', text: 'No rule binds in either run.' }));
    var fl = c.flows.map(function (f, i) { return Object.assign({ i: i, route: f.family + ' ' + f.from + ' → ' + f.to + ' ' + f.product }, f); });
    deltaBars(body, 'delta-flows', 'trade flows that changed most (' + (c.contained_unit || 'contained') + ')',
      fl.map(function (f) { return { label: f.route, value: f.delta_contained, tip: f.route + ': ' + absent(f.a) + ' → ' + absent(f.b) + ' ' + f.unit }; }), c.contained_unit);
    var fk = function (field) { return function (r) { return isNum(r[field]) ? 'flows.' + r.i + '.' + field : null; }; };
    C.table(C.details(body, 'Trade flows (table)'), 'delta-flows', [
      { key: 'route', label: 'flow' }, { key: 'unit', label: 'unit' },
      { key: 'a', label: 'A', num: true, fmt: absent, dataKey: fk('a') }, { key: 'b', label: 'B', num: true, fmt: absent, dataKey: fk('b') },
      { key: 'delta', label: 'B − A', num: true, fmt: function (v) { return signed(v); }, dataKey: fk('delta') },
      { key: 'delta_contained', label: 'B − A (' + (c.contained_unit || 'contained') + ')', num: true, fmt: function (v) { return signed(v); }, dataKey: fk('delta_contained') }
    ], fl);
  }

  // The run view's sections for A and B in two columns. Their checked numbers are paths in each
  // run's summary.json, prefixed summary_a. / summary_b.
  function sideBySide(root, d) {
    var sides = [['a', d.run_a, d.comparison.a.label], ['b', d.run_b, d.comparison.b.label]];
    var S = C.runSections;
    var plan = [
      ['side-headline', 'Headline figures', null, function (cell, r) { S.headline(cell, r); }],
      ['side-flows', 'Flows through the chain', 'Each run\'s Sankey (stage · country to stage · country); widths are shares of each stage\'s output.',
        function (cell, r, p) { if (needsDataset(cell, r)) S.sankey(cell, r, p + 'sankey'); }],
      ['side-map', 'Facilities and trade', 'Facilities sized by output, coloured by the nationality of their largest owner; the 25 largest trade flows by value.',
        function (cell, r, p) { if (needsDataset(cell, r)) S.map(cell, r, p + 'map'); }],
      ['side-shares', 'Who holds each stage', 'Shares of each stage by location and by owner nationality, with HHI.', function (cell, r, p) { S.shares(cell, r, p + 'shares'); }],
      ['side-prices', 'Prices', null, function (cell, r, p) { S.prices(cell, r, p + 'price'); }],
      ['side-footprint', 'Emissions and water', null, function (cell, r, p) { S.footprint(cell, r, p + 'footprint'); }],
      ['side-shortages', 'Unmet demand and binding capacities', null, function (cell, r, p) { S.shortages(cell, r, p + 'short'); }]
    ];
    plan.forEach(function (s) {
      var body = C.section(root, s[0], s[1] + ' (A | B)', s[2]);
      var grid = C.el('div', { class: 'sides' });
      body.appendChild(grid);
      sides.forEach(function (side) {
        var cell = C.el('div', { class: 'side', 'data-side': side[0] });
        grid.appendChild(cell);
        cell.appendChild(C.el('h3', { text: side[0].toUpperCase() + ': ' + side[2] }));
        if (!side[1] || side[1].summary.status !== 'optimal') {
          cell.appendChild(C.el('p', { class: 'error', text: 'This run has no optimum: nothing to draw.' }));
          return;
        }
        s[3](cell, side[1], side[0] + '-');
        Array.prototype.forEach.call(cell.querySelectorAll('[data-key]'), function (e) {
          e.setAttribute('data-key', 'summary_' + side[0] + '.' + e.getAttribute('data-key'));
        });
      });
    });
  }

  function needsDataset(cell, r) {
    if ((r.products || []).length) return true;
    cell.appendChild(C.el('p', { class: 'note', text: 'The dataset of this run could not be read (see the notes at the top), so this view is left out.' }));
    return false;
  }

  C.views.compare = function (d, root) {
    var c = d.comparison;
    var notes = (d.meta.notes || []).concat(c.notes || []);
    var head = C.el('div', { class: 'sides' });
    root.appendChild(head);
    [['A', c.a], ['B', c.b]].forEach(function (x) {
      var s = x[1];
      head.appendChild(C.el('div', { class: 'kpi' }, [C.el('div', { class: 'l', text: x[0] }), C.el('div', { text: s.label }),
        C.el('div', { class: 'note', text: s.scenario + ' on ' + s.dataset + ' (' + s.year + '), ' + s.solver + ': ' + s.status +
          (s.overrides && s.overrides.length ? ' · --set ' + s.overrides.join(' ') : '') })]));
    });
    notes.forEach(function (n) { root.appendChild(C.el('p', { class: 'note', text: n })); });
    deltas(root, c, d);
    sideBySide(root, d);
  };
})();
