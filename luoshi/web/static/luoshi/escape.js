/* The one escaping helper of the page scripts: user text (names, titles) that a script puts into HTML — ECharts
   tooltips with a formatter, innerHTML — goes through luoshi.escapeHtml. Text set with textContent or drawn on
   the canvas needs none. */
(function () {
  "use strict";
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  window.luoshi = window.luoshi || {};
  window.luoshi.escapeHtml = function (value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  };
})();
