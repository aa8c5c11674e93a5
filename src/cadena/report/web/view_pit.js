/* View "pit_shells": nested pits over a revenue-factor range (cadena pit shells --report): the
 * pit-by-pit graph (tonnage of ore and waste per shell; undiscounted value and best/worst
 * discounted value at revenue factor 1) and the table under it. `result` is what --json prints. */
(function () {
  'use strict';
  var C = window.CADENA;

  C.views.pit_shells = function (d, root) {
    var r = d.result, shells = r.shells || [];
    var best = shells.reduce(function (a, s, i) { return s.best_discounted > shells[a].best_discounted ? i : a; }, 0);
    C.kpis(root, [
      { label: 'pit at revenue factor ' + r.revenue_factor + ': value', value: r.value, key: 'value' },
      { label: 'blocks in that pit', value: r.blocks_in_pit, key: 'blocks_in_pit', digits: 0 },
      { label: 'shells', value: shells.length, text: String(shells.length) },
      { label: 'best discounted value (shell ' + (best + 1) + ')', value: shells.length ? shells[best].best_discounted : 0, key: 'shells.' + best + '.best_discounted' }]);
    var sec = C.section(root, 'pit-by-pit', 'Pit by pit', 'Each shell is the whole pit at that revenue factor, valued at revenue factor 1. Bars: tonnes (ore and waste); lines: undiscounted value and the best (shell by shell) and worst (bench by bench) discounted value.');
    var rf = shells.map(function (s) { return s.revenue_factor.toFixed(2); });
    C.chart(sec, 'pit-by-pit', {
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return C.num(v); } },
      legend: { top: 0 },
      grid: { left: 80, right: 80, top: 40, bottom: 50 },
      xAxis: { type: 'category', data: rf, name: 'revenue factor', nameLocation: 'middle', nameGap: 30 },
      yAxis: [{ type: 'value', name: 'tonnes', axisLabel: { formatter: function (v) { return C.short(v); } } },
              { type: 'value', name: 'value', axisLabel: { formatter: function (v) { return C.short(v); } } }],
      series: [
        { name: 'ore tonnes', type: 'bar', stack: 't', data: shells.map(function (s) { return s.ore_tonnes; }), itemStyle: { color: '#e6550d' } },
        { name: 'waste tonnes', type: 'bar', stack: 't', data: shells.map(function (s) { return s.tonnes - s.ore_tonnes; }), itemStyle: { color: '#bdbdbd' } },
        { name: 'value (undiscounted)', type: 'line', yAxisIndex: 1, data: shells.map(function (s) { return s.value; }), itemStyle: { color: '#1f77b4' } },
        { name: 'best discounted', type: 'line', yAxisIndex: 1, data: shells.map(function (s) { return s.best_discounted; }), itemStyle: { color: '#2ca02c' } },
        { name: 'worst discounted', type: 'line', yAxisIndex: 1, data: shells.map(function (s) { return s.worst_discounted; }), itemStyle: { color: '#d62728' } }]
    }, 420);
    var key = function (k) { return function (row) { return 'shells.' + (row.shell - 1) + '.' + k; }; };
    C.table(sec, 'shells', [
      { key: 'shell', label: 'shell', num: true, fmt: function (v) { return String(v); } },
      { key: 'revenue_factor', label: 'revenue factor', num: true },
      { key: 'blocks', label: 'blocks', num: true, dataKey: key('blocks') },
      { key: 'tonnes', label: 'tonnes', num: true, dataKey: key('tonnes') },
      { key: 'ore_tonnes', label: 'ore tonnes', num: true, dataKey: key('ore_tonnes') },
      { key: 'ore_grade', label: 'ore grade', num: true, fmt: function (v) { return C.num(v, 5); } },
      { key: 'value', label: 'value', num: true, dataKey: key('value') },
      { key: 'best_discounted', label: 'best discounted', num: true, dataKey: key('best_discounted') },
      { key: 'worst_discounted', label: 'worst discounted', num: true, dataKey: key('worst_discounted') },
      { key: 'periods', label: 'periods', num: true }], shells.slice());
  };
})();
