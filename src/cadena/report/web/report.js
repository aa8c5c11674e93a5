/* cadena HTML report: shared helpers. A report is its data (the JSON in #cadena-data, whose
 * "kind" picks a view) drawn by the views in view_*.js, which register in CADENA.views.
 * Every chart is an Apache ECharts instance made by CADENA.chart(); every table by
 * CADENA.table() (click a header to sort). Numbers a test or a reader checks carry data-key
 * (their path in summary.json) and data-value (the exact number). Nothing here fetches. */
(function () {
  'use strict';
  var C = (window.CADENA = window.CADENA || {});
  C.views = C.views || {};
  C.charts = [];

  // ---- formatting ----
  C.num = function (v, digits) {
    if (v === null || v === undefined || typeof v !== 'number' || !isFinite(v)) return 'n/a';
    var a = Math.abs(v);
    var d = digits !== undefined ? digits : a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : a === 0 ? 0 : 3;
    if (a > 0 && a < 0.001) return v.toExponential(2);
    return v.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: d });
  };
  C.pct = function (share, digits) {
    return (typeof share === 'number' && isFinite(share)) ? (100 * share).toFixed(digits === undefined ? 1 : digits) + ' %' : 'n/a';
  };
  // Large amounts with a scale word (used in chart labels, never in checked numbers).
  C.short = function (v) {
    var a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(2) + ' bn';
    if (a >= 1e6) return (v / 1e6).toFixed(2) + ' M';
    if (a >= 1e4) return (v / 1e3).toFixed(1) + ' k';
    return C.num(v);
  };

  // ---- DOM ----
  C.el = function (tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), attrs[k]);
      else if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  };

  // A titled section with an optional note; returns its body.
  C.section = function (parent, id, title, note) {
    var body = C.el('div', { class: 'body' });
    var s = C.el('section', { id: id }, [C.el('h2', { text: title }), note ? C.el('p', { class: 'note', text: note }) : null, body]);
    parent.appendChild(s);
    return body;
  };

  // A row of headline figures: [{label, value, unit, key, digits}]; key = summary.json path.
  C.kpis = function (parent, items) {
    var row = C.el('div', { class: 'kpis' });
    items.forEach(function (it) {
      var v = C.el('span', { class: 'v', 'data-key': it.key, 'data-value': String(it.value) , text: it.text || C.num(it.value, it.digits) });
      row.appendChild(C.el('div', { class: 'kpi' }, [C.el('div', { class: 'l', text: it.label }), v, C.el('span', { class: 'u', text: it.unit ? ' ' + it.unit : '' })]));
    });
    parent.appendChild(row);
    return row;
  };

  // ---- charts ----
  // Makes a chart in a new div[data-chart=id]; animation off so it is drawn at once (and the
  // same in every screenshot). Returns the ECharts instance.
  C.chart = function (parent, id, option, height) {
    var div = C.el('div', { class: 'chart', 'data-chart': id, style: 'height:' + (height || 360) + 'px' });
    parent.appendChild(div);
    var inst = echarts.init(div, null, { renderer: 'canvas' });
    option.animation = false;
    if (!option.textStyle) option.textStyle = { fontFamily: 'system-ui, sans-serif' };
    inst.setOption(option);
    // The series ids asked for (year series name their summary.json path): a test compares them
    // with what ECharts kept, so a series it could not draw (an unknown type) is noticed.
    var asked = (Array.isArray(option.series) ? option.series : []).map(function (x) { return x.id; }).filter(Boolean);
    C.charts.push({ id: id, chart: inst, div: div, asked: asked });
    return inst;
  };
  C.palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22',
               '#17becf', '#393b79', '#ad494a', '#637939', '#8c6d31', '#843c39', '#7b4173', '#3182bd', '#e6550d'];
  // One colour per key, stable across the charts of a page.
  var colourOf = {};
  C.colour = function (key) {
    if (key === 'unattributed' || key === 'others') return '#c7c7c7';
    if (!(key in colourOf)) colourOf[key] = C.palette[Object.keys(colourOf).length % C.palette.length];
    return colourOf[key];
  };

  // The world map (world-atlas 1:110m, inlined as TopoJSON), registered once as "world".
  var worldDone = false;
  C.world = function () {
    if (worldDone) return 'world';
    var topo = JSON.parse(document.getElementById('cadena-world').textContent);
    var geo = topojson.feature(topo, topo.objects.countries);
    geo.features = geo.features.filter(function (f) { return f.id !== '010'; });  // Antarctica
    echarts.registerMap('world', geo);
    worldDone = true;
    return 'world';
  };

  // ---- tables ----
  // columns: [{key, label, num (right-aligned, sorted numerically), fmt(v,row), dataKey(row)}]
  C.table = function (parent, id, columns, rows, opts) {
    opts = opts || {};
    var wrap = C.el('div', { class: 'tablewrap' });
    var table = C.el('table', { class: 'data', 'data-table': id });
    var thead = C.el('thead'), tbody = C.el('tbody');
    var sortKey = null, asc = true;
    var tr = C.el('tr');
    columns.forEach(function (c) {
      var th = C.el('th', { class: c.num ? 'n' : '', title: 'sort', text: c.label });
      th.addEventListener('click', function () {
        asc = sortKey === c.key ? !asc : !c.num;
        sortKey = c.key;
        rows.sort(function (a, b) {
          var x = a[c.key], y = b[c.key];
          if (c.num) { x = typeof x === 'number' ? x : -Infinity; y = typeof y === 'number' ? y : -Infinity; }
          else { x = String(x === undefined ? '' : x); y = String(y === undefined ? '' : y); }
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        Array.prototype.forEach.call(thead.querySelectorAll('th'), function (h) { h.removeAttribute('data-sort'); });
        th.setAttribute('data-sort', asc ? 'asc' : 'desc');
        fill();
      });
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    function fill() {
      tbody.textContent = '';
      var n = opts.limit ? Math.min(rows.length, opts.limit) : rows.length;
      for (var i = 0; i < n; ++i) {
        var r = rows[i], row = C.el('tr');
        columns.forEach(function (c) {
          var v = r[c.key];
          var attrs = { class: c.num ? 'n' : '', text: c.fmt ? c.fmt(v, r) : c.num ? C.num(v) : (v === undefined ? '' : String(v)) };
          if (c.dataKey) { var k = c.dataKey(r); if (k) { attrs['data-key'] = k; attrs['data-value'] = String(v); } }
          row.appendChild(C.el('td', attrs));
        });
        tbody.appendChild(row);
      }
    }
    fill();
    table.appendChild(thead);
    table.appendChild(tbody);
    wrap.appendChild(table);
    if (opts.limit && rows.length > opts.limit)
      wrap.appendChild(C.el('p', { class: 'note', text: 'First ' + opts.limit + ' of ' + rows.length + ' rows (the CSV beside this report has them all).' }));
    parent.appendChild(wrap);
    return table;
  };

  // A folded block (the tables under a chart).
  C.details = function (parent, summary) {
    var body = C.el('div');
    parent.appendChild(C.el('details', null, [C.el('summary', { text: summary }), body]));
    return body;
  };

  // Toggle buttons: options [{id, label, disabled, title}]; onChange(id).
  C.toggle = function (parent, name, options, selected, onChange) {
    var box = C.el('div', { class: 'toggle', role: 'group', 'data-toggle': name });
    options.forEach(function (o) {
      var b = C.el('button', { type: 'button', 'data-id': o.id, title: o.title || '', text: o.label });
      if (o.disabled) b.disabled = true;
      if (o.id === selected) b.className = 'on';
      b.addEventListener('click', function () {
        Array.prototype.forEach.call(box.querySelectorAll('button'), function (x) { x.className = ''; });
        b.className = 'on';
        onChange(o.id);
      });
      box.appendChild(b);
    });
    parent.appendChild(box);
    return box;
  };

  // Value at a dotted path of an object ("stages.mining.output").
  C.at = function (obj, path) {
    return path.split('.').reduce(function (o, k) { return o === undefined || o === null ? undefined : o[k]; }, obj);
  };

  // ---- start ----
  C.start = function () {
    var root = document.getElementById('app');
    root.textContent = '';
    var data;
    try {
      data = JSON.parse(document.getElementById('cadena-data').textContent);
      var view = C.views[data.kind];
      if (!view) throw new Error('no view for report kind "' + data.kind + '"');
      var meta = data.meta || {};
      document.title = meta.title || document.title;
      var head = C.el('header', null, [C.el('h1', { text: meta.title || 'cadena report' }),
        C.el('p', { class: 'meta', text: [meta.subtitle, meta.generated_at ? 'generated ' + meta.generated_at : null,
          meta.cadena_version ? 'cadena ' + meta.cadena_version : null].filter(Boolean).join(' · ') })]);
      root.appendChild(head);
      var nav = C.el('nav');
      root.appendChild(nav);
      view(data, root);
      // Section links.
      Array.prototype.forEach.call(root.querySelectorAll('section'), function (s) {
        nav.appendChild(C.el('a', { href: '#' + s.id, text: s.querySelector('h2').textContent }));
      });
      window.addEventListener('resize', function () { C.charts.forEach(function (c) { c.chart.resize(); }); });
      document.body.setAttribute('data-ready', 'true');
    } catch (e) {
      root.appendChild(C.el('pre', { class: 'error', text: 'This report could not be drawn: ' + (e && e.stack || e) }));
      document.body.setAttribute('data-ready', 'error');
      throw e;  // and on the console, where the browser test sees it
    }
    window.cadenaReport = { kind: data.kind, charts: C.charts.map(function (c) { return c.id; }) };
  };
})();
