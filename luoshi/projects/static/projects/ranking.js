/* The city ranking's chart: each county's 投资完成率 and 开工率, from the ranking-data block. County names are
   text people typed: the tooltip escapes them with luoshi.escapeHtml (ECharts writes tooltips as HTML). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var block = document.getElementById("ranking-data"), el = document.getElementById("chart-ranking");
  if (!block || !el || typeof echarts === "undefined") return;
  var d = JSON.parse(block.textContent), escape = window.luoshi.escapeHtml;
  var chart = echarts.init(el);
  chart.setOption({
    title: {text: d.title, textStyle: {fontSize: 14}},
    tooltip: {trigger: "axis", formatter: function (items) {
      return escape(items[0].name) + items.map(function (i) {
        return "<br>" + i.marker + escape(i.seriesName) + "：" + (i.value === null || i.value === undefined ? "—" : i.value + "%");
      }).join("");
    }},
    legend: {data: ["投资完成率", "开工率"], top: 24}, grid: {left: 50, right: 20, top: 64, bottom: 60},
    xAxis: {type: "category", data: d.names, axisLabel: {interval: 0, rotate: d.names.length > 6 ? 30 : 0}},
    yAxis: {type: "value", name: "%", min: 0},
    series: [
      {name: "投资完成率", type: "bar", data: d.completion, itemStyle: {color: "#1f5fa8"}},
      {name: "开工率", type: "bar", data: d.start, itemStyle: {color: "#8fb1da"}}
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
  el.dataset.drawn = "1";
});
