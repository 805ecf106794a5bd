/* The 调度 page's chart: cumulative completion per month against the pace (序时进度), from the chart-data block.
   Only numbers and fixed labels reach ECharts. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var block = document.getElementById("chart-data"), el = document.getElementById("chart-month");
  if (!block || !el || typeof echarts === "undefined") return;
  var d = JSON.parse(block.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    title: {text: d.title, textStyle: {fontSize: 14}}, tooltip: {trigger: "axis"},
    legend: {data: ["本月完成投资", "完成率", "序时进度"], top: 24}, grid: {left: 60, right: 50, top: 64},
    xAxis: {type: "category", data: d.points.map(function (p) { return p.month; })},
    yAxis: [{type: "value", name: "万元"}, {type: "value", name: "%", min: 0}],
    series: [
      {name: "本月完成投资", type: "bar", data: d.points.map(function (p) { return p.amount; }), itemStyle: {color: "#8fb1da"}},
      {name: "完成率", type: "line", yAxisIndex: 1, data: d.points.map(function (p) { return p.completion; }), itemStyle: {color: "#1f5fa8"}},
      {name: "序时进度", type: "line", yAxisIndex: 1, data: d.points.map(function (p) { return p.pace; }), itemStyle: {color: "#e0a800"}, lineStyle: {type: "dashed"}}
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
  el.dataset.drawn = "1";
});
