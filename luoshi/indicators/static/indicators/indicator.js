/* The indicator page's three charts, from the chart-data JSON block. Names reach only canvas labels and ECharts'
   default tooltips, which escape them (tests/browser/test_security.py hovers a hostile region name). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var d = JSON.parse(document.getElementById("chart-data").textContent);
  function draw(id, option) { var el = document.getElementById(id); if (!el) return; var c = echarts.init(el); c.setOption(option); window.addEventListener("resize", function () { c.resize(); }); el.dataset.drawn = "1"; }
  draw("chart-actual", {
    tooltip: {trigger: "axis"}, legend: {data: ["累计值", "目标轨迹"]}, grid: {left: 60, right: 20},
    xAxis: {type: "category", data: d.months}, yAxis: {type: "value", name: d.unit},
    series: [{name: "累计值", type: "bar", data: d.actual, itemStyle: {color: "#1f5fa8"}},
             {name: "目标轨迹", type: "line", data: d.target, itemStyle: {color: "#e0a800"}, lineStyle: {type: "dashed"}}]
  });
  var bars = d.bars.slice().reverse();
  draw("chart-peers", {
    tooltip: {trigger: "axis", axisPointer: {type: "shadow"}}, grid: {left: 80, right: 40},
    xAxis: {type: "value", name: "%"}, yAxis: {type: "category", data: bars.map(function (b) { return b.rank + ". " + b.name; })},
    series: [{type: "bar", label: {show: true, position: "right"}, data: bars.map(function (b) {
      return {value: b.growth, itemStyle: {color: b.self ? "#d2372c" : "#8fb1da"}}; })}]
  });
  draw("chart-rank", {
    tooltip: {trigger: "axis"}, grid: {left: 50, right: 20},
    xAxis: {type: "category", data: d.months},
    yAxis: {type: "value", inverse: true, min: 1, max: Math.max(d.peers || 1, 1), minInterval: 1, name: "位次"},
    series: [{name: "全市位次", type: "line", data: d.ranks, connectNulls: true, label: {show: true}, itemStyle: {color: "#2e9d4f"}}]
  });
});
