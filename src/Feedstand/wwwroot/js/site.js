// Feedstand: the copy button, and keyboard access to boxes that scroll sideways. No inline handlers: the CSP forbids them.
// A copy on a listed feed's page is counted as a subscription by one same-origin POST (no cookie, no id).
(function () {
  "use strict";

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "skip-link";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    var label = button.textContent;
    var count = button.getAttribute("data-count");
    copy(source.value || source.textContent).then(function () {
      if (count && window.fetch) {
        window.fetch(count, { method: "POST", credentials: "omit", keepalive: true }).catch(function () { });
      }
      button.textContent = button.getAttribute("data-copied") || label;
      button.setAttribute("aria-live", "polite");
      window.setTimeout(function () { button.textContent = label; }, 2000);
    }, function () {
      source.focus();
      if (source.select) { source.select(); }
    });
  });

  // A code block or table wider than the page scrolls inside its box; a keyboard user must be able to reach it.
  function markScrollable() {
    document.querySelectorAll(".entry-content pre, .entry-content table, table.data").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markScrollable);
  } else {
    markScrollable();
  }
})();
