/* The 驾驶舱's sparklines: each headline indicator's cumulative growth (1-n月, 同比) over the last 12 months, from the
   "headline-data" block. The tooltip is built as HTML, so every text in it goes through luoshi.escapeHtml. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var block = document.getElementById("headline-data");
  if (!block || !window.echarts) return;
  var d = JSON.parse(block.textContent);
  var esc = window.luoshi.escapeHtml;
  var charts = [];
  d.cards.forEach(function (card) {
    var el = document.getElementById(card.id);
    if (!el) return;
    var points = card.growth.filter(function (g) { return g !== null; }).length;
    if (!points) { el.hidden = true; return; }
    var chart = echarts.init(el, null, {renderer: "svg"});
    chart.setOption({
      animation: false,
      grid: {left: 3, right: 3, top: 5, bottom: 3},
      xAxis: {type: "category", show: false, boundaryGap: false, data: d.labels},
      yAxis: {type: "value", show: false, scale: true},
      tooltip: {trigger: "axis", appendTo: "body", className: "spark-tooltip",
                axisPointer: {type: "line", lineStyle: {color: "#999"}},
                position: function (point, params, dom, rect, size) {  // above the line, inside the window
                  var box = el.getBoundingClientRect(), w = size.contentSize[0], h = size.contentSize[1];
                  var x = Math.min(Math.max(point[0] - w / 2, 4 - box.left), window.innerWidth - 4 - box.left - w);
                  return [x, -h - 6];
                },
                formatter: function (params) {
                  var i = params[0].dataIndex;
                  return esc(d.labels[i]) + "<br>" + esc(card.words[i]);
                }},
      series: [{type: "line", data: card.growth, connectNulls: true, symbol: "circle", symbolSize: 4,
                showSymbol: points <= 6, lineStyle: {width: 1.5, color: "#1f5fa8"}, itemStyle: {color: "#1f5fa8"}}]
    });
    charts.push(chart);
    el.dataset.drawn = "1";
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
});
