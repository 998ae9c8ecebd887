/* Live preview (only injected by 'build.py serve', never part of the built site): reload after a
   successful rebuild, show the problems of a failed one over the page. */
(function () {
  var script = document.currentScript;
  var seen = Number(script.getAttribute("data-version"));
  var overlay = null;
  function show(heading, problems) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "preview-problems";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:99999;background:rgba(20,20,20,.92);color:#fff;" +
        "padding:2rem;overflow:auto;font:16px/1.6 monospace;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = heading + "\n\n" + problems.join("\n");
  }
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function poll() {
    fetch("/__preview/status", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      if (s.problems.length) { show(s.heading, s.problems); }
      else { hide(); if (s.version !== seen) { location.reload(); return; } }
      setTimeout(poll, 300);
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
