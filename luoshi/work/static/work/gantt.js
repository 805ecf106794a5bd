/* 横道图: ECharts custom series on canvas. All rows come in one JSON block; filters and grouping run here. */
(function () {
  "use strict";
  var DAY = 86400000;
  var LIGHT_COLORS = { green: "#2e9d4f", yellow: "#e0a800", red: "#d2372c" };
  var STATUS_COLORS = { not_started: "#9aa5b1", in_progress: "#1f5fa8", done: "#2e9d4f", done_late: "#7cb342",
    overdue: "#e0a800", seriously_overdue: "#d2372c" };
  var data = JSON.parse(document.getElementById("gantt-data").textContent);
  var el = document.getElementById("gantt");
  var chart = echarts.init(el, null, { renderer: "canvas" });
  var asOf = data.as_of * DAY;
  var campaigns = new Map(data.campaigns), units = new Map(data.units);
  var msByTask = new Map(), msById = new Map();
  data.milestones.forEach(function (m) {
    msById.set(m[0], m);
    if (!msByTask.has(m[1])) msByTask.set(m[1], []);
    msByTask.get(m[1]).push(m);
  });
  var state = { campaign: "", unit: "", light: "", group: "campaign", rows: "marks", zoom: "month" };
  var view = null;

  function fill(select, entries) {
    entries.forEach(function (e) { var o = document.createElement("option"); o.value = e[0]; o.textContent = e[1]; select.appendChild(o); });
  }
  fill(document.getElementById("filter-campaign"), data.campaigns);
  fill(document.getElementById("filter-unit"), data.units);
  location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
    var p = kv.split("="); if (p[0] in state && p[1]) state[p[0]] = decodeURIComponent(p[1]);
  });

  function buildRows() {
    var tasks = data.tasks.filter(function (t) {
      return (!state.campaign || t[1] == state.campaign) && (!state.light || data.lights[t[7]] === state.light) &&
        (!state.unit || t[8].indexOf(+state.unit) >= 0);
    });
    var groups = new Map();
    tasks.forEach(function (t) {
      var key = state.group === "unit" ? t[4] : t[1];
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(t);
    });
    var labels = [], bars = [], marks = [], arrows = [], rowOfMilestone = new Map();
    groups.forEach(function (list, key) {
      var name = state.group === "unit" ? units.get(key) : campaigns.get(key);
      var head = labels.length, start = Infinity, end = -Infinity, worst = 0;
      labels.push("【" + name + "】" + list.length + " 项");
      bars.push(null);
      list.forEach(function (t) {
        start = Math.min(start, t[5]); end = Math.max(end, t[6]); worst = Math.max(worst, t[7]);
        var row = labels.length;
        labels.push(t[2] + " " + t[3]);
        // [7]: the end of the baseline (the first planned deadline) where a re-baseline moved the deadline
        bars.push([row, t[5] * DAY, (t[6] + 1) * DAY, 1, t[7], t[0], 0, t[9] == null ? null : (t[9] + 1) * DAY]);
        (msByTask.get(t[0]) || []).forEach(function (m) {
          var mrow = row;
          if (state.rows === "rows") { mrow = labels.length; labels.push("　· " + m[2]); }
          rowOfMilestone.set(m[0], mrow);
          marks.push([mrow, m[3] * DAY, m[4] === null ? null : m[4] * DAY, m[5], m[0], m[7] === null ? null : m[7] * DAY]);
        });
      });
      bars[head] = [head, start * DAY, (end + 1) * DAY, 0, worst, key, 0, null];
    });
    marks.forEach(function (mk) {
      var m = msById.get(mk[4]);
      if (m[6] !== null && rowOfMilestone.has(m[6])) {
        var from = msById.get(m[6]);
        arrows.push([rowOfMilestone.get(m[6]), from[3] * DAY, mk[0], mk[1]]);
      }
    });
    return { labels: labels, bars: bars, marks: marks, arrows: arrows, tasks: tasks.length };
  }

  function renderBar(params, api) {
    var row = api.value(0), kind = api.value(3);
    var a = api.coord([api.value(1), row]), b = api.coord([api.value(2), row]);
    var h = api.size([0, 1])[1] * (kind === 0 ? 0.35 : 0.55);
    var rect = echarts.graphic.clipRectByRect({ x: a[0], y: a[1] - h / 2, width: Math.max(b[0] - a[0], 2), height: h },
      { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height });
    if (!rect) return;
    var color = LIGHT_COLORS[data.lights[api.value(4)]];
    var bar = { type: "rect", shape: rect, style: kind === 0 ? { fill: "#5b6b7d" } : { fill: color, opacity: 0.8 } };
    var baselineEnd = api.value(7);
    if (kind === 0 || baselineEnd === null || isNaN(baselineEnd)) return bar;
    // The baseline: a thin grey bar from the start to the first planned deadline, just under the current bar.
    var c = api.coord([baselineEnd, row]);
    var thin = echarts.graphic.clipRectByRect({ x: a[0], y: a[1] + h / 2 + 1, width: Math.max(c[0] - a[0], 2), height: Math.max(h * 0.18, 2) },
      { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height });
    return { type: "group", children: thin ? [bar, { type: "rect", shape: thin, style: { fill: "#9aa5b1" } }] : [bar] };
  }

  function renderMark(params, api) {
    var row = api.value(0), due = api.coord([api.value(1), row]), size = Math.min(api.size([0, 1])[1] * 0.7, 14);
    var color = STATUS_COLORS[data.statuses[api.value(3)]];
    var children = [];
    var original = api.value(5);
    if (original !== null && !isNaN(original)) {
      // The baseline: a hollow grey diamond at the first planned date, a dashed line to the current one.
      var o = api.coord([original, row]);
      children.push({ type: "line", shape: { x1: o[0], y1: o[1], x2: due[0], y2: due[1] }, style: { stroke: "#9aa5b1", lineWidth: 1, lineDash: [3, 2] } });
      children.push({ type: "polygon", shape: { points: [[o[0], o[1] - size / 2], [o[0] + size / 2, o[1]], [o[0], o[1] + size / 2],
        [o[0] - size / 2, o[1]]] }, style: { fill: "#fff", stroke: "#9aa5b1", lineWidth: 1.5 } });
    }
    children.push({ type: "polygon", shape: { points: [[due[0], due[1] - size / 2], [due[0] + size / 2, due[1]],
      [due[0], due[1] + size / 2], [due[0] - size / 2, due[1]]] }, style: { fill: color, stroke: "#fff", lineWidth: 1 } });
    var done = api.value(2);
    if (done !== null && !isNaN(done)) {
      var d = api.coord([done, row]);
      if (Math.abs(d[0] - due[0]) > 1) children.push({ type: "line", shape: { x1: due[0], y1: due[1], x2: d[0], y2: d[1] }, style: { stroke: color, lineWidth: 2 } });
      children.push({ type: "circle", shape: { cx: d[0], cy: d[1], r: size / 4 + 1 }, style: { fill: "#2e9d4f", stroke: "#fff" } });
    }
    return { type: "group", children: children };
  }

  function renderArrow(params, api) {
    var a = api.coord([api.value(1), api.value(0)]), b = api.coord([api.value(3), api.value(2)]);
    var midX = Math.max(a[0], b[0] - 8);
    return { type: "group", children: [
      { type: "polyline", shape: { points: [a, [midX, a[1]], [midX, b[1]], [b[0] - 6, b[1]]] }, style: { stroke: "#8896a8", fill: null, lineWidth: 1 } },
      { type: "polygon", shape: { points: [[b[0] - 6, b[1] - 3], [b[0] - 1, b[1]], [b[0] - 6, b[1] + 3]] }, style: { fill: "#8896a8" } }] };
  }

  function zoomWindow() {
    var year = new Date(asOf).getUTCFullYear();
    if (state.zoom === "week") return [asOf - 21 * DAY, asOf + 42 * DAY, 7 * DAY];
    if (state.zoom === "quarter") return [Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1), 91 * DAY];
    return [asOf - 92 * DAY, asOf + 92 * DAY, 30 * DAY];
  }

  // The tooltip is HTML: every name and title in it is user text and goes through luoshi.escapeHtml.
  function tooltip(p) {
    var esc = luoshi.escapeHtml, v = p.value;
    if (p.seriesName === "任务") {
      if (v[3] === 0) return esc(view.labels[v[0]]);
      var t = data.tasks.find(function (x) { return x[0] === v[5]; });
      return esc(t[2] + " " + t[3]) + "<br>牵头：" + esc(units.get(t[4])) + "<br>" + fmt(t[5]) + " 至 " + fmt(t[6]) +
        (t[9] != null ? "（原定 " + fmt(t[9]) + "）" : "") + "<br>" + esc(data.light_labels[t[7]]) + against();
    }
    if (p.seriesName === "节点") {
      var m = msById.get(v[4]);
      return esc(m[2]) + "<br>完成时限：" + fmt(m[3]) + (m[7] !== null ? "（原定 " + fmt(m[7]) + "）" : "") +
        (m[4] !== null ? "<br>实际完成：" + fmt(m[4]) : "") + "<br>" + esc(data.status_labels[m[5]]) + against();
    }
    return "";
  }
  function against() { return data.against === "baseline" ? "<br><small>按原定计划判定</small>" : ""; }
  function fmt(day) { var d = new Date(day * DAY); return d.getUTCFullYear() + "-" + (d.getUTCMonth() + 1) + "-" + d.getUTCDate(); }

  // Time axis labels: the year on the first label and wherever a year starts ("2026年1月"), days only in the week
  // view; labels that would overlap are left out (hideOverlap) rather than drawn over each other.
  function timeLabel(value, index) {
    var d = new Date(value), y = d.getFullYear(), m = d.getMonth() + 1, day = d.getDate();
    var yearStart = m === 1 && day <= 7;
    if (state.zoom === "week") {
      return (index === 0 || yearStart ? y + "年" : "") + m + "月" + day + "日";
    }
    if (day !== 1) return m + "月" + day + "日";
    return (index === 0 || m === 1 || state.zoom === "quarter" ? y + "年" : "") + m + "月";
  }

  function draw() {
    view = buildRows();
    var w = zoomWindow(), visible = 40, n = view.labels.length;
    el.dataset.drawn = "";
    chart.setOption({
      animation: false,
      grid: { left: 280, right: 40, top: 40, bottom: 50 },
      tooltip: { trigger: "item", confine: true, formatter: tooltip },
      xAxis: { type: "time", position: "top", minInterval: w[2], splitLine: { show: true, lineStyle: { color: "#eef1f5" } },
        axisLabel: { formatter: timeLabel, hideOverlap: true, margin: 10 } },
      yAxis: { type: "category", inverse: true, data: view.labels, axisTick: { show: false },
        axisLabel: { width: 260, overflow: "truncate", fontSize: 12, interval: 0 } },
      dataZoom: [
        { type: "slider", yAxisIndex: 0, filterMode: "weakFilter", right: 5, width: 14, startValue: 0,
          endValue: Math.min(n, visible) - 1, showDetail: false, brushSelect: false },
        { type: "inside", yAxisIndex: 0, filterMode: "weakFilter", zoomOnMouseWheel: false, moveOnMouseWheel: true },
        { type: "slider", xAxisIndex: 0, filterMode: "weakFilter", bottom: 10, height: 18, startValue: w[0], endValue: w[1] },
        { type: "inside", xAxisIndex: 0, filterMode: "weakFilter", zoomOnMouseWheel: "ctrl", moveOnMouseWheel: false }],
      series: [
        { name: "任务", type: "custom", clip: true, renderItem: renderBar, encode: { x: [1, 2], y: 0 }, data: view.bars.filter(Boolean),
          markLine: { silent: true, symbol: "none", label: { formatter: "判定日", position: "start" },
            lineStyle: { color: "#d2372c", type: "solid", width: 1.5 }, data: [{ xAxis: asOf }] } },
        { name: "前后置", type: "custom", clip: true, renderItem: renderArrow, encode: { x: [1, 3], y: [0, 2] }, data: view.arrows, silent: true },
        { name: "节点", type: "custom", clip: true, renderItem: renderMark, encode: { x: 1, y: 0 }, data: view.marks }]
    }, { notMerge: true });
    document.getElementById("gantt-count").textContent = "显示 " + view.tasks + " 项任务、" + view.marks.length + " 个节点";
    el.dataset.rows = String(n);
    el.dataset.tasks = String(view.tasks);
    var link = document.getElementById("export-xlsx"), url = new URL(link.href, location.href);
    ["campaign", "unit", "light"].forEach(function (k) { if (state[k]) url.searchParams.set(k, state[k]); else url.searchParams.delete(k); });
    link.href = url.pathname + url.search;
  }

  chart.on("finished", function () { el.dataset.drawn = String(performance.now()); });
  [["filter-campaign", "campaign"], ["filter-unit", "unit"], ["filter-light", "light"], ["group-by", "group"], ["show-milestones", "rows"]]
    .forEach(function (pair) {
      var select = document.getElementById(pair[0]);
      select.value = state[pair[1]];
      select.addEventListener("change", function () { state[pair[1]] = select.value; draw(); });
    });
  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      state.zoom = button.dataset.zoom;
      document.querySelectorAll("[data-zoom]").forEach(function (b) { b.classList.toggle("active", b === button); });
      draw();
    });
  });
  document.getElementById("export-png").addEventListener("click", function () {
    var a = document.createElement("a");
    a.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
    a.download = "横道图.png";
    document.body.appendChild(a); a.click(); a.remove();
  });
  var againstSelect = document.getElementById("gantt-against");
  if (againstSelect) againstSelect.addEventListener("change", function () { document.getElementById("gantt-filters").submit(); });
  window.addEventListener("resize", function () { chart.resize(); });
  window.luoshiGantt = { chart: chart, state: state, view: function () { return view; } };
  draw();
})();
