/* Apply the reader's saved font size before the page paints (大/中/小 switch). */
(function () {
  try {
    var size = localStorage.getItem("fontSize");
    if (size === "large" || size === "small" || size === "medium") {
      document.documentElement.setAttribute("data-font-size", size);
    }
  } catch (e) { /* storage may be disabled: keep the default size */ }
})();
