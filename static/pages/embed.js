// On another site, beside the portal's widget frame (<iframe data-integration-portal>):
// sizes each frame to the height its content reports (embed-frame.js). Messages count only
// from the portal's own origin (where this script came from) and from one of those frames.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) {
    return;
  }
  var portal = new URL(script.src, window.location.href).origin;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== portal || !data || data.type !== "integration-portal:height") {
      return;
    }
    var height = Number(data.height);
    if (!(height > 0 && height < 20000)) {
      return;
    }
    var frames = document.querySelectorAll("iframe[data-integration-portal]");
    for (var i = 0; i < frames.length; i += 1) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = height + "px";
      }
    }
  });
  // A frame that loaded before this script has reported its height to nobody: ask again.
  var frames = document.querySelectorAll("iframe[data-integration-portal]");
  for (var i = 0; i < frames.length; i += 1) {
    if (frames[i].contentWindow) {
      frames[i].contentWindow.postMessage({ type: "integration-portal:height?" }, portal);
    }
  }
})();
