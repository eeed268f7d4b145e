// Stories map: progressive enhancement. Without Leaflet, tiles or JavaScript, the list
// below the map holds the same stories. Markers come from the GeoJSON endpoint, whose
// points are already generalised for private places and homes.
(function () {
  "use strict";
  function start() {
    var el = document.getElementById("stories-map");
    if (!el || !window.L) { return; }
    var map = window.L.map(el).setView([50.851, 5.69], 13);
    var tiles = el.getAttribute("data-tiles");
    if (tiles) {
      window.L.tileLayer(tiles, { attribution: el.getAttribute("data-attribution") || "", maxZoom: 18 }).addTo(map);
    }
    fetch(el.getAttribute("data-geojson"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var layer = window.L.geoJSON(data, {
          onEachFeature: function (feature, marker) {
            var link = document.createElement("a");
            link.href = feature.properties.url;
            link.textContent = feature.properties.title;
            marker.bindPopup(link);
          }
        }).addTo(map);
        if (data.features.length) { map.fitBounds(layer.getBounds(), { maxZoom: 15 }); }
      })
      .catch(function () { /* the list below stays */ });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
