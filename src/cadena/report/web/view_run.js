/* View "run": one solved network (cadena run --report). Stages, products, units, countries and
 * regions all come from the data (summary.json and the dataset), never from a fixed list, so the
 * same view draws any mineral's chain. Each section is a function of CADENA.runSections so that
 * other views (compare, year series) can draw them for several runs. */
(function () {
  'use strict';
  var C = window.CADENA;

  function index(list, key) { var m = {}; (list || []).forEach(function (x) { m[x[key]] = x; }); return m; }
  function add(map, k, v) { map[k] = (map[k] || 0) + v; }
  function stageNames(d) { return d.stages && d.stages.length ? d.stages : Object.keys(d.summary.stages || {}); }
  function unitOf(d, product) {
    var p = index(d.products, 'id')[product];
    return p ? p.unit : (d.summary.units || {})[product] || '';
  }

  // Owner nationality of a facility: [{country, share}] of its equity. The run data gives it as
  // owner_countries (direct owners in force in the run year) and owner_countries_lookthrough
  // (after look-through to the ultimate owners); without them (older data) it is the owner
  // companies' headquarters, equity-weighted.
  function ownerCountries(d, f, mode) {
    if (mode === 'lookthrough' && f.owner_countries_lookthrough) return f.owner_countries_lookthrough;
    if (f.owner_countries) return f.owner_countries;
    var out = {}, total = 0;
    (f.owners || []).forEach(function (o) {
      var c = (d.companies || {})[o.company];
      add(out, c ? c.country : 'unattributed', o.share);
      total += o.share;
    });
    if (total < 1 - 1e-6) add(out, 'unattributed', 1 - total);
    return Object.keys(out).map(function (k) { return { country: k, share: out[k] }; });
  }
  function dominant(list) {
    var best = { country: 'unattributed', share: -1 };
    list.forEach(function (x) { if (x.share > best.share) best = x; });
    return best.country;
  }
  function countryName(d, code) {
    var c = (d.countries || {})[code];
    return c ? c.name : (d.regions || {})[code] || code;
  }

  // ---- Sankey: node = stage · country (demand · region at the end). Each market (product,
  // country) pools local production and imports, and an import carries the origin mix of the
  // market it came from (re-exports keep their producers); every use there (a facility's input,
  // a delivery to a demand region) draws on that pool in proportion. Widths are the link's share
  // of its stage's output (units differ between stages); tooltips give quantities and units.
  function sankeyData(d) {
    var prodStage = {}; (d.products || []).forEach(function (p) { prodStage[p.id] = p.stage; });
    var facStage = {}; (d.facilities || []).forEach(function (f) { facStage[f.id] = f.stage; });
    var markets = {};
    function market(p, c) { var k = p + '|' + c; return markets[k] || (markets[k] = { p: p, c: c, local: 0, imports: [], uses: [] }); }
    var nodeOut = {};  // node -> {product: quantity} made there
    (d.flows || []).forEach(function (f) {
      if (f.family === 'prod') {
        market(f.product, f.from).local += f.quantity;
        var n = prodStage[f.product] + ' · ' + f.from;
        nodeOut[n] = nodeOut[n] || {};
        add(nodeOut[n], f.product, f.quantity);
      } else if (f.family === 'flow' && f.from !== f.to) {
        market(f.product, f.to).imports.push({ from: f.from, q: f.quantity });
      } else if (f.family === 'use' && facStage[f.element]) {
        market(f.product, f.from).uses.push({ node: facStage[f.element] + ' · ' + f.from, q: f.quantity });
      } else if (f.family === 'deliver') {
        market(f.product, f.from).uses.push({ node: 'demand · ' + f.to, q: f.quantity });
      }
    });
    // Origin mix of each market: {producing country: quantity}, imports resolved through the
    // market they left (a few rounds settle any chain of re-exports).
    var mix = {};
    Object.keys(markets).forEach(function (k) { var m = markets[k]; mix[k] = {}; mix[k][m.c] = m.local; });
    for (var round = 0; round < 8; ++round) {
      Object.keys(markets).forEach(function (k) {
        var m = markets[k], next = {};
        if (m.local > 0) next[m.c] = m.local;
        m.imports.forEach(function (im) {
          var src = mix[m.p + '|' + im.from], tot = 0;
          if (src) Object.keys(src).forEach(function (o) { tot += src[o]; });
          if (!(tot > 0)) { add(next, im.from, im.q); return; }
          Object.keys(src).forEach(function (o) { add(next, o, im.q * src[o] / tot); });
        });
        mix[k] = next;
      });
    }
    var stageOutput = {};
    stageNames(d).forEach(function (s) { var st = d.summary.stages[s]; stageOutput[s] = st && st.output > 0 ? st.output : 1; });
    var links = {};
    Object.keys(markets).forEach(function (k) {
      var m = markets[k], origins = mix[k], total = 0, stage = prodStage[m.p];
      Object.keys(origins).forEach(function (o) { total += origins[o]; });
      if (!(total > 0) || !stage) return;
      m.uses.forEach(function (u) {
        Object.keys(origins).forEach(function (o) {
          var q = u.q * origins[o] / total;
          var src = stage + ' · ' + o;
          if (src === u.node || !(q > 0)) return;
          var key = src + '>' + u.node;
          var l = links[key] || (links[key] = { source: src, target: u.node, value: 0, products: {} });
          l.value += q / (stageOutput[stage] || 1);
          add(l.products, m.p, q);
        });
      });
    });
    var list = Object.keys(links).map(function (k) { return links[k]; });
    // ECharts needs a DAG: drop the thinnest link of any cycle (same-stage trade both ways).
    for (;;) {
      var adj = {}; list.forEach(function (l, i) { (adj[l.source] = adj[l.source] || []).push(i); });
      var state = {}, stack = [], cycle = null;
      var dfs = function (n) {
        state[n] = 1;
        var out = adj[n] || [];
        for (var j = 0; j < out.length && !cycle; ++j) {
          var l = list[out[j]];
          stack.push(out[j]);
          if (state[l.target] === 1) {
            var startAt = stack.findIndex(function (li) { return list[li].source === l.target; });
            cycle = stack.slice(startAt);
          } else if (!state[l.target]) dfs(l.target);
          if (!cycle) stack.pop();
        }
        state[n] = 2;
      };
      Object.keys(adj).forEach(function (n) { if (!state[n] && !cycle) dfs(n); });
      if (!cycle) break;
      var thin = cycle.reduce(function (a, b) { return list[a].value <= list[b].value ? a : b; });
      list.splice(thin, 1);
    }
    var names = {};
    list.forEach(function (l) { names[l.source] = 1; names[l.target] = 1; });
    return { nodes: Object.keys(names), links: list, nodeOut: nodeOut };
  }

  function sankey(parent, d, id) {
    var s = sankeyData(d);
    var order = stageNames(d);
    C.chart(parent, id || 'sankey', {
      tooltip: {
        trigger: 'item', confine: true,
        formatter: function (p) {
          if (p.dataType === 'edge') {
            var l = p.data, lines = Object.keys(l.products).map(function (k) { return k + ': ' + C.num(l.products[k]) + ' ' + unitOf(d, k); });
            return l.source + ' → ' + l.target + '<br>' + lines.join('<br>');
          }
          var out = s.nodeOut[p.name];
          return p.name + (out ? '<br>makes ' + Object.keys(out).map(function (k) { return k + ' ' + C.num(out[k]) + ' ' + unitOf(d, k); }).join(', ') : '');
        }
      },
      series: [{
        type: 'sankey', left: 10, right: 130, top: 10, bottom: 10, nodeGap: 6, draggable: true,
        emphasis: { focus: 'adjacency' },
        data: s.nodes.map(function (n) {
          var st = n.split(' · ')[0], i = order.indexOf(st);
          return { name: n, itemStyle: { color: i >= 0 ? C.palette[i % C.palette.length] : '#555' } };
        }),
        links: s.links, lineStyle: { color: 'gradient', curveness: 0.5, opacity: 0.35 },
        label: { fontSize: 11 }
      }]
    }, Math.max(420, 18 * s.nodes.length / Math.max(1, order.length) + 200));
  }

  // ---- map: facilities sized by output within their stage, coloured by owner nationality;
  // trade arcs between countries (output-weighted mean of their facilities' coordinates) for
  // the largest flows by value (quantity x the destination's market price).
  function facilityMap(parent, d, id) {
    var lookthrough = (d.facilities || []).some(function (f) { return f.owner_countries_lookthrough; });
    var bar = C.el('div', { class: 'controls' });
    parent.appendChild(bar);
    var chart = null, mode = 'direct';
    C.toggle(bar, 'ownership', [
      { id: 'direct', label: 'direct owners' },
      { id: 'lookthrough', label: 'look-through owners', disabled: !lookthrough,
        title: lookthrough ? '' : 'this dataset has no look-through ownership' }
    ], 'direct', function (m) { mode = m; chart.setOption(option(), { replaceMerge: ['series'] }); });
    // What the map shows, for a reader's script or the browser test: facility id -> the owner
    // country it is coloured by, in the current mode.
    C.mapOwners = C.mapOwners || {};
    // A facility at exactly (0, 0) has no coordinates in its dataset: left off the map, said so.
    var placed = function (f) { return !(f.lat === 0 && f.lon === 0); };
    var unplaced = (d.facilities || []).filter(function (f) { return f.output > 0 && !placed(f); }).length;
    if (unplaced) bar.appendChild(C.el('span', { class: 'note', text: '  ' + unplaced + ' producing facilities have no coordinates in the dataset and are not on the map.' }));
    var maxByStage = {}, centre = {};
    (d.facilities || []).forEach(function (f) {
      if (!placed(f)) return;
      maxByStage[f.stage] = Math.max(maxByStage[f.stage] || 0, f.output);
      var w = f.output > 0 ? f.output : 1e-9, c = centre[f.country] || (centre[f.country] = { x: 0, y: 0, w: 0 });
      c.x += w * f.lon; c.y += w * f.lat; c.w += w;
    });
    var price = d.summary.market_prices || {};
    var trades = (d.flows || []).filter(function (f) { return f.family === 'flow' && f.from !== f.to && centre[f.from] && centre[f.to]; })
      .map(function (f) {
        var p = price[f.product] || {}, unit = p[f.to] !== undefined ? p[f.to] : p[f.from] || 0;
        return { f: f, usd: f.quantity * unit };
      }).sort(function (a, b) { return b.usd - a.usd || b.f.quantity - a.f.quantity; }).slice(0, 25);
    var maxUsd = trades.length ? Math.max(1, trades[0].usd) : 1;
    function xy(c) { var k = centre[c]; return [k.x / k.w, k.y / k.w]; }
    function option() {
      var groups = {}, shown = {};
      (d.facilities || []).forEach(function (f) {
        if (!(f.output > 0) || !placed(f)) return;
        var owner = dominant(ownerCountries(d, f, mode));
        (groups[owner] = groups[owner] || []).push(f);
        shown[f.id] = owner;
      });
      C.mapOwners[id || 'map'] = { mode: mode, owners: shown };
      var keys = Object.keys(groups).sort(function (a, b) { return groups[b].length - groups[a].length; });
      var series = keys.map(function (k) {
        return {
          type: 'scatter', coordinateSystem: 'geo', name: k === 'unattributed' ? 'unattributed' : k + ' ' + countryName(d, k),
          itemStyle: { color: C.colour(k), opacity: 0.8, borderColor: '#333', borderWidth: 0.5 },
          symbolSize: function (v) { return v[3]; },
          data: groups[k].map(function (f) {
            return { name: f.name, value: [f.lon, f.lat, f.output, 4 + 22 * Math.sqrt(f.output / (maxByStage[f.stage] || 1))], f: f };
          })
        };
      });
      series.push({
        type: 'lines', coordinateSystem: 'geo', name: 'trade (largest 25 by value)', zlevel: 1,
        lineStyle: { color: '#444', opacity: 0.45, curveness: 0.25 },
        data: trades.map(function (t) {
          return { coords: [xy(t.f.from), xy(t.f.to)], t: t, lineStyle: { width: 1 + 6 * t.usd / maxUsd } };
        })
      });
      return {
        tooltip: {
          trigger: 'item', confine: true,
          formatter: function (p) {
            if (p.data && p.data.f) {
              var f = p.data.f, own = ownerCountries(d, f, mode).map(function (o) { return o.country + ' ' + C.pct(o.share, 0); }).join(', ');
              return f.name + ' (' + f.stage + ', ' + f.country + ')<br>output ' + C.num(f.output) + ' ' + f.unit +
                ' of ' + C.num(f.capacity) + '<br>owners: ' + (own || 'not given');
            }
            if (p.data && p.data.t) {
              var t = p.data.t;
              return t.f.from + ' → ' + t.f.to + ': ' + t.f.product + ' ' + C.num(t.f.quantity) + ' ' + t.f.unit +
                (t.usd > 0 ? '<br>≈ ' + C.short(t.usd) + ' USD at the market price' : '');
            }
            return p.name;
          }
        },
        legend: { type: 'scroll', orient: 'vertical', left: 0, top: 10, bottom: 10, textStyle: { fontSize: 11 } },
        geo: { map: C.world(), roam: true, left: 150, right: 0, top: 0, bottom: 0,
               itemStyle: { areaColor: '#eceff1', borderColor: '#b0bec5' }, emphasis: { disabled: true } },
        series: series
      };
    }
    chart = C.chart(parent, id || 'map', option(), 480);
    return chart;
  }

  // ---- shares by location vs by owner nationality, with HHI ----
  function shares(parent, d, id) {
    var stages = stageNames(d).filter(function (s) { return d.summary.stages[s] && d.summary.stages[s].output > 0; });
    // The dimensions the run reports: location, direct owners, and (when the dataset has
    // look-through ownership) ultimate owners.
    var dims = [['by_country', 'location', 'location'], ['by_owner_country', 'owners', 'owner nationality'],
                ['by_ultimate_owner_country', 'look-through owners', 'ultimate owner nationality']].filter(function (dim) {
      return stages.some(function (s) { var x = d.summary.stages[s][dim[0]]; return x && Object.keys(x).length; });
    });
    var cats = [], keys = {};
    stages.forEach(function (s) {
      var st = d.summary.stages[s];
      dims.forEach(function (dim) {
        cats.push(s + ' · ' + dim[1] + ' (HHI ' + C.num((st.hhi || {})[dim[0]], 0) + ')');
        Object.keys(st[dim[0]] || {}).forEach(function (k) { add(keys, k, st[dim[0]][k].share); });
      });
    });
    var order = Object.keys(keys).sort(function (a, b) { return keys[b] - keys[a]; });
    var series = order.map(function (k) {
      return {
        type: 'bar', stack: 'share', name: k, itemStyle: { color: C.colour(k) },
        data: stages.reduce(function (acc, s) {
          var st = d.summary.stages[s];
          dims.forEach(function (dim) { var x = (st[dim[0]] || {})[k]; acc.push(x ? 100 * x.share : 0); });
          return acc;
        }, [])
      };
    });
    C.chart(parent, id || 'shares', {
      tooltip: { trigger: 'item', formatter: function (p) { return p.seriesName + ' ' + countryName(d, p.seriesName) + '<br>' + p.name + ': ' + p.value.toFixed(1) + ' %'; } },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 230, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value} %' } },
      yAxis: { type: 'category', data: cats, inverse: true },
      series: series
    }, 60 + 34 * cats.length);
    var rows = [];
    stages.forEach(function (s) {
      var st = d.summary.stages[s];
      dims.forEach(function (dim) {
        Object.keys(st[dim[0]] || {}).forEach(function (k) {
          rows.push({ stage: s, dimension: dim[2], dim: dim[0], key: k, name: countryName(d, k), quantity: st[dim[0]][k].quantity, unit: st.unit, share: st[dim[0]][k].share });
        });
      });
    });
    var t = C.details(parent, 'Shares and HHI (table)');
    C.table(t, 'hhi', [
      { key: 'stage', label: 'stage' }, { key: 'output', label: 'output', num: true, dataKey: function (r) { return 'stages.' + r.stage + '.output'; } },
      { key: 'unit', label: 'unit' },
      { key: 'hhi_c', label: 'HHI by location', num: true, fmt: function (v) { return C.num(v, 0); }, dataKey: function (r) { return 'stages.' + r.stage + '.hhi.by_country'; } },
      { key: 'hhi_o', label: 'HHI by owner nationality', num: true, fmt: function (v) { return C.num(v, 0); }, dataKey: function (r) { return 'stages.' + r.stage + '.hhi.by_owner_country'; } }
    ].concat(dims.length > 2 ? [
      { key: 'hhi_u', label: 'HHI by ultimate owner nationality', num: true, fmt: function (v) { return C.num(v, 0); }, dataKey: function (r) { return typeof r.hhi_u === 'number' ? 'stages.' + r.stage + '.hhi.by_ultimate_owner_country' : null; } }
    ] : []), stages.map(function (s) { var st = d.summary.stages[s]; return { stage: s, output: st.output, unit: st.unit, hhi_c: st.hhi.by_country, hhi_o: st.hhi.by_owner_country, hhi_u: st.hhi.by_ultimate_owner_country }; }));
    C.table(t, 'shares', [
      { key: 'stage', label: 'stage' }, { key: 'dimension', label: 'by' }, { key: 'key', label: 'country' }, { key: 'name', label: 'name' },
      { key: 'quantity', label: 'quantity', num: true }, { key: 'unit', label: 'unit' },
      { key: 'share', label: 'share', num: true, fmt: function (v) { return C.pct(v); }, dataKey: function (r) { return 'stages.' + r.stage + '.' + r.dim + '.' + r.key + '.share'; } }
    ], rows);
  }

  // ---- prices: one small chart per product (demand regions), market prices as a table ----
  function prices(parent, d, id) {
    var pr = d.summary.prices || {}, byProduct = {};
    Object.keys(pr).forEach(function (r) { Object.keys(pr[r]).forEach(function (p) { (byProduct[p] = byProduct[p] || []).push({ region: r, v: pr[r][p] }); }); });
    var grid = C.el('div', { class: 'multiples' });
    parent.appendChild(grid);
    var rows = [];
    Object.keys(byProduct).forEach(function (p) {
      var list = byProduct[p], unit = unitOf(d, p);
      var cell = C.el('div');
      grid.appendChild(cell);
      C.chart(cell, (id || 'price') + '-' + p, {
        title: { text: p + ' (USD/' + unit + ')', textStyle: { fontSize: 12 } },
        tooltip: { trigger: 'axis', valueFormatter: function (v) { return C.num(v) + ' USD/' + unit; } },
        grid: { left: 70, right: 10, top: 35, bottom: 25 },
        xAxis: { type: 'category', data: list.map(function (x) { return x.region; }) },
        yAxis: { type: 'value', axisLabel: { formatter: function (v) { return C.short(v); } } },
        series: [{ type: 'bar', data: list.map(function (x) { return x.v; }), itemStyle: { color: C.colour(p) } }]
      }, 220);
      list.forEach(function (x) { rows.push({ region: x.region, product: p, price: x.v, unit: 'USD/' + unit }); });
    });
    var t = C.details(parent, 'Prices (tables)');
    C.table(t, 'prices', [{ key: 'region', label: 'region' }, { key: 'product', label: 'product' },
      { key: 'price', label: 'marginal price', num: true, dataKey: function (r) { return 'prices.' + r.region + '.' + r.product; } }, { key: 'unit', label: 'unit' }], rows);
    var mp = d.summary.market_prices || {}, mrows = [];
    Object.keys(mp).forEach(function (p) { Object.keys(mp[p]).forEach(function (c) { mrows.push({ product: p, country: c, price: mp[p][c], unit: 'USD/' + unitOf(d, p) }); }); });
    C.table(t, 'market_prices', [{ key: 'product', label: 'product' }, { key: 'country', label: 'country' },
      { key: 'price', label: 'market price (country balance dual)', num: true, dataKey: function (r) { return 'market_prices.' + r.product + '.' + r.country; } },
      { key: 'unit', label: 'unit' }], mrows);
  }

  // ---- emissions and water by stage and country (from the facilities) ----
  function footprint(parent, d, id) {
    var stages = stageNames(d), grid = C.el('div', { class: 'pair' });
    parent.appendChild(grid);
    [['co2_t', 't CO2', 'emissions'], ['water_m3', 'm3', 'water']].forEach(function (m) {
      var by = {}, totals = {};
      (d.facilities || []).forEach(function (f) {
        if (!(f[m[0]] > 0)) return;
        by[f.country] = by[f.country] || {};
        add(by[f.country], f.stage, f[m[0]]);
        add(totals, f.country, f[m[0]]);
      });
      var countries = Object.keys(totals).sort(function (a, b) { return totals[b] - totals[a]; });
      var cell = C.el('div');
      grid.appendChild(cell);
      C.chart(cell, (id || 'footprint') + '-' + m[2], {
        title: { text: m[2] + ' by stage and country (' + m[1] + ')', textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'item', formatter: function (p) { return p.seriesName + ' · ' + p.name + ': ' + C.num(p.value) + ' ' + m[1]; } },
        legend: { type: 'scroll', bottom: 0 },
        grid: { left: 70, right: 10, top: 35, bottom: 60 },
        xAxis: { type: 'category', data: stages },
        yAxis: { type: 'value', axisLabel: { formatter: function (v) { return C.short(v); } } },
        series: countries.map(function (c) {
          return { type: 'bar', stack: 'all', name: c, itemStyle: { color: C.colour(c) }, data: stages.map(function (s) { return by[c][s] || 0; }) };
        })
      }, 340);
    });
  }

  // ---- unmet demand and binding capacities ----
  function shortages(parent, d, id) {
    var unmet = d.summary.unmet_demand || [];
    if (!unmet.length) parent.appendChild(C.el('p', { class: 'ok', text: 'Unmet demand: none. Every demand row is served.' }));
    else {
      C.chart(parent, (id || 'short') + '-unmet', {
        title: { text: 'unmet demand (share of demand)', textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'item', formatter: function (p) { var u = unmet[p.dataIndex]; return u.region + ' ' + u.product + ': ' + C.num(u.quantity) + ' of ' + C.num(u.demand) + ' ' + u.unit; } },
        grid: { left: 160, right: 20, top: 35, bottom: 25 },
        xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value} %' } },
        yAxis: { type: 'category', data: unmet.map(function (u) { return u.region + ' · ' + u.product; }), inverse: true },
        series: [{ type: 'bar', itemStyle: { color: '#d62728' }, data: unmet.map(function (u) { return u.demand > 0 ? 100 * u.quantity / u.demand : 0; }) }]
      }, 80 + 26 * unmet.length);
      C.table(parent, 'unmet', [{ key: 'region', label: 'region' }, { key: 'product', label: 'product' },
        { key: 'quantity', label: 'unmet', num: true, dataKey: function (r) { return 'unmet_demand.' + r.index + '.quantity'; } },
        { key: 'demand', label: 'demand', num: true }, { key: 'unit', label: 'unit' }],
        unmet.map(function (u, i) { return Object.assign({ index: i }, u); }));
    }
    var b = d.summary.bottlenecks || [];
    if (!b.length) { parent.appendChild(C.el('p', { class: 'ok', text: 'No capacity is binding.' })); return; }
    var byUnit = {};
    b.forEach(function (x) { (byUnit[x.unit] = byUnit[x.unit] || []).push(x); });
    var grid = C.el('div', { class: 'multiples' });
    parent.appendChild(grid);
    Object.keys(byUnit).forEach(function (u, k) {
      var list = byUnit[u].slice(0, 20), cell = C.el('div');
      grid.appendChild(cell);
      C.chart(cell, (id || 'short') + '-binding-' + k, {
        title: { text: 'saving per ' + u + ' of extra capacity (USD/' + u + ')', textStyle: { fontSize: 12 } },
        tooltip: { trigger: 'item', formatter: function (p) { var x = list[p.dataIndex]; return x.facility + ' (' + x.stage + ', ' + x.country + ')<br>capacity ' + C.num(x.capacity) + ' ' + x.unit + '<br>' + C.num(x.value_usd_per_unit) + ' USD/' + x.unit; } },
        grid: { left: 170, right: 20, top: 35, bottom: 25 },
        xAxis: { type: 'value', splitNumber: 3, axisLabel: { formatter: function (v) { return C.short(v); } } },
        yAxis: { type: 'category', data: list.map(function (x) { return x.facility; }), inverse: true },
        series: [{ type: 'bar', data: list.map(function (x) { return { value: x.value_usd_per_unit, itemStyle: { color: C.colour(x.stage) } }; }) }]
      }, 70 + 22 * list.length);
    });
    var t = C.details(parent, 'Binding capacities (table)');
    C.table(t, 'bottlenecks', [{ key: 'facility', label: 'facility' }, { key: 'stage', label: 'stage' }, { key: 'country', label: 'country' },
      { key: 'capacity', label: 'capacity', num: true }, { key: 'unit', label: 'unit' },
      { key: 'value_usd_per_unit', label: 'saving per unit of capacity (USD)', num: true, dataKey: function (r) { return 'bottlenecks.' + r.index + '.value_usd_per_unit'; } }],
      b.map(function (x, i) { return Object.assign({ index: i }, x); }));
  }

  function tables(parent, d) {
    C.table(C.details(parent, 'Facilities (' + (d.facilities || []).length + ')'), 'facilities', [
      { key: 'id', label: 'id' }, { key: 'name', label: 'name' }, { key: 'stage', label: 'stage' }, { key: 'country', label: 'country' },
      { key: 'product', label: 'product' }, { key: 'output', label: 'output', num: true }, { key: 'capacity', label: 'capacity', num: true },
      { key: 'unit', label: 'unit' }, { key: 'utilisation', label: 'utilisation', num: true, fmt: function (v) { return C.pct(v, 0); } },
      { key: 'cost_usd', label: 'cost USD', num: true }, { key: 'co2_t', label: 't CO2', num: true }, { key: 'water_m3', label: 'water m3', num: true },
      { key: 'source', label: 'source' }], (d.facilities || []).slice());
    var trade = (d.flows || []).filter(function (f) { return f.family === 'flow' || f.family === 'deliver'; });
    C.table(C.details(parent, 'Trade and deliveries (' + trade.length + ')'), 'trade', [
      { key: 'family', label: 'kind' }, { key: 'from', label: 'from' }, { key: 'to', label: 'to' }, { key: 'product', label: 'product' },
      { key: 'quantity', label: 'quantity', num: true }, { key: 'unit', label: 'unit' },
      { key: 'unit_cost_usd', label: 'USD per unit', num: true }, { key: 'cost_usd', label: 'cost USD', num: true }], trade);
  }

  function headline(parent, d) {
    var s = d.summary, items = [
      { label: 'total cost', value: s.objective_usd, unit: 'USD', key: 'objective_usd' },
      { label: 'emissions', value: s.emissions_t_co2, unit: 't CO2', key: 'emissions_t_co2' },
      { label: 'water', value: s.water_m3, unit: 'm3', key: 'water_m3' }];
    stageNames(d).forEach(function (st) {
      var x = s.stages[st];
      if (x) items.push({ label: st + ' output', value: x.output, unit: x.unit, key: 'stages.' + st + '.output' });
    });
    C.kpis(parent, items);
  }

  C.runSections = { headline: headline, sankey: sankey, map: facilityMap, shares: shares, prices: prices,
                    footprint: footprint, shortages: shortages, tables: tables };

  C.views.run = function (d, root) {
    var m = d.meta || {};
    root.querySelector('.meta').textContent = m.scenario + ' on ' + m.dataset + ' (' + m.year + '), solver ' + m.solver + ': ' + m.status +
      (m.dataset_version ? ' · dataset ' + m.dataset_version.slice(0, m.dataset.length + 20) : '') + ' · generated ' + m.generated_at + ' · cadena ' + m.cadena_version;
    headline(root, d);
    if (d.summary.status !== 'optimal') {
      root.appendChild(C.el('p', { class: 'error', text: 'The solver stopped without an optimum (' + d.summary.status + '): no flows to draw.' }));
      return;
    }
    sankey(C.section(root, 'flows', 'Flows through the chain', 'Stage · country to stage · country, ending at demand regions. Widths are shares of each stage\'s output (stages have different units); hover for quantities and units.'), d);
    facilityMap(C.section(root, 'map', 'Facilities and trade', 'Producing facilities sized by output (relative to their stage) and coloured by the nationality of their largest owner; arcs: the 25 largest trade flows by value at market prices.'), d);
    shares(C.section(root, 'shares', 'Who holds each stage', 'Shares of each stage\'s output by location and by owner nationality (equity-weighted through each owner\'s headquarters; after look-through to the ultimate owners when the dataset has stakes); HHI 0-10,000, owner HHI leaves out unattributed equity.'), d);
    prices(C.section(root, 'prices', 'Prices', 'Marginal price of each product in each demand region (dual of its demand row), in USD per unit of the product.'), d);
    footprint(C.section(root, 'footprint', 'Emissions and water', 'From each facility\'s output and its CO2 and water per unit.'), d);
    shortages(C.section(root, 'shortages', 'Unmet demand and binding capacities', 'What is short, and which facilities run at capacity with what an extra unit of capacity would save.'), d);
    tables(C.section(root, 'tables', 'Tables', 'Click a column header to sort.'), d);
  };
})();
