// Inside the embedded widget (pages/embed_views.py): tells the page around the frame how
// tall the content is, so that its script (embed.js) can size the frame without a scroll
// bar. Only the height is sent; without the host script the frame keeps its own height.
(function () {
  "use strict";
  if (window.parent === window) {
    return;
  }
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: "integration-portal:height", height: height }, "*");
    }
  }
  window.addEventListener("load", report);
  // The host page's script may start after the frame has reported (it loads from the
  // portal too, and either can come first): it then asks, and the frame reports again.
  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === "integration-portal:height?") {
      last = 0;
      report();
    }
  });
  if ("ResizeObserver" in window) {
    new ResizeObserver(report).observe(document.documentElement);
  } else {
    window.addEventListener("resize", report);
  }
})();
