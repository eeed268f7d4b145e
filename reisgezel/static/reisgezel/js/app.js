/* Reisgezel: small progressive enhancements. Every page works without this file.
 *
 * - While htmx updates a region, mark it aria-busy so screen readers wait for it.
 * - After the agenda results change, announce the new count through the live region
 *   that the server renders (nothing to do here: the region is aria-live).
 */
(function () {
  "use strict";

  function setBusy(event, busy) {
    var target = event.detail && event.detail.target;
    if (target && target.setAttribute) {
      target.setAttribute("aria-busy", busy ? "true" : "false");
    }
  }

  document.addEventListener("htmx:beforeRequest", function (event) { setBusy(event, true); });
  document.addEventListener("htmx:afterRequest", function (event) { setBusy(event, false); });

  // A 400 answer (malformed filters) still carries the page with its messages: let htmx
  // swap it in instead of ignoring it, so the errors show next to the filters.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
