/* Font-size switch 特大/大/中/小 (saved across pages, one choice for care mode and one without) and a 关闭本页
   link that works even where window.close() is refused. */
(function () {
  var root = document.documentElement;
  function current() { return root.getAttribute("data-font-size") || "medium"; }
  function mark() {
    var buttons = document.querySelectorAll(".fontsize button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-size") === current()));
    }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".fontsize button");
    if (button) {
      var size = button.getAttribute("data-size");
      root.setAttribute("data-font-size", size);
      var key = root.getAttribute("data-care") === "on" ? "careFontSize" : "fontSize";
      try { localStorage.setItem(key, size); } catch (e) { /* not saved, still applied */ }
      mark();
      return;
    }
    var close = event.target.closest && event.target.closest("[data-close]");
    if (close) {
      event.preventDefault();
      var fallback = close.getAttribute("href");
      window.close();
      // Browsers only let scripts close windows that scripts opened; if we are still here,
      // go back to where the reader came from on this site, or to the article's section.
      setTimeout(function () {
        if (window.closed) return;
        var cameFromHere = document.referrer && document.referrer.indexOf(location.origin) === 0;
        if (cameFromHere && history.length > 1) { history.back(); } else { location.href = fallback; }
      }, 150);
    }
  });
  document.addEventListener("fontsize:changed", mark);
  mark();
})();
