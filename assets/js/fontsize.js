/* Before the page paints: the reader's saved font size (特大/大/中/小) and care mode (关怀模式), and ?care=1 / ?care=0. */
(function () {
  var root = document.documentElement;
  var SIZES = { xlarge: 1, large: 1, medium: 1, small: 1 };
  function get(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function set(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* not kept, still applied */ } }
  root.setAttribute("data-js", "");
  var asked = /[?&]care=([01])(?:&|$)/.exec(location.search);
  if (asked) {
    set("care", asked[1] === "1" ? "on" : "off");
    // The address no longer needs the switch's query and #care once the choice is stored.
    var rest = location.search.replace(/([?&])care=[01](&|$)/, "$1").replace(/[?&]$/, "");
    var hash = location.hash === "#care" ? "" : location.hash;
    try { history.replaceState(history.state, "", location.pathname + rest + hash); } catch (e) { /* keep it */ }
  }
  var care = get("care") === "on";
  root.setAttribute("data-care", care ? "on" : "off");
  var size = get(care ? "careFontSize" : "fontSize") || (care ? "xlarge" : "");
  if (SIZES[size]) root.setAttribute("data-font-size", size);
  if (care && get("readingGuide") === "on") root.setAttribute("data-guide", "on");
})();
