/* Reisgezel: deep zoom for heritage images (progressive enhancement).
 *
 * The partial heritage/_deep_zoom.html renders plain <img> thumbnails inside a labelled
 * region. When OpenSeadragon is loaded, this script fetches the object's IIIF
 * Presentation 3 manifest (data-manifest), takes the IIIF image service of every
 * painted image and opens them in OpenSeadragon, as a sequence when there are several.
 * Our own buttons (real <button>s) replace OpenSeadragon's, the region's description
 * follows the alt text of the image shown, and nothing changes when anything fails.
 */
(function () {
  "use strict";

  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function asList(value) {
    if (!value) { return []; }
    return Array.isArray(value) ? value : [value];
  }

  function firstText(languageMap) {
    var lang = document.documentElement.lang || "nl";
    if (!languageMap) { return ""; }
    var texts = languageMap[lang] || languageMap.nl || languageMap.none || languageMap[Object.keys(languageMap)[0]];
    return texts && texts.length ? texts[0] : "";
  }

  // [{tileSource, width, height, alt}] of the images painted on the manifest's canvases.
  function imageServices(manifest) {
    var sources = [];
    asList(manifest.items).forEach(function (canvas) {
      asList(canvas.items).forEach(function (page) {
        asList(page.items).forEach(function (annotation) {
          if (annotation.motivation !== "painting") { return; }
          asList(annotation.body).forEach(function (body) {
            if (body.type !== "Image") { return; }
            var service = asList(body.service).filter(function (s) {
              return /^ImageService[23]$/.test(s.type || s["@type"] || "");
            })[0];
            if (!service) { return; }
            sources.push({
              tileSource: (service.id || service["@id"]).replace(/\/$/, "") + "/info.json",
              width: canvas.width,
              height: canvas.height,
              alt: firstText(body.label)
            });
          });
        });
      });
    });
    return sources;
  }

  function sizeStage(stage, source) {
    // The CSP forbids style attributes, not styles set through the DOM.
    stage.style.width = "100%";
    stage.style.aspectRatio = source.width && source.height ? source.width + " / " + source.height : "4 / 3";
    stage.style.maxHeight = "80vh";
    stage.style.minHeight = "16rem";
  }

  function open(region, sources) {
    var figure = region.closest("figure") || region.parentNode;
    var alt = document.getElementById(region.getAttribute("data-alt-id"));
    var controls = figure.querySelector("[data-deep-zoom-controls]");
    var status = figure.querySelector("[data-deep-zoom-status]");
    var fallback = region.querySelector("[data-deep-zoom-fallback]");
    var stage = document.createElement("div");
    stage.className = "c-deep-zoom__stage";
    sizeStage(stage, sources[0]);
    region.appendChild(stage);

    // OpenSeadragon also adds a <style> hiding the canvas's focus ring on touch screens;
    // the CSP blocks it, and the ring stays (as it should).
    var viewer = window.OpenSeadragon({
      element: stage,
      prefixUrl: region.getAttribute("data-prefix-url"),
      tileSources: sources.map(function (s) { return s.tileSource; }),
      sequenceMode: sources.length > 1,
      showNavigationControl: false,
      showSequenceControl: false,
      crossOriginPolicy: "Anonymous",
      animationTime: reducedMotion ? 0 : 1.2,
      maxZoomPixelRatio: 2,  // small photos may be enlarged a little, as in a loupe
      gestureSettingsMouse: { scrollToZoom: false }  // the page keeps scrolling
    });

    function show(index) {
      var source = sources[index];
      if (alt) { alt.textContent = source.alt; }
      sizeStage(stage, source);
      if (status) {
        status.textContent = status.getAttribute("data-template")
          .replace("%(n)s", String(index + 1))
          .replace("%(total)s", String(sources.length));
      }
    }

    viewer.addOnceHandler("open", function () {
      if (fallback) { fallback.hidden = true; }
      region.setAttribute(
        "aria-describedby",
        [region.getAttribute("data-alt-id"), region.getAttribute("data-help-id")].join(" ")
      );
      region.setAttribute("data-deep-zoom-ready", "true");
      if (controls) { controls.hidden = false; }
      show(0);
    });
    viewer.addHandler("page", function (event) { show(event.page); });
    viewer.addHandler("open-failed", function () {
      // Keep the plain images: a broken service must not leave an empty box.
      stage.remove();
      viewer.destroy();
    });

    if (!controls) { return; }
    controls.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (!button || !viewer.viewport) { return; }
      var page = viewer.currentPage();
      switch (button.getAttribute("data-action")) {
        case "zoom-in": viewer.viewport.zoomBy(1.5); viewer.viewport.applyConstraints(); break;
        case "zoom-out": viewer.viewport.zoomBy(1 / 1.5); viewer.viewport.applyConstraints(); break;
        case "home": viewer.viewport.goHome(); break;
        case "previous": viewer.goToPage((page - 1 + sources.length) % sources.length); break;
        case "next": viewer.goToPage((page + 1) % sources.length); break;
      }
    });
  }

  function enhance(region) {
    var url = region.getAttribute("data-manifest");
    if (!url || typeof window.OpenSeadragon !== "function" || !window.fetch) { return; }
    window.fetch(url, { headers: { Accept: "application/ld+json" }, credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (manifest) {
        var sources = manifest ? imageServices(manifest) : [];
        if (sources.length) { open(region, sources); }
      })
      .catch(function () { /* the plain images stay */ });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-deep-zoom]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
