// jiancha pages: draw the charts and the map the server described as JSON.
// No inline scripts; options come from <script type="application/json"> blocks.
"use strict";

function readJson(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

function drawCharts() {
  if (!window.echarts) return;
  document.querySelectorAll("[data-echarts]").forEach((el) => {
    const option = readJson(el.dataset.echarts);
    if (!option) return;
    const chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    el.dataset.ready = "1";
    window.addEventListener("resize", () => chart.resize());
  });
}

function drawMap() {
  const el = document.getElementById("map");
  if (!el || !window.L) return;
  const areas = readJson("map-areas");
  const subject = readJson("map-subject");
  // No tile layer: the office areas are drawn on a blank background, so the map works offline.
  const map = window.L.map(el, { attributionControl: false, zoomSnap: 0.25 });
  const layer = window.L.geoJSON(areas, {
    style: (f) => ({ color: f.properties.kind === "county" ? "#1f4e9c" : "#a3201c", weight: 1.5, fillOpacity: 0.08 }),
    onEachFeature: (f, l) => l.bindTooltip(f.properties.office || f.properties.name, { sticky: true }),
  }).addTo(map);
  map.fitBounds(layer.getBounds());
  if (subject) {
    window.L.circleMarker([subject.lat, subject.lon], { radius: 7, color: "#a3201c", fillOpacity: 0.9 })
      .bindTooltip(subject.label, { permanent: true, direction: "top" }).addTo(map);
  }
  el.dataset.ready = "1";
}

document.addEventListener("DOMContentLoaded", () => { drawCharts(); drawMap(); });
