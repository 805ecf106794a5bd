/* The 招商 board's charts from the pipeline-chart block: the funnel (线索 → 投产) and 到位资金 by month (内资 万元,
   外资 万美元). Only numbers and fixed labels reach ECharts. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var block = document.getElementById("pipeline-chart");
  if (!block || typeof echarts === "undefined") return;
  var d = JSON.parse(block.textContent);
  var charts = [];
  var funnelEl = document.getElementById("chart-funnel");
  if (funnelEl) {
    var funnel = echarts.init(funnelEl);
    funnel.setOption({
      tooltip: {trigger: "item", formatter: "{b}：{c}个"},
      series: [{type: "funnel", left: "10%", width: "80%", top: 10, bottom: 10, sort: "none", minSize: "8%",
                label: {show: true, position: "inside", formatter: "{b} {c}"}, data: d.funnel}]
    });
    funnelEl.dataset.drawn = "1";
    charts.push(funnel);
  }
  var fundsEl = document.getElementById("chart-funds");
  if (fundsEl) {
    var funds = echarts.init(fundsEl);
    funds.setOption({
      tooltip: {trigger: "axis"}, legend: {data: ["内资（万元）", "外资（万美元）"], top: 0},
      grid: {left: 60, right: 60, top: 40},
      xAxis: {type: "category", data: d.months.map(function (m) { return m.month; })},
      yAxis: [{type: "value", name: "万元"}, {type: "value", name: "万美元"}],
      series: [
        {name: "内资（万元）", type: "bar", data: d.months.map(function (m) { return m.domestic; }), itemStyle: {color: "#8fb1da"}},
        {name: "外资（万美元）", type: "bar", yAxisIndex: 1, data: d.months.map(function (m) { return m.foreign_usd; }), itemStyle: {color: "#e0a800"}}
      ]
    });
    fundsEl.dataset.drawn = "1";
    charts.push(funds);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
});
